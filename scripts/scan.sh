#!/usr/bin/env bash
# Sets up and runs the main job: system packages, a release build of keywarden, and a scan
# (of this repository by default; pass other paths or options through).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
(cd "$root" && swift build -c release --static-swift-stdlib)
if [ $# -eq 0 ]; then
  cd "$root"
  exec "$root/.build/release/keywarden" scan
fi
exec "$root/.build/release/keywarden" scan "$@"
