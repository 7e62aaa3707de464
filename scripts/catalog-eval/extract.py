#!/usr/bin/env python3
"""Extracts the positive and negative cases of peer scanners' own rule tests into a local evaluation set.

usage: extract.py [--mirror DIR] [--out DIR] [--seed N] [SOURCE ...]

SOURCE is gitleaks, betterleaks, kingfisher or trufflehog (default: every one whose snapshot is present).
Snapshots are the bare git directories the `fetch` tool brings in (DIR/<owner>+<name>/repo, default
/work/.mirror); nothing is built or run from them, their files are only read with `git show`.

What is taken from each:
  gitleaks, betterleaks  cmd/generate/config/rules/*.go: each rule function's true positives (`tps`) and
                         false positives (`fps`), evaluated from the Go expressions they are written in
                         (string literals, `+`, `[]string{...}`, `append`, `fmt.Sprintf`,
                         `secrets.NewSecret(regex)` -> a random string of that regex, the `utils` charset
                         helpers). `utils.GenerateSampleSecrets(word, secret)` stands for a secret written
                         under a name made of the word in several syntaxes; the syntaxes used here are
                         this script's own (CONTEXTS below), so the expected secret is known exactly.
                         A negative the rule file's own comment calls a false negative (a real secret the
                         rule misses) is marked `ambiguous`, as below.
  kingfisher             data/rules/*.yml: each rule's `examples` (positive) and `negative_examples`.
  trufflehog             pkg/detectors/*/*_test.go (not the integration tests): each test case's `input`,
                         positive when its `want` is non-empty (and then the wanted values are expected),
                         negative when it is empty. A negative holding a value that the same file calls a
                         valid key elsewhere (trufflehog's "keyword too far from the key" cases) is marked
                         `ambiguous` and left out of the false-positive rate.

Output (OUT, default /work/eval-data): OUT/<source>/samples/<nnnnn>.<ext> one file per case and
OUT/<source>/manifest.jsonl, one JSON object per case: file, provider, rule, kind (pos|neg), expect
(values a finding must overlap to count, empty = any finding counts), shape, ambiguous.
The data is the peers' text: keep it out of the repository.
"""
import argparse
import json
import random
import re
import shutil
import sre_constants as C
import sre_parse
import subprocess
import sys
from pathlib import Path

# Our own syntaxes for "a secret written under a name containing WORD": (extension, template).
# {w} lowercase word, {W} uppercase word, {c} camelCase-ready word, {s} the secret.
CONTEXTS = [
    ("env", "{W}_API_KEY={s}\n"),
    ("yaml", "{w}:\n  token: \"{s}\"\n"),
    ("json", "{{\n  \"{w}_secret\": \"{s}\"\n}}\n"),
    ("py", "{w}_api_token = '{s}'\n"),
    ("go", "const {c}Token = \"{s}\"\n"),
    ("properties", "{w}.auth.key={s}\n"),
]


def run_git(repo, *args):
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True).stdout


def list_files(repo, prefix):
    out = run_git(repo, "ls-tree", "-r", "--name-only", "HEAD", "--", prefix).decode()
    return [l for l in out.splitlines() if l]


def show(repo, path):
    return run_git(repo, "show", f"HEAD:{path}").decode("utf-8", "replace")


# ---------------------------------------------------------------- random strings from a regex

POSIX = {
    "[:alnum:]": "a-zA-Z0-9", "[:alpha:]": "a-zA-Z", "[:digit:]": "0-9", "[:lower:]": "a-z",
    "[:upper:]": "A-Z", "[:xdigit:]": "0-9a-fA-F", "[:word:]": "a-zA-Z0-9_", "[:space:]": " \\t",
    "[:punct:]": "!-/:-@\\[-`{-~", "[:print:]": " -~", "[:graph:]": "!-~",
}
CATEGORY_CHARS = {
    C.CATEGORY_DIGIT: "0123456789",
    C.CATEGORY_WORD: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_",
    C.CATEGORY_SPACE: " ",
    C.CATEGORY_NOT_DIGIT: "abcdefXYZ",
    C.CATEGORY_NOT_WORD: "-./",
    C.CATEGORY_NOT_SPACE: "abcdefXYZ0123",
}
PRINTABLE = [chr(c) for c in range(0x21, 0x7F)]


def go_regex_to_python(rx):
    for k, v in POSIX.items():
        rx = rx.replace(k, v)
    rx = rx.replace(r"\z", r"\Z").replace("(?-i:", "(?:").replace("(?s:", "(?:").replace("(?i:", "(?:")
    rx = re.sub(r"\\p\{[A-Za-z]+\}", "a-z", rx)
    return rx


def charset(items, rng):
    chars, negate = [], False
    for op, av in items:
        if op == C.NEGATE:
            negate = True
        elif op == C.LITERAL:
            chars.append(chr(av))
        elif op == C.RANGE:
            chars.extend(chr(c) for c in range(av[0], av[1] + 1))
        elif op == C.CATEGORY:
            chars.extend(CATEGORY_CHARS.get(av, "a"))
    if negate:
        chars = [c for c in PRINTABLE if c not in set(chars)]
    return chars or ["a"]


def gen(parsed, rng):
    out = []
    for op, av in parsed:
        if op == C.LITERAL:
            out.append(chr(av))
        elif op == C.NOT_LITERAL:
            out.append(rng.choice([c for c in "abcXYZ019" if ord(c) != av]))
        elif op == C.ANY:
            out.append(rng.choice("abcdefXYZ0123"))
        elif op == C.IN:
            out.append(rng.choice(charset(av, rng)))
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
            lo, hi, sub = av
            hi = lo + 24 if hi == C.MAXREPEAT else min(hi, lo + 24)
            for _ in range(rng.randint(lo, hi)):
                out.append(gen(sub, rng))
        elif op == C.SUBPATTERN:
            out.append(gen(av[-1], rng))
        elif op == getattr(C, "ATOMIC_GROUP", None):
            out.append(gen(av, rng))
        elif op == C.BRANCH:
            out.append(gen(rng.choice(av[1]), rng))
        elif op == C.CATEGORY:
            out.append(rng.choice(CATEGORY_CHARS.get(av, "a")))
        # AT (anchors), ASSERT, ASSERT_NOT, GROUPREF: nothing to emit
    return "".join(out)


def random_from_regex(rx, rng):
    parsed = sre_parse.parse(go_regex_to_python(rx))
    return gen(parsed, rng)


# ---------------------------------------------------------------- a small Go expression evaluator

TOKEN = re.compile(r'''
    (?P<ws>[ \t\r]+) | (?P<nl>\n) | (?P<lc>//[^\n]*) | (?P<bc>/\*.*?\*/)
  | (?P<raw>`[^`]*`) | (?P<str>"(?:[^"\\\n]|\\.)*") | (?P<chr>'(?:[^'\\\n]|\\.)*')
  | (?P<num>[0-9][0-9.eExXa-fA-F_]*)
  | (?P<id>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
  | (?P<op>\.\.\.|:=|\[\]|[-+*/%=(){}\[\],:;&|!<>.^])
''', re.S | re.X)


def tokenize(src):
    toks = []
    for m in TOKEN.finditer(src):
        kind = m.lastgroup
        if kind in ("ws", "lc", "bc"):
            continue
        toks.append((kind, m.group()))
    return toks


def go_string(tok):
    kind, text = tok
    if kind == "raw":
        return text[1:-1].replace("\r", "")
    body = text[1:-1]
    out, i = [], 0
    while i < len(body):
        ch = body[i]
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        nxt = body[i + 1]
        simple = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "'": "'", "a": "\a", "b": "\b",
                  "f": "\f", "v": "\v"}
        if nxt in simple:
            out.append(simple[nxt])
            i += 2
        elif nxt == "x":
            out.append(chr(int(body[i + 2:i + 4], 16)))
            i += 4
        elif nxt == "u":
            out.append(chr(int(body[i + 2:i + 6], 16)))
            i += 6
        elif nxt in "01234567":
            out.append(chr(int(body[i + 1:i + 4], 8)))
            i += 4
        else:
            out.append(nxt)
            i += 2
    return "".join(out)


class Unknown(Exception):
    pass


class Secret(str):
    """A string generated from a regex: it remembers the generated parts, which are what a finding must hit."""

    def __new__(cls, text, parts):
        s = super().__new__(cls, text)
        s.parts = parts
        return s


def concat(a, b):
    pa = getattr(a, "parts", None)
    pb = getattr(b, "parts", None)
    if pa is None and pb is None:
        return a + b
    return Secret(a + b, [a + b])


def sprintf(fmt, args):
    it = iter(args)

    def rep(m):
        if m.group() == "%%":
            return "%"
        try:
            return str(next(it))
        except StopIteration:
            raise Unknown("sprintf args")
    return re.sub(r"%[-+# 0-9.]*[svdqxX%]", rep, fmt)


class Evaluator:
    def __init__(self, toks, env, rng, contexts_out):
        self.t, self.i, self.env, self.rng = toks, 0, env, rng
        self.samples = contexts_out  # list to which GenerateSampleSecrets adds (ext, text, secret)

    def peek(self, k=0):
        j = self.i
        n = 0
        while j < len(self.t):
            if self.t[j][0] != "nl":
                if n == k:
                    return self.t[j]
                n += 1
            j += 1
        return (None, None)

    def next(self):
        while self.i < len(self.t) and self.t[self.i][0] == "nl":
            self.i += 1
        if self.i >= len(self.t):
            raise Unknown("end")
        tok = self.t[self.i]
        self.i += 1
        return tok

    def expect(self, text):
        tok = self.next()
        if tok[1] != text:
            raise Unknown(f"expected {text}, got {tok[1]}")

    def expr(self):
        v = self.primary()
        while self.peek()[1] == "+":
            self.next()
            w = self.primary()
            if isinstance(v, str) and isinstance(w, str):
                v = concat(v, w)
            else:
                raise Unknown("+ on lists")
        return v

    def args(self):
        out, spread = [], False
        self.expect("(")
        while self.peek()[1] != ")":
            out.append(self.expr())
            if self.peek()[1] == "...":
                self.next()
                spread = True
            if self.peek()[1] == ",":
                self.next()
        self.expect(")")
        return out, spread

    def composite(self, is_map):
        self.expect("{")
        out = []
        while self.peek()[1] != "}":
            v = self.expr()
            if is_map:
                self.expect(":")
                v = self.expr()
            if isinstance(v, list):
                raise Unknown("nested list")
            out.append(v)
            if self.peek()[1] == ",":
                self.next()
        self.expect("}")
        return out

    def primary(self):
        kind, text = self.next()
        if kind in ("str", "raw"):
            return go_string((kind, text))
        if text == "(":
            v = self.expr()
            self.expect(")")
            return v
        if text == "[]":
            if self.next()[1] != "string":
                raise Unknown("slice type")
            return self.composite(False)
        if kind == "id" and text == "map":
            # map[string]string{...}
            for want in ("[", "string", "]", "string"):
                self.expect(want)
            return self.composite(True)
        if kind == "num":
            return text
        if kind != "id":
            raise Unknown(f"token {text}")
        if self.peek()[1] != "(":
            if text in self.env:
                return self.env[text]
            raise Unknown(f"name {text}")
        args, spread = self.args()
        return self.call(text, args, spread)

    def call(self, name, args, spread):
        short = name.split(".")[-1]
        if short == "append":
            base = args[0]
            if not isinstance(base, list):
                raise Unknown("append base")
            rest = []
            for a in args[1:]:
                rest.extend(a if isinstance(a, list) else [a])
            return base + rest
        if short in ("NewSecret", "NewSecretWithEntropy"):
            rx = args[0]
            if not isinstance(rx, str):
                raise Unknown("regex")
            try:
                value = random_from_regex(rx, self.rng)
            except Exception as e:  # an exotic regex: the case is skipped
                raise Unknown(f"regex {e}")
            return Secret(value, [value])
        helpers = {"Numeric": "[0-9]{%s}", "Hex": "[a-f0-9]{%s}", "AlphaNumeric": "[a-z0-9]{%s}",
                   "AlphaNumericExtendedShort": "[a-z0-9_-]{%s}", "AlphaNumericExtended": "[a-z0-9=_\\-]{%s}",
                   "AlphaNumericExtendedLong": "[a-z0-9\\/=_\\+\\-]{%s}"}
        if short in helpers and name.startswith("utils."):
            return helpers[short] % args[0]
        if short == "Hex8_4_4_4_12":
            return "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
        if short == "GenerateSampleSecrets":
            word, secret = args
            out = []
            for ext, tpl in CONTEXTS:
                out.append(Sample(ext, fill(tpl, word, secret), secret))
            return out
        if short == "GenerateSampleSecret":
            word, secret = args
            return Sample("txt", f"{word.lower()}_token = \"{secret}\"\n", secret)
        if name == "fmt.Sprintf":
            return sprintf(args[0], args[1:])
        if name == "strings.Repeat":
            return args[0] * int(args[1])
        if name in ("strings.ToUpper", "strings.ToLower"):
            return args[0].upper() if name.endswith("Upper") else args[0].lower()
        if name == "strings.Join":
            return args[1].join(args[0])
        raise Unknown(f"call {name}")


class Sample(str):
    def __new__(cls, ext, text, secret):
        s = super().__new__(cls, text)
        s.ext, s.secret = ext, secret
        return s


def fill(tpl, word, secret):
    w = re.sub(r"[^A-Za-z0-9]+", "_", word).strip("_")
    camel = w[:1].lower() + w[1:]
    return tpl.format(w=w.lower(), W=w.upper(), c=camel, s=secret)


def statement_end(toks, j):
    """Index of the newline ending the statement that starts at j (brackets may span lines)."""
    depth = 0
    for k in range(j, len(toks)):
        text = toks[k][1]
        if text in ("{", "(", "[", "[]"):
            depth += 1 if text != "[]" else 0
        elif text in ("}", ")", "]"):
            depth -= 1
            if depth < 0:
                return k
        elif toks[k][0] == "nl" and depth == 0 and k > j and toks[k - 1][1] not in ("+", ",", "("):
            return k
    return len(toks)


def evaluate(toks, env, rng):
    ev = Evaluator(toks, env, rng, None)
    try:
        return ev.expr()
    except (Unknown, ValueError, IndexError, KeyError, TypeError, AttributeError):
        return None


def statements(toks, start, end, env, rng):
    """Evaluates `NAME := EXPR` / `NAME = EXPR` at the top level of a body, in order; returns env.
    A name whose expression cannot be evaluated is recorded as NAME!failed."""
    i = start
    while i < end:
        kind, text = toks[i]
        if kind == "id" and i + 1 < end and toks[i + 1][1] in (":=", "=") and \
                (i == start or toks[i - 1][0] == "nl" or toks[i - 1][1] in ("{", "(", "var", "const")):
            stop = min(statement_end(toks, i + 2), end)
            v = evaluate(toks[i + 2:stop], env, rng)
            if v is None:
                env.pop(text, None)
                env[text + "!failed"] = True
            else:
                env[text] = v
            i = stop
            continue
        if text == "{" and i > start:
            i = matching_brace(toks, i) + 1  # nested blocks (loops, closures) are not evaluated
            continue
        i += 1
    return env


def matching_brace(toks, i):
    depth = 0
    for j in range(i, len(toks)):
        if toks[j][1] == "{":
            depth += 1
        elif toks[j][1] == "}":
            depth -= 1
            if depth == 0:
                return j
    return len(toks)


def as_cases(values, kind):
    out = []
    for v in values if isinstance(values, list) else [values]:
        if isinstance(v, Sample):
            parts = getattr(v.secret, "parts", None) or [str(v.secret)]
            out.append((v.ext, str(v), kind, [p for p in parts if p]))
        else:
            parts = getattr(v, "parts", None) or []
            out.append(("txt", str(v), kind, parts))
    return out


def called_false_negative(source, value):
    """True when the rule file's own comment calls this negative case a false negative (a real secret the
    rule misses, listed among the negatives so that its test passes): it is left out of the false-positive
    rate, like trufflehog's ambiguous negatives."""
    probe = value.strip().splitlines()[0][:40] if value.strip() else ""
    if not probe:
        return False
    lines = source.splitlines()
    for n, line in enumerate(lines):
        if probe in line:
            here = line + " " + (lines[n - 1] if n else "")
            if re.search(r"(?i)false[ -]?negative", here):
                return True
    return False


def extract_gitleaks_like(repo, rng):
    cases, skipped = [], 0
    for path in list_files(repo, "cmd/generate/config/rules/"):
        if not path.endswith(".go") or path.endswith("_test.go"):
            continue
        source = show(repo, path)
        toks = tokenize(source)
        for i, (kind, text) in enumerate(toks):
            if not (kind == "id" and text == "func"):
                continue
            body = next((j for j in range(i, min(i + 40, len(toks))) if toks[j][1] == "{"), None)
            if body is None:
                continue
            end = matching_brace(toks, body)
            rule = None
            for j in range(body, end):
                if toks[j][1] == "RuleID" and toks[j + 1][1] == ":" and toks[j + 2][0] == "str":
                    rule = go_string(toks[j + 2])
                    break
            if rule is None:
                continue
            env = statements(toks, body + 1, end, {}, rng)
            for var, kind_ in (("tps", "pos"), ("fps", "neg")):
                if var in env:
                    for c in as_cases(env[var], kind_):
                        if kind_ == "neg" and called_false_negative(source, c[1]):
                            c = (c[0], c[1], "neg-ambiguous", c[3])
                        cases.append((rule, *c))
                elif var + "!failed" in env:
                    skipped += 1
    return cases, skipped


def provider_of_gitleaks(rule):
    return rule.split("-")[0]


def extract_kingfisher(repo, rng):
    import yaml
    cases, skipped = [], 0
    for path in list_files(repo, "data/rules/"):
        if not path.endswith((".yml", ".yaml")):
            continue
        try:
            doc = yaml.safe_load(show(repo, path))
        except Exception:
            skipped += 1
            continue
        for rule in (doc or {}).get("rules", []) or []:
            rid = rule.get("id", "?")
            for ex in rule.get("examples", []) or []:
                cases.append((rid, "txt", str(ex), "pos", []))
            for ex in rule.get("negative_examples", []) or []:
                cases.append((rid, "txt", str(ex), "neg", []))
    return cases, skipped


def extract_trufflehog(repo, rng):
    cases, skipped = [], 0
    for path in list_files(repo, "pkg/detectors/"):
        if not path.endswith("_test.go") or path.endswith("_integration_test.go"):
            continue
        detector = path.split("/")[2]
        toks = [t for t in tokenize(show(repo, path))]
        env = {}
        # file-level and function-level names: var (...) / const (...) blocks and := inside functions
        for j, (kind, text) in enumerate(toks):
            if kind == "id" and j + 1 < len(toks) and toks[j + 1][1] in ("=", ":=") and \
                    (toks[j - 1][0] == "nl" or toks[j - 1][1] in ("(", "var", "const")):
                ev = Evaluator(toks[j + 2:], env, rng, None)
                try:
                    v = ev.expr()
                    if isinstance(v, str):
                        env[text] = v
                except (Unknown, ValueError, IndexError, TypeError, KeyError, AttributeError):
                    pass
        file_cases = []
        for j, (kind, text) in enumerate(toks):
            if not (kind == "id" and text == "input" and toks[j + 1][1] == ":"):
                continue
            ev = Evaluator(toks[j + 2:], env, rng, None)
            try:
                inp = ev.expr()
            except (Unknown, ValueError, IndexError, TypeError, KeyError, AttributeError):
                skipped += 1
                continue
            # the case's `want` follows within the same literal
            want, k = None, j + 2 + ev.i
            depth = 0
            while k < len(toks):
                if toks[k][1] == "{":
                    depth += 1
                elif toks[k][1] == "}":
                    if depth == 0:
                        break
                    depth -= 1
                elif depth == 0 and toks[k][1] == "want" and toks[k + 1][1] == ":":
                    ev2 = Evaluator(toks[k + 2:], env, rng, None)
                    try:
                        if toks[k + 2][1] == "nil":
                            want = []
                        else:
                            want = ev2.expr()
                    except (Unknown, ValueError, IndexError, TypeError, KeyError, AttributeError):
                        want = None
                    break
                k += 1
            if not isinstance(inp, str) or want is None or not isinstance(want, list):
                skipped += 1
                continue
            file_cases.append((inp, want))
        wanted_values = set()
        for inp, want in file_cases:
            for w in want:
                wanted_values.update(p for p in re.split(r"[:;|,\s]", w) if len(p) >= 8)
                wanted_values.add(w)
        for inp, want in file_cases:
            if want:
                cases.append((detector, "txt", inp, "pos", [w for w in want if w]))
            else:
                amb = any(v in inp for v in wanted_values)
                cases.append((detector, "txt", inp, "neg-ambiguous" if amb else "neg", []))
    return cases, skipped


SOURCES = {
    "gitleaks": ("gitleaks+gitleaks", extract_gitleaks_like, provider_of_gitleaks),
    "betterleaks": ("betterleaks+betterleaks", extract_gitleaks_like, provider_of_gitleaks),
    "kingfisher": ("mongodb+kingfisher", extract_kingfisher, lambda r: r.split(".")[1] if r.count(".") >= 2 else r),
    "trufflehog": ("trufflesecurity+trufflehog", extract_trufflehog, lambda r: r),
}


def shape(text, expect):
    v = expect[0] if expect else text.strip().splitlines()[0] if text.strip() else ""
    v = v[:120]
    return re.sub(r"[a-z]", "a", re.sub(r"[A-Z]", "A", re.sub(r"[0-9]", "9", v)))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mirror", default="/work/.mirror")
    ap.add_argument("--out", default="/work/eval-data")
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("sources", nargs="*")
    a = ap.parse_args()
    names = a.sources or [s for s, (d, _, _) in SOURCES.items() if (Path(a.mirror) / d / "repo").exists()]
    for name in names:
        mirror, fn, prov = SOURCES[name]
        repo = Path(a.mirror) / mirror / "repo"
        if not repo.exists():
            print(f"{name}: no snapshot at {repo} (fetch github:{mirror.replace('+', '/')})", file=sys.stderr)
            continue
        rng = random.Random(a.seed)
        cases, skipped = fn(repo, rng)
        out = Path(a.out) / name
        shutil.rmtree(out, ignore_errors=True)
        (out / "samples").mkdir(parents=True)
        commit = run_git(repo, "rev-parse", "HEAD").decode().strip()
        with open(out / "manifest.jsonl", "w") as mf:
            for n, (rule, ext, text, kind, expect) in enumerate(cases):
                fname = f"samples/{n:05d}.{ext}"
                (out / fname).write_text(text if text.endswith("\n") else text + "\n")
                ambiguous = kind == "neg-ambiguous"
                mf.write(json.dumps({"file": fname, "rule": rule, "provider": prov(rule),
                                     "kind": "neg" if ambiguous else kind, "ambiguous": ambiguous,
                                     "expect": expect, "shape": shape(text, expect)}) + "\n")
        (out / "SOURCE").write_text(f"{mirror.replace('+', '/')} {commit}\n")
        pos = sum(1 for c in cases if c[3] == "pos")
        print(f"{name}: {pos} positive, {len(cases) - pos} negative cases "
              f"({skipped} test expressions not evaluated) from {commit[:12]} -> {out}")


if __name__ == "__main__":
    main()
