#!/usr/bin/env bash
# The false-positive corpus check: scans the sources of every Swift package this machine kind carries
# (/opt/swift-packages, each at its highest tag: about 560 MB of real code holding no live secrets) and
# compares the findings, counted by rule, with Tests/FalsePositives/expected.tsv, where each rule that
# fires there has its count and the explanation of what it finds. A rule missing from that file, or a
# count that differs, fails the check: every finding on this corpus stays explained.
#
#   scripts/fp-corpus.sh            # check (exit 0 pass, 1 differences, 2 error)
#   scripts/fp-corpus.sh --counts   # print the counts by rule, for updating expected.tsv
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
packages=${KEYWARDEN_FP_PACKAGES:-/opt/swift-packages}
corpus=${KEYWARDEN_FP_CORPUS:-$root/.build/fp-corpus}
bin=${KEYWARDEN_BIN:-$root/.build/debug/keywarden}
expected="$root/Tests/FalsePositives/expected.tsv"

if [ ! -d "$packages" ]; then
  echo "fp-corpus: no Swift packages at $packages" >&2
  exit 2
fi
if [ ! -f "$corpus/.done" ]; then
  rm -rf "$corpus"
  mkdir -p "$corpus"
  for repo in "$packages"/*/*.git; do
    owner=$(basename "$(dirname "$repo")"); name=$(basename "$repo" .git)
    tag=$(git -C "$repo" tag --sort=-v:refname | head -n 1)
    mkdir -p "$corpus/$owner/$name"
    git -C "$repo" archive "${tag:-HEAD}" | tar -x -C "$corpus/$owner/$name"
  done
  touch "$corpus/.done"
fi
[ -x "$bin" ] || { echo "fp-corpus: no keywarden binary at $bin (swift build first)" >&2; exit 2; }

report=$(mktemp)
trap 'rm -f "$report"' EXIT
set +e
"$bin" scan --no-git --format json --output "$report" "$corpus" 2>/dev/null
status=$?
set -e
if [ "$status" -eq 2 ]; then echo "fp-corpus: the scan failed" >&2; exit 2; fi

python3 - "$report" "$expected" "${1:-}" <<'PY'
import collections, json, sys
report, expected_path, mode = sys.argv[1], sys.argv[2], sys.argv[3]
findings = json.load(open(report))["findings"]
counts = collections.Counter(f["rule_id"] for f in findings)
contexts = collections.Counter((f["rule_id"], (f.get("extra") or {}).get("context", "-")) for f in findings)
if mode == "--counts":
    for rule, n in sorted(counts.items()):
        split = ", ".join(f"{c} {k}" for (r, k), c in sorted(contexts.items()) if r == rule)
        print(f"{rule}\t{n}\t({split})")
    print(f"total\t{len(findings)}")
    sys.exit(0)
expected = {}
for line in open(expected_path):
    if not line.strip() or line.startswith("#"):
        continue
    rule, count, why = line.rstrip("\n").split("\t", 2)
    expected[rule] = (int(count), why)
problems = []
for rule, n in sorted(counts.items()):
    if rule not in expected:
        problems.append(f"{rule}: {n} unexplained finding(s)")
    elif expected[rule][0] != n:
        problems.append(f"{rule}: {n} findings, expected {expected[rule][0]} ({expected[rule][1]})")
for rule, (n, why) in sorted(expected.items()):
    if rule not in counts and n != 0:
        problems.append(f"{rule}: 0 findings, expected {n} ({why})")
for p in problems:
    print("fp-corpus: " + p)
print(f"fp-corpus: {len(findings)} findings in {len(counts)} rules, {len(problems)} difference(s) from expected.tsv")
sys.exit(1 if problems else 0)
PY
