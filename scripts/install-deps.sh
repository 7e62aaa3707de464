#!/usr/bin/env bash
# Installs the Debian packages keywarden builds against (and Chromium for the report test), and Python's jsonschema for the SARIF tests, when
# any is missing. Idempotent; needs root (or sudo) only when something must be installed.
#
# --build-only: only the Debian packages needed to build keywarden (what the GitHub Action's
# build-from-source step runs): no Chromium, no Python package, python3 and pip are never run.
set -euo pipefail
build_only=false
for arg in "$@"; do
  case "$arg" in
    --build-only) build_only=true ;;
    -h|--help) echo "usage: scripts/install-deps.sh [--build-only]"; exit 0 ;;
    *) echo "keywarden: install-deps.sh: unknown option $arg (usage: scripts/install-deps.sh [--build-only])" >&2; exit 2 ;;
  esac
done
packages=(libgit2-dev libssl-dev libvectorscan-dev libpcre2-dev libarchive-dev libdeflate-dev pkg-config git)
# chromium: the headless browser that Tests/Browser/report_browser_test.py drives (keys report).
$build_only || packages+=(chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "keywarden: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
$build_only && exit 0
# The SARIF tests validate against the SARIF schema with Python's jsonschema, run by the python3 on PATH.
if ! python3 -c 'import jsonschema' 2>/dev/null; then
  echo "keywarden: installing the Python package jsonschema (for the SARIF schema tests)" >&2
  python3 -m pip install --quiet jsonschema 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages jsonschema 2>/dev/null \
    || { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-jsonschema >/dev/null; }
  python3 -c 'import jsonschema' || { echo "keywarden: python3 cannot import jsonschema" >&2; exit 1; }
fi
# The hook tests run the pre-commit framework (4.x: 3.x calls `swift build -C`, which Swift 6 rejects).
if ! python3 -m pre_commit --version 2>/dev/null | grep -q '^pre-commit 4\.'; then
  echo "keywarden: installing the Python package pre-commit 4.x (for the hook tests)" >&2
  python3 -m pip install --quiet 'pre-commit>=4,<5' 2>/dev/null \
    || python3 -m pip install --quiet --user 'pre-commit>=4,<5' 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages 'pre-commit>=4,<5' 2>/dev/null \
    || true
  python3 -m pre_commit --version 2>/dev/null | grep -q '^pre-commit 4\.' \
    || { echo "keywarden: python3 cannot run pre-commit 4.x (python3 -m pip install 'pre-commit>=4,<5')" >&2; exit 1; }
fi
