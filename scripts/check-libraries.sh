#!/usr/bin/env bash
# Checks that a keywarden binary links no shared library beyond those docs/install.md lists (the table
# between the runtime-libraries markers: one soname per row, first column). The binary's own NEEDED
# entries are checked (what those libraries pull in comes with their Debian packages). Prints each
# library with the Debian package that provides it; exit 1 naming any library that is not listed.
# --debug-build: the Swift runtime's own libraries (which a release build links in statically, and a debug
# build loads from the toolchain) are not checked, so that `make test` checks the table on its debug binary.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
swift_runtime=0
if [ "${1:-}" = "--debug-build" ]; then swift_runtime=1; shift; fi
binary="${1:?usage: check-libraries.sh [--debug-build] BINARY}"
allowed="$(sed -n '/^<!-- runtime-libraries -->/,/^<!-- \/runtime-libraries -->/p' "$root/docs/install.md" \
  | grep -o '^| `[^`]*`' | tr -d '|` ')"
[ -n "$allowed" ] || { echo "check-libraries: no runtime library table in docs/install.md" >&2; exit 2; }
needed="$(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')"
[ -n "$needed" ] || { echo "check-libraries: $binary has no NEEDED entries (not a dynamic ELF binary?)" >&2; exit 2; }
status=0
for soname in $needed; do
  if [ $swift_runtime = 1 ] && [[ "$soname" =~ ^lib(swift|_?Foundation|dispatch\.|BlocksRuntime\.) ]]; then continue; fi
  if ! grep -qxF "$soname" <<< "$allowed"; then
    echo "check-libraries: $binary needs $soname, which docs/install.md does not list" >&2
    status=1
    continue
  fi
  path="$(ldd "$binary" | awk -v s="$soname" '$1 == s { print $3 } $1 ~ ("/" s "$") { print $1 }' | head -n1)"
  package="$( [ -n "$path" ] && dpkg -S "$(readlink -f "$path")" 2>/dev/null | head -n1 | cut -d: -f1 || true)"
  [ -n "$package" ] || package="$( [ -n "$path" ] && dpkg -S "$path" 2>/dev/null | head -n1 | cut -d: -f1 || true)"
  echo "$soname ${package:-?}"
done
exit $status
