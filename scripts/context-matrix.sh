#!/usr/bin/env bash
# The context matrix of issue 16: fake MaintainX, Mindtickle and Makini credentials (seven kinds) in
# realistic files of every context template, plus hard negatives, generated into a fresh temporary
# directory at run time; the real binary scans them and Tests/ContextMatrix/matrix.py prints recall per
# kind and every false positive.
#
#   scripts/context-matrix.sh                      # .build/debug/keywarden; exit 0 pass, 1 below goal, 2 error
#   scripts/context-matrix.sh --bin PATH           # another binary (or KEYWARDEN_BIN=PATH)
#   scripts/context-matrix.sh --seed N             # repeat a run (the seed is printed first)
#   scripts/context-matrix.sh --report-only -v     # always exit 0; list every missed credential
#   scripts/context-matrix.sh --keep DIR           # keep the files, manifest.json and report.json
#
# Goal: recall >= 0.98 for every kind and 0 false positives.
exec "$(dirname "$0")/run-corpus.sh" Tests/ContextMatrix/matrix.py "$@"
