#!/usr/bin/env bash
# `make dist`: the release tarball for this machine's platform, and SHA256SUMS.
#
#   dist/keywarden-VERSION-linux-ARCH.tar.gz   keywarden (Swift runtime linked in), completions, man pages,
#                                              LICENSE, README.md, CHANGELOG.md
#   dist/SHA256SUMS                            sha256sum of every artifact in dist/
#
# The binary's remaining shared libraries must be the ones docs/install.md lists (scripts/check-libraries.sh).
# SOURCE_DATE_EPOCH (default: the last commit's time) fixes the archive's timestamps.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scripts/install-deps.sh
version="$(tr -d '[:space:]' < VERSION)"
arch="$(uname -m)"
name="keywarden-${version}-linux-${arch}"
epoch="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}"

swift build -c release --static-swift-stdlib --product keywarden
binary=.build/release/keywarden
scripts/check-libraries.sh "$binary"

stage="dist/${name}"
rm -rf "$stage"
mkdir -p "$stage/completions" "$stage/man/man1"
install -m 0755 "$binary" "$stage/keywarden"
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$stage/keywarden"
"$stage/keywarden" --generate-completion-script bash > "$stage/completions/keywarden.bash"
"$stage/keywarden" --generate-completion-script zsh > "$stage/completions/_keywarden"
"$stage/keywarden" --generate-completion-script fish > "$stage/completions/keywarden.fish"
# Man pages from the commands' help (argument-parser's generate-manual plugin; its debug build: the release
# flags differ, and building both would mean two full release builds).
swift package --allow-writing-to-package-directory generate-manual --configuration debug --multi-page >/dev/null
python3 scripts/man-pages.py .build/plugins/GenerateManual/outputs/keywarden "$stage/man/man1"
install -m 0644 LICENSE README.md CHANGELOG.md "$stage/"

tar --sort=name --mtime="@${epoch}" --owner=0 --group=0 --numeric-owner -C dist -cf - "$name" \
  | gzip -9n > "dist/${name}.tar.gz"
(cd dist && sha256sum -- *.tar.gz $(ls *.deb 2>/dev/null) > SHA256SUMS)
echo "dist/${name}.tar.gz"
