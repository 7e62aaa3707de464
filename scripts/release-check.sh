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
mounted=""
cleanup() {
  [ -z "$mounted" ] || umount "$mounted" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
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
         man/man1/keywarden-scan.1 LICENSE README.md CHANGELOG.md; do
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
  # The Swift runtime reads the command line from /proc/self/cmdline: a root without /proc cannot run it.
  if ! mountpoint -q "$debian/proc"; then
    mount -t proc proc "$debian/proc" || fail "cannot mount /proc in $debian"
    mounted="$debian/proc"
  fi
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
  if [ -n "$mounted" ]; then umount "$mounted" && mounted=""; fi
else
  skip ".deb install: no Debian 12 root (set KEYWARDEN_DEBIAN_ROOT, or run as root with debootstrap installed)"
fi

# 3. lintian.
if command -v lintian >/dev/null; then
  # (lintian warns on standard error when run as root; only its tags count.)
  lintian --fail-on error,warning "$deb" > "$work/lintian.txt" 2>/dev/null || fail "lintian: $(cat "$work/lintian.txt")"
  ok "lintian: no errors or warnings ($(grep -c '^[IP]:' "$work/lintian.txt" || true) info/pedantic tags)"
else
  skip "lintian is not installed"
fi

# 4. The container image (final stage from the tarball; the Swift build stage needs the Swift image).
# `podman build --isolation chroot` needs no OCI runtime; where `podman run` cannot start a container
# (no usable cgroups or rlimits in a sandbox), the image's file system is run with chroot as its user.
if command -v podman >/dev/null && [ -x "$debian/usr/bin/apt-get" ] && [ "$(id -u)" = 0 ]; then
  base="localhost/keywarden-release-base:bookworm"
  tar -C "$debian" --exclude=./proc --exclude=./sys --exclude=./dev -cf - . | podman import - "$base" >/dev/null
  podman build -q --isolation chroot --network=host -t "keywarden:${version}" -f Containerfile --target prebuilt \
    --build-arg BASE_IMAGE="$base" . >/dev/null || fail "podman build --target prebuilt"
  config="$(podman image inspect --format '{{.Config.User}} {{.Config.WorkingDir}} {{join .Config.Entrypoint " "}}' "keywarden:${version}")"
  [ "$config" = "keywarden /repo /usr/local/bin/keywarden" ] || fail "image config: $config"
  image_root="$work/image-root"
  mkdir -p "$image_root"
  container="$(podman create "keywarden:${version}")"
  podman export "$container" | tar -x -C "$image_root"
  podman rm "$container" >/dev/null
  uid="$(chroot "$image_root" id -u keywarden)"
  [ "$uid" != 0 ] || fail "the image's user is root"
  if podman run --rm --network=none -v "$work/repos/leaky:/repo:ro" "keywarden:${version}" scan --no-git > "$work/img.txt" 2>&1; then leaky=0; else leaky=$?; fi
  if [ "$leaky" = 1 ]; then
    podman run --rm --network=none -v "$work/repos/clean:/repo:ro" "keywarden:${version}" scan --no-git >/dev/null 2>&1 \
      || fail "image: clean repo gave exit $?"
    ok "image: podman run as uid $uid, scans /repo (exit 1 / 0)"
  else
    cp -r "$work/repos" "$image_root/tmp/repos"
    mount -t proc proc "$image_root/proc" && mounted="$image_root/proc"
    run_image() { chroot --userspec="$uid:$uid" "$image_root" /usr/bin/env KEYWARDEN_CACHE_DIR=/tmp/keywarden-cache \
                    /bin/sh -c "cd /tmp/repos/$1 && /usr/local/bin/keywarden scan --no-git"; }
    set +e
    run_image leaky > "$work/img.txt" 2>&1; leaky=$?
    run_image clean > /dev/null 2>&1; clean=$?
    set -e
    umount "$mounted" && mounted=""
    [ "$leaky" = 1 ] || fail "image (chroot): leaky repo gave exit $leaky: $(cat "$work/img.txt")"
    [ "$clean" = 0 ] || fail "image (chroot): clean repo gave exit $clean"
    ok "image: built; podman run cannot start containers here, so its file system ran under chroot as uid $uid (exit 1 / 0); user, /repo and entrypoint checked in its config"
  fi
else
  skip "container image: no podman, no Debian root to base it on, or not root"
fi
echo "release-check: done"
