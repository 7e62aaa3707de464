#!/usr/bin/env bash
# Builds the libFuzzer targets (Fuzz/, only with KEYWARDEN_FUZZ=1) with the fuzzer and address sanitizers
# on their own scratch path, then runs each for SECONDS (default 60) from its committed seed corpus.
# New inputs go to .build-fuzz/corpus (out of git); a crash leaves its input there and fails the run.
#
#   scripts/fuzz.sh            # 60 s per target   (make fuzz)
#   scripts/fuzz.sh 10         # the short CI pass (make fuzz-short)
#   scripts/fuzz.sh 1800 FuzzJWT
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(FuzzRulesTOML FuzzLedger FuzzJWT FuzzWebhookSignature FuzzGitIndex FuzzGitTree FuzzPackOrder FuzzLineDiff FuzzHTTPResponse FuzzNamedValues)
export KEYWARDEN_FUZZ=1
# The sanitizer flags come from Package.swift (KEYWARDEN_FUZZ=1), so the build tools stay plain programs.
for t in "${targets[@]}"; do
  swift build --scratch-path .build-fuzz --product "$t" >&2
done
status=0
for t in "${targets[@]}"; do
  work=".build-fuzz/corpus/$t"
  mkdir -p "$work" ".build-fuzz/crashes/$t"
  log=".build-fuzz/$t.log"
  # No leak detection: TOMLKit leaks its table when toml++ throws on a syntax error, and in its `keys`
  # getter (found by these targets; bounded per file in a short-lived process). Crashes, aborts and
  # memory errors still fail the run. Because those leaks add up over one long fuzzing process, the
  # memory limit is raised from libFuzzer's 2 GB (a run of FuzzLedger stopped there after 635 s);
  # KEYWARDEN_FUZZ_RSS_MB overrides it.
  if ! ASAN_OPTIONS=detect_leaks=0 ".build-fuzz/debug/$t" -max_total_time="$seconds" -detect_leaks=0 -rss_limit_mb="${KEYWARDEN_FUZZ_RSS_MB:-12288}" -artifact_prefix=".build-fuzz/crashes/$t/" -print_final_stats=1 \
       "$work" "Fuzz/corpus/$t" >"$log" 2>&1; then
    status=1
    echo "fuzz: $t: CRASH (input in .build-fuzz/crashes/$t/, log $log)" >&2
  fi
  runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | tail -n 1 | grep -Eo '[0-9]+$' || echo '?')
  cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -n 1 | grep -Eo '[0-9]+' || echo '?')
  echo "fuzz: $t: $runs executions in ${seconds}s, coverage $cov edges"
done
exit $status
