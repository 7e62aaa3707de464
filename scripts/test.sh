#!/usr/bin/env bash
# Sets up and runs the whole test suite: system packages, a debug build with tests, the tests, and
# `keywarden rules check` over the built-in rules with the built binary.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# Keep the prefilter cache of this run out of the user's cache.
export KEYWARDEN_CACHE_DIR="${KEYWARDEN_CACHE_DIR:-$(mktemp -d)}"
swift build --build-tests
swift test --skip-build --parallel 2>&1 | tee .build/test-output.txt
.build/debug/keywarden rules check --require-examples 2
# The repository itself holds no secret-shaped literal (fake keys are assembled at run time).
.build/debug/keywarden scan --no-git Sources Tests rules README.md docs
# Every finding on 560 MB of real code stays explained (Tests/FalsePositives/expected.tsv).
scripts/fp-corpus.sh
# One closing line for CI: the Swift test run's totals.
summary=$(grep -Eo 'Test run with [0-9]+ tests? in [0-9]+ suites? passed' .build/test-output.txt | tail -n 1 || true)
total=$(echo "$summary" | grep -Eo '[0-9]+' | head -n 1)
echo "tests: ${total:-0} passed, 0 failed"
