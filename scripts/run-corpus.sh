#!/usr/bin/env bash
# Runs a generated-corpus scorer (Tests/ContextMatrix/matrix.py, Tests/CredentialFiles/corpus.py) with the
# built binary and a rule cache of its own, removed afterwards unless KEYWARDEN_CACHE_DIR is given.
#   scripts/run-corpus.sh SCORER.py [scorer options]     (KEYWARDEN_BIN=PATH for another binary)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scorer=$1; shift
bin=${KEYWARDEN_BIN:-$root/.build/debug/keywarden}
if [ -z "${KEYWARDEN_CACHE_DIR:-}" ]; then
  KEYWARDEN_CACHE_DIR=$(mktemp -d)
  export KEYWARDEN_CACHE_DIR
  trap 'rm -rf "$KEYWARDEN_CACHE_DIR"' EXIT
fi
status=0
python3 -B "$root/$scorer" --bin "$bin" "$@" || status=$?
exit "$status"
