#!/usr/bin/env bash
# Linear-cost benchmark (issue 15): runs the release binary on three inputs at 1x, 2x and 5x their base size
# and prints the wall time and peak resident memory of each run (GNU time -v). The cost should grow with
# the input (time roughly 1:2:5) and memory should stay flat for the streamed cases.
#
#   dense   one line of fake AWS-shaped key ids, back to back with one space, BASE_DENSE keys at 1x
#   stdin   BASE_STDIN_MB of text lines piped to `scan -` (a key every 10,000 lines)
#   file    a BASE_FILE_MB text file named on the command line (a key every 10,000 lines)
#
# Usage: scripts/linear-cost.sh [BINARY]   (default .build/release/keywarden; build it with swift build -c release)
# Environment: BASE_DENSE (100000), BASE_STDIN_MB (200), BASE_FILE_MB (100), SCALES ("1 2 5").
# The keys are made up at run time (random characters after a fixed prefix); nothing here is a real secret.
# The machine this runs on may be busy: repeat a run before trusting a single figure.
set -euo pipefail
bin=${1:-.build/release/keywarden}
[ -x "$bin" ] || { echo "linear-cost: no binary at $bin (swift build -c release)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "linear-cost: needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }
base_dense=${BASE_DENSE:-100000}
base_stdin=${BASE_STDIN_MB:-200}
base_file=${BASE_FILE_MB:-100}
scales=${SCALES:-"1 2 5"}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export KEYWARDEN_CACHE_DIR="$work/cache"

# gen.py KIND AMOUNT: writes the input to standard output. dense: AMOUNT keys on one line; text: AMOUNT MB of
# 100-byte lines with a key every 10,000 lines.
cat > "$work/gen.py" <<'EOF'
import random, string, sys
kind, amount = sys.argv[1], int(sys.argv[2])
alphabet = string.ascii_uppercase + "234567"
rng = random.Random(15)
def key():
    return "AKIA" + "".join(rng.choice(alphabet) for _ in range(16))
out = sys.stdout.buffer
if kind == "dense":
    keys = [key() for _ in range(64)]
    out.write(b"aws_key_ids: ")
    for i in range(amount):
        out.write(keys[i % 64].encode() + b" ")
    out.write(b"\n")
else:
    filler = (b"x" * 99 + b"\n") * 10000
    block = len(filler)
    written = 0
    while written < amount << 20:
        out.write(b"aws_access_key_id = " + key().encode() + b"\n")
        out.write(filler)
        written += block + 41
EOF

# run LABEL SCALE SIZE -- COMMAND...: one timed run, one table row.
run() {
  local label=$1 scale=$2 size=$3; shift 4
  local log="$work/time.log"
  set +e
  "$@" > "$work/out.json" 2> "$work/err.txt"
  local status=$?
  set -e
  local seconds rss findings
  seconds=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$log")
  findings=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["findings"]))' "$work/out.json" 2>/dev/null || echo "?")
  printf "%-6s %5sx %12s %9s s %8s MiB %6s %9s %s\n" "$label" "$scale" "$size" "$seconds" "$rss" "$status" "$findings" \
    "$(grep -o 'more match[a-z]* of rule [^ ]*' "$work/err.txt" | head -1)"
}

# The first run compiles the rules into the cache folder; do that before anything is timed.
printf 'nothing here\n' > "$work/warm.txt"
"$bin" scan --no-git "$work/warm.txt" 2>/dev/null || true

printf "%-6s %6s %12s %11s %12s %6s %9s %s\n" case scale input time "peak RSS" exit findings note
for s in $scales; do
  n=$((base_dense * s))
  python3 "$work/gen.py" dense "$n" > "$work/dense.txt"
  run dense "$s" "$n keys" -- /usr/bin/time -v -o "$work/time.log" "$bin" scan --no-git --format json --max-file-size 2G "$work/dense.txt"
  rm -f "$work/dense.txt"
done
for s in $scales; do
  mb=$((base_stdin * s))
  # The generator writes into the pipe; GNU time measures keywarden alone.
  run stdin "$s" "$mb MB" -- bash -c 'python3 "$1" text "$2" | /usr/bin/time -v -o "$3" "$4" scan --format json --max-file-size 4G -' \
    _ "$work/gen.py" "$mb" "$work/time.log" "$bin"
done
for s in $scales; do
  mb=$((base_file * s))
  python3 "$work/gen.py" text "$mb" > "$work/big.log"
  run file "$s" "$mb MB" -- /usr/bin/time -v -o "$work/time.log" "$bin" scan --no-git --format json --max-file-size 4G "$work/big.log"
  rm -f "$work/big.log"
done
