#!/usr/bin/env bash
# The credential-file corpus of issue 21: credential files written the way their tools write them (.netrc,
# .pgpass, Docker config.json, FileZilla, WinSCP, wp-config.php, terraform.tfstate, ... with fake values
# made at run time) and their clean counterparts (templates, examples, documentation, code), generated into
# a fresh temporary directory; the real binary scans them and Tests/CredentialFiles/corpus.py prints, per
# file type, the credential lines found/total and the false positives.
#
#   scripts/credential-files.sh                    # .build/debug/keywarden; exit 0 pass, 1 below goal, 2 error
#   scripts/credential-files.sh --bin PATH         # another binary (or KEYWARDEN_BIN=PATH)
#   scripts/credential-files.sh --seed N           # repeat a run (the seed is printed first)
#   scripts/credential-files.sh --report-only -v   # always exit 0; list every miss
#   scripts/credential-files.sh --keep DIR         # keep the generated files
#
# Goal: recall >= 0.95 of the credential lines and 0 false positives.
exec "$(dirname "$0")/run-corpus.sh" Tests/CredentialFiles/corpus.py "$@"
