#!/usr/bin/env python3
"""Writes Sources/CLibGit2/include/keywarden_git2_functions.h: the libgit2 functions keywarden calls, with
their prototypes as libgit2's own headers declare them, for the forwarders of Sources/CLibGit2/loader.c
(libgit2 is loaded with dlopen, not linked).

The functions are the `kw_git_*` names the Swift sources call (plus git_libgit2_init and git_libgit2_opts,
which loader.c calls itself). Run it after calling a libgit2 function keywarden did not call before
(`kw_git_NAME` in Swift); the C compiler then checks each forwarder against libgit2's declaration.
"""
import json
import pathlib
import re
import subprocess
import sys
import tempfile

root = pathlib.Path(__file__).resolve().parent.parent
out = root / "Sources/CLibGit2/include/keywarden_git2_functions.h"

names = {"git_libgit2_init", "git_libgit2_opts"}
for swift in (root / "Sources").rglob("*.swift"):
    for line in swift.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("//"):
            continue
        names.update(m.group(1) for m in re.finditer(r"\bkw_(git_[a-z0-9_]+)\b", line))

with tempfile.TemporaryDirectory() as tmp:
    source = pathlib.Path(tmp) / "h.c"
    source.write_text("#include <git2.h>\n#include <git2/sys/repository.h>\n")
    ast = json.loads(subprocess.run(["clang", "-Xclang", "-ast-dump=json", "-fsyntax-only", str(source)],
                                    check=True, capture_output=True, text=True).stdout)

found = {}
for decl in ast["inner"]:
    name = decl.get("name")
    if decl.get("kind") != "FunctionDecl" or name not in names or name in found:
        continue
    params = [(p.get("name"), p["type"]["qualType"]) for p in decl.get("inner", []) if p.get("kind") == "ParmVarDecl"]
    whole = decl["type"]["qualType"]
    found[name] = (whole[: whole.index("(")].strip(), params, decl.get("variadic", False))

missing = sorted(names - set(found))
if missing:
    sys.exit("libgit2-forwarders: not declared in libgit2's headers: " + ", ".join(missing))

lines = [
    "// Written by scripts/libgit2-forwarders.py from libgit2's headers: the functions keywarden calls,",
    "// as X(return type, name, parameters, arguments). Do not edit; run the script.",
    "#pragma once",
    "",
    "#define KW_GIT2_FUNCTIONS(X) \\",
]
rows = []
for name in sorted(found):
    ret, params, variadic = found[name]
    if variadic:
        continue   # git_libgit2_opts: loader.c calls it through the table, with fixed arguments
    declared = ", ".join(f"{t}{'' if t.endswith('*') else ' '}{n or f'a{i}'}" for i, (n, t) in enumerate(params)) or "void"
    passed = ", ".join(n or f"a{i}" for i, (n, _) in enumerate(params))
    rows.append(f"    X({ret}, {name}, ({declared}), ({passed}))")
lines += [r + " \\" for r in rows[:-1]] + [rows[-1], ""]
out.write_text("\n".join(lines))
print(f"{out.relative_to(root)}: {len(rows)} functions")
