#!/usr/bin/env python3
"""The context matrix (issue 16, "Proof"): generate, scan with the real binary, score.

    matrix.py [--bin PATH] [--seed N] [--report-only] [--keep DIR] [--verbose]
    matrix.py --generate-only DIR [--seed N]      # files + manifest.json, no scan
    matrix.py --self-test [--seed N]              # the generator and the scorer, without a binary

Writes realistic files holding fake MaintainX, Mindtickle and Makini credentials (seven kinds, each in
every context template) and hard negatives into a fresh temporary directory, with a manifest of where
each credential starts. Then runs `keywarden scan --no-git --format json` over them and prints recall
per kind and every false positive. Exit 0 when every kind's recall is at least 0.98 and nothing is a
false positive, 1 otherwise (`--report-only`: always 0), 2 when the scan itself fails.

Standard library only. The seed is printed first: `--seed N` repeats a run exactly.
"""

import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from containers import SPECIFIC, TEMPLATES  # noqa: E402
from fakes import Fakes  # noqa: E402
from negatives import container_negatives, dedicated_negatives  # noqa: E402
from profiles import END_RE, KINDS, MARK_RE, VENDOR, Doc, Profile, Val  # noqa: E402

VENDORS = set(VENDOR.values())
RECALL_GOAL = 0.98
# Providers whose findings never call a credential one of the three vendors' (rule `jwt` and the generic
# assignment rule): on an expected line they are a miss, not a false positive.
NEUTRAL = {"generic"}


def resolve_markers(text: str):
    """(text without markers, {marker index: 1-based line}, {marker index: line of its last piece})."""
    lines = text.split("\n")
    where, ends = {}, {}
    for i, line in enumerate(lines):
        for m in MARK_RE.finditer(line):
            where.setdefault(int(m.group(1)), i + 1)
        for m in END_RE.finditer(line):
            ends[int(m.group(1))] = i + 1
        lines[i] = END_RE.sub("", MARK_RE.sub("", line))
    return "\n".join(lines), where, ends


def generate(root: str, seed: int) -> dict:
    f = Fakes(seed)
    files_dir = os.path.join(root, "files")
    positives, negatives = [], []
    counter = collections.Counter()

    def write(prefix: str, path: str, text: str) -> str:
        counter[prefix] += 1
        rel = f"{prefix}/{counter[prefix]:03d}/{path}"
        full = os.path.join(files_dir, rel)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8") as out:
            out.write(text)
        return rel

    def add_positive(doc: Doc, template: str, primary: str, path: str, text: str, family: str):
        clean, where, ends = resolve_markers(text)
        if MARK_RE.search(clean) or set(where) != set(range(len(doc.kinds))):
            raise SystemExit(f"context-matrix: template {template} lost a marker ({primary})")
        rel = write("p", path, clean)
        for idx, kind in enumerate(doc.kinds):
            positives.append(dict(file=rel, line=where[idx], end_line=ends.get(idx, where[idx]), kind=kind,
                                  template=template, family=family, primary=primary))

    for kind in KINDS:
        for t in TEMPLATES:
            doc = Doc(f, negative=False)
            value = Val(doc, kind, f.value(kind))
            p = Profile(doc, kind, value)
            path, text = t(p)
            add_positive(doc, t.__name__, kind, path, text, t.family)
        for fn in SPECIFIC[kind]:
            doc = Doc(f, negative=False)
            path, text = fn(doc)
            add_positive(doc, fn.__name__, kind, path, text, "kind-specific")

    for item in container_negatives(f, TEMPLATES) + dedicated_negatives(f):
        if MARK_RE.search(item["text"]):
            raise SystemExit(f"context-matrix: negative {item['template']} carries a marker")
        rel = write("n", item["path"], item["text"])
        negatives.append(dict(file=rel, category=item["category"], template=item["template"], kind=item["kind"],
                              allow=item["allow"]))

    templates_per_kind = {k: len({x["template"] for x in positives if x["primary"] == k}) for k in KINDS}
    manifest = dict(seed=seed, files_dir="files", positives=positives, negatives=negatives,
                    templates_per_kind=templates_per_kind)
    with open(os.path.join(root, "manifest.json"), "w") as out:
        json.dump(manifest, out, indent=1)
    return manifest


def scan(binary: str, root: str) -> list:
    report = os.path.join(root, "report.json")
    env = dict(os.environ)
    proc = subprocess.run([binary, "scan", "--no-git", "--format", "json", "--output", report, "."],
                          cwd=os.path.join(root, "files"), env=env, capture_output=True, text=True)
    if proc.returncode not in (0, 1) or not os.path.exists(report):
        sys.stderr.write(proc.stderr)
        raise SystemExit(2)
    with open(report) as r:
        findings = json.load(r)["findings"]
    for x in findings:
        x["path"] = os.path.normpath(x["path"])
    return findings


def covered_lines(finding: dict) -> set:
    """The lines a finding stands for: a Mindtickle key pair covers its key's and its secret's line."""
    lines = {finding["line"]}
    extra = finding.get("extra") or {}
    for k in ("api_key_line", "secret_key_line"):
        if str(extra.get(k, "")).isdigit():
            lines.add(int(extra[k]))
    return lines


def score(manifest: dict, findings: list):
    by_file = collections.defaultdict(list)
    for x in findings:
        by_file[x["path"]].append(x)
    expected = collections.defaultdict(list)
    for e in manifest["positives"]:
        expected[e["file"]].append(e)
    negative_files = {n["file"]: n for n in manifest["negatives"]}

    found = collections.Counter()
    total = collections.Counter()
    misses = []
    for e in manifest["positives"]:
        total[e["kind"]] += 1
        total["family:" + e["family"]] += 1
        hit = any(x["provider"] == VENDOR[e["kind"]] and e["line"] in covered_lines(x) for x in by_file[e["file"]])
        if hit:
            found[e["kind"]] += 1
            found["family:" + e["family"]] += 1
        else:
            span = set(range(e["line"], e["end_line"] + 1))
            others = sorted({x["rule_id"] for x in by_file[e["file"]] if span & covered_lines(x)})
            misses.append(dict(e, seen=others))

    false_positives, allowed = [], []
    for path, xs in by_file.items():
        neg = negative_files.get(path)
        for x in xs:
            if neg is not None:
                if x["provider"] not in VENDORS and x["provider"] in neg["allow"]:
                    allowed.append(dict(x, why="allowed in " + neg["category"]))
                else:
                    false_positives.append(dict(rule=x["rule_id"], provider=x["provider"], file=path, line=x["line"],
                                                why=f"negative ({neg['category']}, {neg['template']})"))
                continue
            exp = expected.get(path, [])
            lines = covered_lines(x)
            on_expected = [e for e in exp if e["line"] in lines]
            # A later piece of a split credential: a finding there is not a hit (credentials are reported
            # at their first piece), but it is not a false positive either.
            in_span = [e for e in exp if any(e["line"] < n <= e["end_line"] for n in lines)]
            if x["provider"] in VENDORS:
                if any(VENDOR[e["kind"]] == x["provider"] for e in on_expected + in_span):
                    continue
                why = ("wrong vendor for " + ", ".join(sorted({e["kind"] for e in on_expected}))) if on_expected \
                    else "vendor finding on a line with no credential"
            elif x["provider"] in NEUTRAL and (on_expected or in_span):
                continue  # a generic finding on a credential's line: the miss is counted above
            elif on_expected:
                why = "another provider for " + ", ".join(sorted({e["kind"] for e in on_expected}))
            else:
                why = "finding on a line with no credential"
            false_positives.append(dict(rule=x["rule_id"], provider=x["provider"], file=path, line=x["line"],
                                        why=why))
    return found, total, misses, false_positives, allowed


def self_test(seed: int) -> int:
    """Checks the generator and the scorer without a binary: a perfect report passes, planted mistakes
    are reported, and a Mindtickle key-pair finding covers both of its lines."""
    root = tempfile.mkdtemp(prefix="kw-context-matrix-selftest-")
    try:
        m = generate(root, seed)
        perfect = [dict(path=e["file"], line=e["line"], provider=VENDOR[e["kind"]], rule_id="perfect", extra={})
                   for e in m["positives"]]
        found, total, misses, fps, _ = score(m, perfect)
        problems = []
        if misses or fps or any(found[k] != total[k] for k in KINDS):
            problems.append(f"a perfect report scores {len(misses)} misses, {len(fps)} false positives")
        if any(m["templates_per_kind"][k] < 40 for k in KINDS) or len(m["negatives"]) < 400:
            problems.append(f"too few templates or negatives: {m['templates_per_kind']}, {len(m['negatives'])}")
        # Pairs: one finding on the key's line naming the secret's line covers both.
        pairs = collections.defaultdict(dict)
        for e in m["positives"]:
            if e["kind"].startswith("mindtickle"):
                pairs[e["file"]].setdefault(e["kind"], e["line"])
        paired = [(f, d) for f, d in pairs.items() if len(d) == 2]
        report = [x for x in perfect if not (x["path"] in dict(paired) and x["provider"] == "mindtickle")]
        for f, d in paired:
            report.append(dict(path=f, line=min(d.values()), provider="mindtickle", rule_id="mindtickle-key-pair",
                               extra={"api_key_line": str(d["mindtickle-api-key"]),
                                      "secret_key_line": str(d["mindtickle-secret-key"])}))
        if not paired or score(m, report)[2]:
            problems.append("a key-pair finding does not cover both of its lines")
        first = m["positives"][0]
        wrong = dict(path=first["file"], line=first["line"], provider="makini" if VENDOR[first["kind"]] != "makini"
                     else "maintainx", rule_id="planted-wrong-vendor", extra={})
        neg = dict(path=m["negatives"][0]["file"], line=1, provider="generic", rule_id="planted-negative", extra={})
        other = dict(path=first["file"], line=first["line"], provider="stripe", rule_id="planted-other", extra={})
        got = {x["rule"] for x in score(m, perfect + [wrong, neg, other])[3]}
        if got != {"planted-wrong-vendor", "planted-negative", "planted-other"}:
            problems.append(f"planted false positives reported as {sorted(got)}")
        for p in problems:
            print("context-matrix self-test: " + p)
        print("context-matrix self-test: " + ("ok" if not problems else "FAILED") +
              f" ({len(m['positives'])} credentials, {len(m['negatives'])} negatives, {len(paired)} key pairs)")
        return 1 if problems else 0
    finally:
        shutil.rmtree(root, ignore_errors=True)


def print_table(manifest, found, total, misses, fps, allowed, verbose):
    print()
    print(f"{'kind':<26} {'templates':>9} {'found':>6} {'total':>6} {'recall':>7}")
    for k in KINDS:
        r = found[k] / total[k] if total[k] else 0.0
        flag = "" if r >= RECALL_GOAL else "  < %.2f" % RECALL_GOAL
        print(f"{k:<26} {manifest['templates_per_kind'][k]:>9} {found[k]:>6} {total[k]:>6} {r:>7.3f}{flag}")
    ft, tt = sum(found[k] for k in KINDS), sum(total[k] for k in KINDS)
    print(f"{'all':<26} {'':>9} {ft:>6} {tt:>6} {ft / tt:>7.3f}")
    print()
    print(f"{'context family':<26} {'':>9} {'found':>6} {'total':>6} {'recall':>7}")
    for fam in ("assignment", "fallback", "structured", "inside-value", "split", "nearby-context", "kind-specific"):
        t = total["family:" + fam]
        if t:
            print(f"{fam:<26} {'':>9} {found['family:' + fam]:>6} {t:>6} {found['family:' + fam] / t:>7.3f}")
    print(f"negatives: {len(manifest['negatives'])} files; findings there allowed as another issuer's: {len(allowed)}")
    print()
    if misses:
        by_t = collections.defaultdict(list)
        for m in misses:
            by_t[m["template"]].append(m["kind"])
        print(f"misses by template ({len(misses)}):")
        for t, kinds in sorted(by_t.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            c = collections.Counter(kinds)
            print(f"  {t:<30} {len(kinds):>3}  " + ", ".join(f"{k} {n}" for k, n in sorted(c.items())))
        if verbose:
            print("missed credentials:")
            for m in misses:
                seen = f"  (on that line: {', '.join(m['seen'])})" if m["seen"] else ""
                print(f"  {m['file']}:{m['line']}  {m['kind']}{seen}")
        print()
    print(f"false positives: {len(fps)}")
    if fps:
        c = collections.Counter(x["rule"] for x in fps)
        print("  by rule: " + ", ".join(f"{r} {n}" for r, n in c.most_common()))
        for x in sorted(fps, key=lambda x: (x["rule"], x["file"])):
            print(f"  {x['rule']:<34} {x['provider']:<11} {x['file']}:{x['line']}  {x['why']}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.environ.get("KEYWARDEN_BIN", ".build/debug/keywarden"))
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--report-only", action="store_true", help="print the table and exit 0")
    ap.add_argument("--keep", metavar="DIR", help="generate into DIR (must not exist) and keep it")
    ap.add_argument("--generate-only", metavar="DIR", help="write files and manifest.json into DIR, do not scan")
    ap.add_argument("--verbose", "-v", action="store_true", help="list every missed credential")
    ap.add_argument("--self-test", action="store_true", help="check the generator and the scorer (no binary)")
    args = ap.parse_args()

    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "big")
    print(f"context-matrix: seed {seed} (repeat with --seed {seed})", flush=True)
    if args.self_test:
        return self_test(seed)

    if args.generate_only:
        os.makedirs(args.generate_only, exist_ok=False)
        m = generate(args.generate_only, seed)
        print(f"context-matrix: {len(m['positives'])} credentials, {len(m['negatives'])} negatives in {args.generate_only}")
        return 0

    binary = os.path.abspath(args.bin)
    if not os.access(binary, os.X_OK):
        print(f"context-matrix: no keywarden binary at {binary} (swift build first)", file=sys.stderr)
        return 2
    if args.keep:
        os.makedirs(args.keep, exist_ok=False)
        root = args.keep
    else:
        root = tempfile.mkdtemp(prefix="kw-context-matrix-")
    try:
        manifest = generate(root, seed)
        findings = scan(binary, root)
        found, total, misses, fps, allowed = score(manifest, findings)
        print(f"context-matrix: {len(manifest['positives'])} credentials in "
              f"{len({p['file'] for p in manifest['positives']})} files, {len(manifest['negatives'])} negative files, "
              f"{len(findings)} findings ({binary})")
        print_table(manifest, found, total, misses, fps, allowed, args.verbose)
        ok = all(total[k] and found[k] / total[k] >= RECALL_GOAL for k in KINDS) and not fps
        print()
        print("context-matrix: " + ("PASS" if ok else "FAIL") + f" (goal: recall >= {RECALL_GOAL} per kind, 0 false positives; seed {seed})")
        if args.keep:
            print(f"context-matrix: files, manifest.json and report.json kept in {root}")
        return 0 if ok or args.report_only else 1
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
