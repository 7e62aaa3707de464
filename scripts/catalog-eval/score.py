#!/usr/bin/env python3
"""Scores keywarden's rules (and the peer scanners) on the evaluation set extract.py wrote.

usage: score.py [--data DIR] [--keywarden PATH] [--config FILE] [--peers LIST] [--sources LIST]
                [--misses FILE] [--json FILE] [--top N]

Each tool scans DATA/<source>/samples once (one file per case); its report is read back per file.
  positive case  found when the tool reports, in that file, a secret overlapping one of the case's
                 expected values (or any finding when the case has none: kingfisher examples,
                 gitleaks literal samples)
  negative case  a false positive when the tool reports anything in that file; cases marked ambiguous
                 (a value the same test file calls valid elsewhere) are left out. "FP rate, own provider"
                 counts only the negatives a tool reports under a rule of the case's own provider (see
                 `names_provider`): the rest report another provider's key or a generic secret there
Prints recall and false-positive rate per source for keywarden and each peer, also the recall on the positive
cases that are not hand-typed dummies (`DUMMY` below: runs such as 1234/abcd, a1b2 alternation, four of one
character, marker words; it is this script's own test, independent of keywarden's filters, and it errs on
the side of calling a case a dummy), and keywarden's misses
per provider; --misses writes those misses as Markdown (provider, source, sample shape), --json the
whole result (with each missed positive and each false positive and its sample file). Peers come from
~/.cache/keywarden-bench/peers/bin (gitleaks, betterleaks, kingfisher, trufflehog when present); each runs
with validation off.
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

PEERS = Path(os.environ.get("BENCH_HOME", Path.home() / ".cache" / "keywarden-bench")) / "peers" / "bin"


def run(cmd, out, cwd=None):
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd)
    # exit codes differ (kingfisher: 200 with findings); a report file is what counts
    if r.returncode < 0 or not Path(out).exists():
        sys.exit(f"score: {' '.join(cmd)} failed ({r.returncode}): {r.stderr.decode()[-400:]}")


def scan_keywarden(kw, config, samples, out):
    cmd = [kw, "scan", "--no-git", "--show-secrets", "--format", "json", "--output", out, str(Path(samples).resolve())]
    if config:
        cmd[2:2] = ["--config", str(Path(config).resolve())]
    # From an empty directory of its own: run from a repository, keywarden would apply that repository's
    # .keywardenignore and .keywarden.toml (keywarden's own ignore list hides some peers' negatives).
    with tempfile.TemporaryDirectory(prefix="catalog-eval-cwd-") as cwd:
        run(cmd, out, cwd=cwd)
    return [(f["path"], f.get("secret", ""), f["rule_id"]) for f in json.load(open(out))["findings"]]


def scan_gitleaks(samples, out):
    run([str(PEERS / "gitleaks"), "dir", str(samples), "--exit-code", "0", "--no-banner", "-l", "error",
         "-f", "json", "-r", out], out)
    return [(f["File"], f["Secret"], f["RuleID"]) for f in json.load(open(out))]


def scan_betterleaks(samples, out):
    run([str(PEERS / "betterleaks"), "fs", str(samples), "--exit-code", "0", "--no-banner", "-l", "error",
         "-o", out], out)
    return [(f["location"]["path"], f["match"]["value"], f["rule_id"]) for f in json.load(open(out))["findings"]]


def scan_kingfisher(samples, out):
    run([str(PEERS / "kingfisher"), "scan", str(samples), "--git-history", "none", "--no-validate", "-f", "json",
         "-o", out, "--no-update-check", "--no-dedup"], out)
    return [(f["finding"]["path"], f["finding"]["snippet"], f["rule"]["id"])
            for f in json.load(open(out))["findings"]]


def scan_trufflehog(samples, out):
    r = subprocess.run([str(PEERS / "trufflehog"), "filesystem", str(samples), "--json", "--no-verification",
                        "--no-update"], capture_output=True)
    rows = []
    for line in r.stdout.decode().splitlines():
        try:
            f = json.loads(line)
        except ValueError:
            continue
        path = f.get("SourceMetadata", {}).get("Data", {}).get("Filesystem", {}).get("file", "")
        rows.append((path, f.get("Raw", ""), f.get("DetectorName", "")))
    return rows


SCANNERS = {"gitleaks": scan_gitleaks, "betterleaks": scan_betterleaks, "kingfisher": scan_kingfisher,
            "trufflehog": scan_trufflehog}


def overlaps(secret, expect):
    if not secret:
        return False
    for e in expect:
        pieces = [e] + [p for p in re.split(r"[:;|,\s]", e) if len(p) >= 8]
        for p in pieces:
            if p in secret or (len(secret) >= 8 and secret in p):
                return True
    return False


def score(cases, findings, samples):
    by_file = collections.defaultdict(list)
    for path, secret, rule in findings:
        by_file[Path(path).name].append((secret, rule))
    rows = []
    for c in cases:
        got = by_file.get(Path(c["file"]).name, [])
        if c["kind"] == "pos":
            hit = any(overlaps(s, c["expect"]) for s, _ in got) if c["expect"] else bool(got)
        else:
            hit = bool(got)
        rows.append((c, hit, sorted({r for _, r in got})))
    return rows


# Hand-typed dummy values, by a test of this script's own (independent of keywarden's placeholder filter):
# runs of four in order (`1234`, `abcd`, `9876`), `a1b2`-style alternation, four of one character, and the
# marker words. A positive case whose expected value (or, without one, whose sample) matches is a dummy.
DUMMY = re.compile(r"(?i)(0123|1234|2345|3456|4567|5678|6789|7890|9876|abcd|bcde|cdef|defg|wxyz|zyxw|qwer"
                   r"|a1b2|1a2b|b2c3|(.)\2\2\2|example|dummy|fake|your|sample|placeholder)")


def is_dummy(case, samples):
    text = "".join(case["expect"]) or (Path(samples) / Path(case["file"]).name).read_text(errors="replace")
    return DUMMY.search(text) is not None


def squeeze(text):
    return re.sub(r"[^a-z0-9]", "", text.lower())


def names_provider(rule, provider):
    """Whether a tool's rule id claims the case's provider: the rule's first word (after a `kingfisher.` prefix) is
    part of the provider's name (`gitlab-oauth-app-secret` for gitlaboauth2), or the provider's name is part of the
    rule id (`stripe` in `StripeRestricted`). Generic rules claim no provider but `generic`."""
    words = [w for w in re.split(r"[-_.\s]+", rule.lower()) if w and w != "kingfisher"]
    p = squeeze(provider)
    if not words or not p:
        return False
    return squeeze(words[0]) in p or p in squeeze(rule)


def summary(rows, samples=None):
    pos = [h for c, h, _ in rows if c["kind"] == "pos"]
    neg = [h for c, h, _ in rows if c["kind"] == "neg" and not c["ambiguous"]]
    # A negative the tool reports under the case's own provider: the tool claims the very key the test says is not
    # one. The rest of the false positives report another provider's key or a generic secret in the negative sample
    # (the peers' negatives are often a real key of another shape, or one missing the companion a verifier needs).
    own = [h and any(names_provider(r, c["provider"]) for r in rules)
           for c, h, rules in rows if c["kind"] == "neg" and not c["ambiguous"]]
    out = {"pos": len(pos), "found": sum(pos), "recall": sum(pos) / len(pos) if pos else None,
           "neg": len(neg), "fp": sum(neg), "fp_rate": sum(neg) / len(neg) if neg else None,
           "fp_own": sum(own), "fp_own_rate": sum(own) / len(own) if own else None}
    if samples is not None:
        real = [h for c, h, _ in rows if c["kind"] == "pos" and not is_dummy(c, samples)]
        out.update({"pos_not_dummy": len(real), "recall_not_dummy": sum(real) / len(real) if real else None})
    return out


def fmt(x):
    return "n/a" if x is None else f"{x:.3f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="/work/eval-data")
    ap.add_argument("--keywarden", default=".build/release/keywarden")
    ap.add_argument("--config", help="a rules config for keywarden (e.g. extra rule files with [extend] useDefault)")
    ap.add_argument("--peers", default="gitleaks,betterleaks,kingfisher,trufflehog")
    ap.add_argument("--sources", default="gitleaks,betterleaks,kingfisher,trufflehog")
    ap.add_argument("--misses", help="write keywarden's misses per provider to this Markdown file")
    ap.add_argument("--json", help="write every figure to this JSON file")
    ap.add_argument("--top", type=int, default=25, help="providers listed in the printed miss table")
    a = ap.parse_args()
    kw = str(Path(a.keywarden).resolve())
    tools = ["keywarden"]
    for p in [p for p in a.peers.split(",") if p]:
        if (PEERS / p).exists():
            tools.append(p)
        else:
            print(f"score: peer {p} not found in {PEERS}: left out", file=sys.stderr)
    results, misses, fps = {}, collections.defaultdict(list), []
    tmp = Path(tempfile.mkdtemp(prefix="catalog-eval-"))
    for source in [s for s in a.sources.split(",") if s]:
        d = Path(a.data) / source
        if not (d / "manifest.jsonl").exists():
            print(f"score: no {d}/manifest.jsonl (run extract.py {source})", file=sys.stderr)
            continue
        cases = [json.loads(l) for l in open(d / "manifest.jsonl")]
        results[source] = {}
        for tool in tools:
            out = str(tmp / f"{source}-{tool}.json")
            found = scan_keywarden(kw, a.config, d / "samples", out) if tool == "keywarden" \
                else SCANNERS[tool](d / "samples", out)
            rows = score(cases, found, d / "samples")
            per = collections.defaultdict(list)
            for row in rows:
                per[row[0]["provider"]].append(row)
            results[source][tool] = {"all": summary(rows, d / "samples"), "providers": {p: summary(r) for p, r in per.items()}}
            if tool == "keywarden":
                for c, hit, rules in rows:
                    if c["kind"] == "pos" and not hit:
                        misses[(c["provider"], source)].append(c)
                    if c["kind"] == "neg" and not c["ambiguous"] and hit:
                        fps.append((source, c, rules))
    print("| source | tool | positives | recall | negatives | FP rate | FP rate, own provider | recall without dummies |")
    print("|---|---|---|---|---|---|---|---|")
    for source, by_tool in results.items():
        for tool, r in by_tool.items():
            s = r["all"]
            print(f"| {source} | {tool} | {s['pos']} | {fmt(s['recall'])} | {s['neg']} | {fmt(s['fp_rate'])} "
                  f"| {fmt(s['fp_own_rate'])} | {fmt(s['recall_not_dummy'])} ({s['pos_not_dummy']}) |")
    ranked = sorted(misses.items(), key=lambda kv: -len(kv[1]))
    print(f"\nkeywarden's biggest misses (provider, source, missed/positives):")
    for (prov, source), cs in ranked[:a.top]:
        total = results[source]["keywarden"]["providers"][prov]["pos"]
        print(f"  {prov:28} {source:12} {len(cs)}/{total}")
    if a.misses:
        with open(a.misses, "w") as f:
            f.write("# keywarden misses on the peers' own rule tests\n\n")
            f.write(f"Written by `scripts/catalog-eval/score.py` (keywarden {kw}"
                    f"{', config ' + a.config if a.config else ''}). Sample shapes: A upper, a lower, 9 digit;"
                    " no sample values.\n\n")
            f.write("| source | recall | FP rate |\n|---|---|---|\n")
            for source, by_tool in results.items():
                s = by_tool["keywarden"]["all"]
                f.write(f"| {source} | {fmt(s['recall'])} ({s['found']}/{s['pos']}) | {fmt(s['fp_rate'])} "
                        f"({s['fp']}/{s['neg']}) |\n")
            f.write("\n## Missed positives, by provider (most misses first)\n\n")
            f.write("| provider | source | missed | rules (theirs) | shapes (with the syntax, first 3) |\n"
                    "|---|---|---|---|---|\n")
            for (prov, source), cs in ranked:
                total = results[source]["keywarden"]["providers"][prov]["pos"]
                rules = ", ".join(sorted({c["rule"] for c in cs}))
                shapes = []
                for c in cs:
                    sh = f"`{c['shape'][:60]}` ({Path(c['file']).suffix[1:]})"
                    if sh not in shapes:
                        shapes.append(sh)
                f.write(f"| {prov} | {source} | {len(cs)}/{total} | {rules} | {'; '.join(shapes[:3])} |\n")
            f.write("\n## False positives (negative cases keywarden reported)\n\n| source | provider | rule (theirs) | keywarden rules | shape | sample |\n|---|---|---|---|---|---|\n")
            for source, c, rules in fps:
                f.write(f"| {source} | {c['provider']} | {c['rule']} | {', '.join(rules)} | `{c['shape'][:60]}` "
                        f"| {Path(c['file']).name} |\n")
    if a.json:
        # Each missed positive and each false positive with its sample file (under DATA/<source>/samples), so that
        # a precision or recall round can go through them one by one.
        Path(a.json).write_text(json.dumps({"results": results,
                                            "misses": {f"{p}@{s}": len(c) for (p, s), c in misses.items()},
                                            "missed_cases": [{"source": s, "provider": p, "rule": c["rule"],
                                                              "sample": Path(c["file"]).name}
                                                             for (p, s), cs in misses.items() for c in cs],
                                            "false_positives": [{"source": s, "provider": c["provider"], "rule": c["rule"],
                                                                 "keywarden_rules": rules, "sample": Path(c["file"]).name}
                                                                for s, c, rules in fps]},
                                           indent=1))


if __name__ == "__main__":
    main()
