#!/usr/bin/env bash
# Sets up and runs the whole test suite: system packages, a debug build with tests, the tests,
# `keywarden rules check` over the built-in rules with the built binary, a scan of this repository, and the
# false-positive corpus check (scripts/fp-corpus.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# The suite tests what it builds: KEYWARDEN_BIN (the binary the hook shims run) must not point anything
# here at another, older keywarden.
unset KEYWARDEN_BIN
# Keep the prefilter cache of this run out of the user's cache (the tests pass it on to every keywarden
# they start).
export KEYWARDEN_CACHE_DIR="${KEYWARDEN_CACHE_DIR:-$(mktemp -d)}"
swift build --build-tests
swift test --skip-build --parallel 2>&1 | tee .build/test-output.txt
.build/debug/keywarden rules check --require-examples 2
# Every shared library the binary needs is in docs/install.md's table (which the .deb's Depends:, the
# container image and the action's install step follow).
scripts/check-libraries.sh --debug-build .build/debug/keywarden >/dev/null
# The repository itself holds no secret-shaped literal (fake keys are assembled at run time), including
# the hook shims, scripts, the GitHub action, the GitLab template and the build plugin.
.build/debug/keywarden scan --no-git Sources Tests rules README.md docs hooks scripts action.yml .gitlab Plugins
# Every finding on 560 MB of real code stays explained (Tests/FalsePositives/). Without the corpus
# (/opt/swift-packages) the check cannot run: say so and go on, unless KEYWARDEN_FP_REQUIRED=1 (.ci/run).
corpus_note=""
set +e
scripts/fp-corpus.sh
corpus_status=$?
set -e
case $corpus_status in
  0) ;;
  3) corpus_note="NOTE: the false-positive corpus check was NOT run (no Swift packages at ${KEYWARDEN_FP_PACKAGES:-/opt/swift-packages}); .ci/run requires it" ;;
  *) exit "$corpus_status" ;;
esac
# The short fuzz pass (10 s per libFuzzer target, scripts/fuzz.sh; its sanitizer build has its own scratch
# path, .build-fuzz): CI runs it (.ci/run sets KEYWARDEN_FUZZ_SHORT=1), `make fuzz-short` runs it alone.
fuzz_note="NOTE: the short fuzz pass was not run (KEYWARDEN_FUZZ_SHORT=1 or make fuzz-short runs it)"
if [ "${KEYWARDEN_FUZZ_SHORT:-0}" = 1 ]; then
  scripts/fuzz.sh 10
  fuzz_note=""
fi
# One closing line for CI: the Swift test run's totals.
summary=$(grep -Eo 'Test run with [0-9]+ tests? in [0-9]+ suites? passed' .build/test-output.txt | tail -n 1 || true)
total=$(echo "$summary" | grep -Eo '[0-9]+' | head -n 1)
[ -z "$corpus_note" ] || echo "$corpus_note"
[ -z "$fuzz_note" ] || echo "$fuzz_note"
echo "tests: ${total:-0} passed, 0 failed"
