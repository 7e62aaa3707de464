#!/usr/bin/env bash
# `make deb`: dist/keywarden_VERSION_ARCH.deb, built with dpkg-deb from the files `make dist` staged.
# Depends: the packages of docs/install.md's runtime library table, at least the versions installed here.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
version="$(tr -d '[:space:]' < VERSION)"
arch="$(dpkg --print-architecture)"
stage="dist/keywarden-${version}-linux-$(uname -m)"
[ -x "$stage/keywarden" ] || scripts/dist.sh >/dev/null
epoch="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}"

pkg="dist/deb-root"
rm -rf "$pkg"
install -d "$pkg/DEBIAN" "$pkg/usr/bin" "$pkg/usr/share/doc/keywarden" "$pkg/usr/share/man/man1" \
  "$pkg/usr/share/bash-completion/completions" "$pkg/usr/share/zsh/vendor-completions" \
  "$pkg/usr/share/fish/vendor_completions.d"
install -m 0755 "$stage/keywarden" "$pkg/usr/bin/keywarden"
# bash-completion sources the file: no interpreter line.
sed '1{/^#!/d}' "$stage/completions/keywarden.bash" > "$pkg/usr/share/bash-completion/completions/keywarden"
chmod 0644 "$pkg/usr/share/bash-completion/completions/keywarden"
install -m 0644 "$stage/completions/_keywarden" "$pkg/usr/share/zsh/vendor-completions/_keywarden"
install -m 0644 "$stage/completions/keywarden.fish" "$pkg/usr/share/fish/vendor_completions.d/keywarden.fish"
for page in "$stage"/man/man1/*.1; do
  gzip -9n < "$page" > "$pkg/usr/share/man/man1/$(basename "$page").gz"
done
chmod 0644 "$pkg"/usr/share/man/man1/*.gz

# copyright (machine-readable) and a Debian changelog for this native package.
{
  echo "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"
  echo "Upstream-Name: keywarden"
  echo
  echo "Files: *"
  echo "Copyright: 2026 the keywarden authors"
  echo "License: MIT"
  sed -n '5,$p' LICENSE | sed 's/^$/./; s/^/ /'
} > "$pkg/usr/share/doc/keywarden/copyright"
date_rfc2822="$(date -u -R -d "@${epoch}")"
{
  echo "keywarden (${version}) unstable; urgency=medium"
  echo
  echo "  * Release ${version}; see /usr/share/doc/keywarden/CHANGELOG.md.gz."
  echo
  echo " -- keywarden maintainers <keywarden@example.com>  ${date_rfc2822}"
} | gzip -9n > "$pkg/usr/share/doc/keywarden/changelog.gz"
gzip -9n < CHANGELOG.md > "$pkg/usr/share/doc/keywarden/CHANGELOG.md.gz"
chmod 0644 "$pkg"/usr/share/doc/keywarden/*

# Depends: each package of the runtime library table once, >= the upstream version installed here.
depends=""
for package in $(sed -n '/^<!-- runtime-libraries -->/,/^<!-- \/runtime-libraries -->/p' docs/install.md \
                   | awk -F'|' 'NR > 3 && NF > 3 { gsub(/ /, "", $3); print $3 }' | awk '!seen[$0]++'); do
  installed="$(dpkg-query -W -f='${Version}' "$package" 2>/dev/null || true)"
  [ -n "$installed" ] || { echo "deb: $package (from docs/install.md) is not installed here" >&2; exit 2; }
  upstream="${installed%-*}"
  depends="${depends:+$depends, }$package (>= $upstream)"
done
size="$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)"
cat > "$pkg/DEBIAN/control" <<CONTROL
Package: keywarden
Version: ${version}
Architecture: ${arch}
Maintainer: keywarden maintainers <keywarden@example.com>
Installed-Size: ${size}
Depends: ${depends}
Section: devel
Priority: optional
Homepage: https://github.com/OWNER/keywarden
Description: secrets scanner, git pre-commit hook and key-rotation tracker
 keywarden finds API keys (MaintainX, Mindtickle, Makini and the common cloud
 and SaaS providers) in files, staged changes and git history, blocks commits
 that add them, and tracks the keys a team holds so that each is rotated on
 schedule.
CONTROL
find "$pkg" -exec touch -h -d "@${epoch}" {} +
out="dist/keywarden_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$pkg" "$out" >/dev/null
(cd dist && sha256sum -- *.tar.gz *.deb > SHA256SUMS)
echo "$out"
