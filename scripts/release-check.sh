#!/usr/bin/env bash
# `make release-check`: builds every release artifact from this checkout and installs and runs each one
# that can run on this machine (docs/install.md, "Checking the artifacts"). Says SKIPPED, with the reason,
# for what it cannot run here; exit 1 on any failure.
#
#   KEYWARDEN_DEBIAN_ROOT=DIR   a Debian 12 root file system to install the .deb into (default: made once
#                               with debootstrap under ~/.cache/keywarden-release/bookworm when available)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
version="$(tr -d '[:space:]' < VERSION)"
arch="$(uname -m)"
name="keywarden-${version}-linux-${arch}"
fail() { echo "release-check: FAIL: $*" >&2; exit 1; }
skip() { echo "release-check: SKIPPED: $*"; }
ok() { echo "release-check: ok: $*"; }

scripts/dist.sh >/dev/null
scripts/deb.sh >/dev/null
deb="dist/keywarden_${version}_$(dpkg --print-architecture).deb"
(cd dist && sha256sum --check --quiet SHA256SUMS) || fail "SHA256SUMS does not match dist/"
ok "SHA256SUMS"
scripts/check-libraries.sh "dist/${name}/keywarden" >/dev/null || fail "libraries beyond docs/install.md"
ok "runtime libraries are the documented ones"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# A repository with one fake key (assembled here, never stored) and a clean one.
make_repos() {
  local base="$1"
  mkdir -p "$base/leaky" "$base/clean"
  python3 - "$base/leaky/settings.env" <<'PY'
import secrets, string, sys
alphabet = string.ascii_letters + string.digits
key = "sk_" + "live_" + "".join(secrets.choice(alphabet) for _ in range(24))
open(sys.argv[1], "w").write("STRIPE_SECRET_KEY=" + key + "\n")
PY
  echo "nothing secret here" > "$base/clean/README.md"
}

# 1. The tarball: unpack and run.
tar -xzf "dist/${name}.tar.gz" -C "$work"
bin="$work/${name}/keywarden"
[ "$("$bin" --version | cut -d' ' -f1)" = "$version" ] || fail "tarball binary reports $("$bin" --version)"
for f in completions/keywarden.bash completions/_keywarden completions/keywarden.fish man/man1/keywarden.1 \
         man/man1/keywarden.scan.1 LICENSE README.md CHANGELOG.md; do
  [ -s "$work/${name}/$f" ] || fail "tarball lacks $f"
done
make_repos "$work/repos"
set +e
"$bin" scan --no-git "$work/repos/leaky" > "$work/leaky.txt" 2>&1; leaky=$?
"$bin" scan --no-git "$work/repos/clean" > "$work/clean.txt" 2>&1; clean=$?
set -e
[ "$leaky" = 1 ] && grep -q "stripe" "$work/leaky.txt" || fail "tarball binary: leaky repo gave exit $leaky: $(cat "$work/leaky.txt")"
[ "$clean" = 0 ] || fail "tarball binary: clean repo gave exit $clean"
ok "tarball: unpacks, runs, finds the key (exit 1), passes the clean repo (exit 0)"

# 2. The .deb in a clean Debian 12 root.
debian="${KEYWARDEN_DEBIAN_ROOT:-$HOME/.cache/keywarden-release/bookworm}"
if [ ! -x "$debian/usr/bin/apt-get" ] && command -v debootstrap >/dev/null && [ "$(id -u)" = 0 ]; then
  mkdir -p "$(dirname "$debian")"
  debootstrap --variant=minbase bookworm "$debian" http://deb.debian.org/debian >/dev/null \
    || { rm -rf "$debian"; skip "debootstrap failed"; }
fi
if [ -x "$debian/usr/bin/apt-get" ] && [ "$(id -u)" = 0 ]; then
  cp /etc/resolv.conf "$debian/etc/resolv.conf" 2>/dev/null || true
  cp "$deb" "$debian/tmp/keywarden.deb"
  rm -rf "$debian/tmp/repos" && make_repos "$debian/tmp/repos"
  chroot "$debian" apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive chroot "$debian" apt-get install -y -qq /tmp/keywarden.deb >/dev/null \
    || fail "apt-get install of the .deb failed in $debian"
  chroot "$debian" dpkg -L keywarden > "$work/files.txt"
  [ "$(chroot "$debian" keywarden --version | cut -d' ' -f1)" = "$version" ] || fail ".deb: keywarden --version"
  set +e
  chroot "$debian" keywarden scan --no-git /tmp/repos/leaky > "$work/deb-leaky.txt" 2>&1; leaky=$?
  chroot "$debian" keywarden scan --no-git /tmp/repos/clean > /dev/null 2>&1; clean=$?
  set -e
  [ "$leaky" = 1 ] || fail ".deb: leaky repo gave exit $leaky: $(cat "$work/deb-leaky.txt")"
  [ "$clean" = 0 ] || fail ".deb: clean repo gave exit $clean"
  chroot "$debian" test -s /usr/share/man/man1/keywarden.1.gz || fail ".deb: no man page"
  chroot "$debian" test -s /usr/share/bash-completion/completions/keywarden || fail ".deb: no bash completion"
  DEBIAN_FRONTEND=noninteractive chroot "$debian" dpkg --purge keywarden >/dev/null || fail "dpkg --purge failed"
  left=""
  while read -r f; do
    [ -f "$debian$f" ] || [ -L "$debian$f" ] && left="$left $f"
  done < "$work/files.txt"
  [ -z "$left" ] || fail ".deb: files left after dpkg --purge:$left"
  ok ".deb: installs in a clean Debian 12 root with its Depends, scans (exit 1 / 0), purges without leftovers"
else
  skip ".deb install: no Debian 12 root (set KEYWARDEN_DEBIAN_ROOT, or run as root with debootstrap installed)"
fi

# 3. lintian.
if command -v lintian >/dev/null; then
  lintian --fail-on error,warning "$deb" > "$work/lintian.txt" 2>&1 || fail "lintian: $(cat "$work/lintian.txt")"
  ok "lintian: no errors or warnings ($(grep -c '^[IP]:' "$work/lintian.txt" || true) info/pedantic tags)"
else
  skip "lintian is not installed"
fi

# 4. The container image (final stage from the tarball; the Swift build stage needs the Swift image).
if command -v podman >/dev/null && podman info >/dev/null 2>&1 && [ -x "$debian/usr/bin/apt-get" ]; then
  base="localhost/keywarden-release-base:bookworm"
  tar -C "$debian" --exclude=./proc --exclude=./sys --exclude=./dev -cf - . | podman import - "$base" >/dev/null
  podman build -q --network=host -t "keywarden:${version}" -f Containerfile --target prebuilt \
    --build-arg BASE_IMAGE="$base" . >/dev/null || fail "podman build --target prebuilt"
  uid="$(podman run --rm --entrypoint id "keywarden:${version}" -u)"
  [ "$uid" != 0 ] || fail "the image runs as root"
  set +e
  podman run --rm --network=none -v "$work/repos/leaky:/repo:ro" "keywarden:${version}" scan --no-git > "$work/img.txt" 2>&1; leaky=$?
  podman run --rm --network=none -v "$work/repos/clean:/repo:ro" "keywarden:${version}" scan --no-git > /dev/null 2>&1; clean=$?
  set -e
  [ "$leaky" = 1 ] || fail "image: leaky repo gave exit $leaky: $(cat "$work/img.txt")"
  [ "$clean" = 0 ] || fail "image: clean repo gave exit $clean"
  ok "image (prebuilt target on a Debian 12 base): non-root uid $uid, scans /repo (exit 1 / 0)"
else
  skip "container image: podman cannot run here or no Debian root to base it on"
fi
echo "release-check: done"
