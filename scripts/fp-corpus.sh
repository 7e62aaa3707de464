#!/usr/bin/env bash
# The false-positive corpus check: scans the sources of every Swift package this machine kind carries
# (/opt/swift-packages, each at its highest tag: about 560 MB of real code holding no live secrets) and
# compares every finding, as (rule, path, line, severity), with Tests/FalsePositives/findings.tsv, and the
# findings counted by rule with Tests/FalsePositives/expected.tsv, which explains what each rule that fires
# there finds. A finding that appears, disappears or moves, a severity that changes, or a rule without an
# explanation fails the check: every finding on this corpus stays explained.
#
#   scripts/fp-corpus.sh            # check (exit 0 pass, 1 differences, 2 error, 3 not run: no corpus)
#   scripts/fp-corpus.sh --counts   # print the counts by rule, for updating expected.tsv
#   scripts/fp-corpus.sh --update   # rewrite findings.tsv from this scan (then explain the diff in expected.tsv)
#
# Without /opt/swift-packages the check cannot run: it says so and exits 3, unless KEYWARDEN_FP_REQUIRED=1
# (set by .ci/run), which makes a missing corpus an error (exit 2).
#
# The extracted sources are kept in .build/fp-corpus and reused while the package list, the tags chosen
# and the commits they name are the same (.build/fp-corpus/.manifest); anything else re-extracts them.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
packages=${KEYWARDEN_FP_PACKAGES:-/opt/swift-packages}
corpus=${KEYWARDEN_FP_CORPUS:-$root/.build/fp-corpus}
# Always the binary this checkout built (KEYWARDEN_BIN is the hooks' setting, not this script's).
bin=$root/.build/debug/keywarden
expected="$root/Tests/FalsePositives/expected.tsv"
findings="$root/Tests/FalsePositives/findings.tsv"

shopt -s nullglob
repos=("$packages"/*/*.git)
if [ ! -d "$packages" ] || [ ${#repos[@]} -eq 0 ]; then
  if [ "${KEYWARDEN_FP_REQUIRED:-0}" = 1 ]; then
    echo "fp-corpus: FAILED: no Swift packages at $packages, and KEYWARDEN_FP_REQUIRED=1 requires the corpus check" >&2
    exit 2
  fi
  echo "fp-corpus: NOT RUN: no Swift packages at $packages (the corpus this check scans); set KEYWARDEN_FP_PACKAGES to run it elsewhere" >&2
  exit 3
fi

# What would be extracted: each repository, the tag chosen and the commit it names.
manifest=$(
  for repo in "${repos[@]}"; do
    owner=$(basename "$(dirname "$repo")"); name=$(basename "$repo" .git)
    # The highest tag and the commit it names (an annotated tag's peeled id), in one git call.
    read -r tag object peeled < <(git -C "$repo" for-each-ref --sort=-v:refname --count=1 \
      --format='%(refname:short) %(objectname) %(*objectname)' refs/tags) || true
    if [ -z "${tag:-}" ]; then
      tag=HEAD; object=$(git -C "$repo" rev-parse --verify -q HEAD || echo none); peeled=""
    fi
    printf '%s/%s\t%s\t%s\n' "$owner" "$name" "$tag" "${peeled:-$object}"
    tag=""; object=""; peeled=""
  done
)
if [ "$(cat "$corpus/.manifest" 2>/dev/null || true)" != "$manifest" ]; then
  echo "fp-corpus: extracting $(echo "$manifest" | wc -l) packages into $corpus" >&2
  rm -rf "$corpus"
  mkdir -p "$corpus"
  while IFS=$'\t' read -r path ref _; do
    mkdir -p "$corpus/$path"
    git -C "$packages/$path.git" archive "$ref" | tar -x -C "$corpus/$path"
  done <<< "$manifest"
  # Written last: an interrupted extraction is never taken for a complete one.
  printf '%s\n' "$manifest" > "$corpus/.manifest"
fi
[ -x "$bin" ] || { echo "fp-corpus: no keywarden binary at $bin (swift build first)" >&2; exit 2; }

report=$(mktemp)
trap 'rm -f "$report"' EXIT
set +e
# From the corpus root, so that paths (and the test/documentation context read from them) do not depend
# on where this checkout lives (a checkout in a folder named like "wt-tests" would make every path a test's).
(cd "$corpus" && "$bin" scan --no-git --format json --output "$report" .) 2>/dev/null
status=$?
set -e
if [ "$status" -eq 2 ]; then echo "fp-corpus: the scan failed" >&2; exit 2; fi

python3 - "$report" "$expected" "$findings" "${1:-}" <<'PY'
import collections, json, sys
report, expected_path, findings_path, mode = sys.argv[1:5]
found = json.load(open(report))["findings"]

def norm(path):
    return path[2:] if path.startswith("./") else path

actual = collections.Counter((f["rule_id"], norm(f["path"]), str(f["line"]), f["severity"]) for f in found)
counts = collections.Counter(f["rule_id"] for f in found)
contexts = collections.Counter((f["rule_id"], (f.get("extra") or {}).get("context", "-")) for f in found)

if mode == "--counts":
    for rule, n in sorted(counts.items()):
        split = ", ".join(f"{c} {k}" for (r, k), c in sorted(contexts.items()) if r == rule)
        print(f"{rule}\t{n}\t({split})")
    print(f"total\t{len(found)}")
    sys.exit(0)

header = ("# Every finding keywarden reports on the false-positive corpus (scripts/fp-corpus.sh), as\n"
          "# rule<TAB>path<TAB>line<TAB>severity, paths relative to the corpus root. What each rule finds here is\n"
          "# explained in expected.tsv. Regenerate with `scripts/fp-corpus.sh --update` and review the diff.\n")
if mode == "--update":
    with open(findings_path, "w") as out:
        out.write(header)
        for row in sorted(actual.elements()):
            out.write("\t".join(row) + "\n")
    print(f"fp-corpus: wrote {sum(actual.values())} findings to {findings_path}")
    sys.exit(0)

listed = collections.Counter()
for line in open(findings_path):
    if not line.strip() or line.startswith("#"):
        continue
    rule, path, number, severity = line.rstrip("\n").split("\t")
    listed[(rule, path, number, severity)] += 1

expected = {}
for line in open(expected_path):
    if not line.strip() or line.startswith("#"):
        continue
    rule, count, why = line.rstrip("\n").split("\t", 2)
    expected[rule] = (int(count), why)

problems = []
for row in sorted((actual - listed).elements()):
    problems.append("new finding: " + "\t".join(row))
for row in sorted((listed - actual).elements()):
    problems.append("finding gone: " + "\t".join(row))
for rule, n in sorted(counts.items()):
    if rule not in expected:
        problems.append(f"{rule}: {n} unexplained finding(s) (no line in expected.tsv)")
    elif expected[rule][0] != n:
        problems.append(f"{rule}: {n} findings, expected.tsv says {expected[rule][0]} ({expected[rule][1]})")
for rule, (n, why) in sorted(expected.items()):
    if rule not in counts and n != 0:
        problems.append(f"{rule}: 0 findings, expected.tsv says {n} ({why})")
for p in problems:
    print("fp-corpus: " + p)
print(f"fp-corpus: {len(found)} findings in {len(counts)} rules, {len(problems)} difference(s) from findings.tsv and expected.tsv")
sys.exit(1 if problems else 0)
PY
