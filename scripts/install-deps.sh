#!/usr/bin/env bash
# Installs the Debian packages keywarden builds against, when any is missing. Idempotent; needs root
# (or sudo) only when something must be installed.
set -euo pipefail
packages=(libgit2-dev libssl-dev libvectorscan-dev libpcre2-dev pkg-config git)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "keywarden: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
