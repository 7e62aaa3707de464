#!/usr/bin/env python3
"""Turns argument-parser's man pages (keywarden.keys.add.1, NAME "keywarden keys add") into pages that
man-db and lintian index: file and NAME keywarden-keys-add (as git's git-commit), the synopsis still
showing the command as typed (keywarden keys add), cross references renamed to match.

usage: man-pages.py SOURCE_DIR TARGET_DIR
"""
import pathlib
import re
import sys

source, target = map(pathlib.Path, sys.argv[1:3])
target.mkdir(parents=True, exist_ok=True)
for page in sorted(source.glob("*.1")):
    command = page.stem.replace(".", " ")             # keywarden keys add
    name = page.stem.replace(".", "-")                # keywarden-keys-add
    out, in_name = [], False
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith(".Dt "):
            line = ".Dt " + name.upper() + " 1"
        elif line.startswith(".Sh "):
            in_name = line.strip() == ".Sh NAME"
        elif line.startswith(".Nm"):
            line = ".Nm " + name if in_name else '.Nm "' + command + '"' + line[3:]
        elif line.startswith(".Xr "):
            line = re.sub(r"^\.Xr (\S+)", lambda m: ".Xr " + m.group(1).replace(".", "-"), line)
        out.append(line)
    (target / (name + ".1")).write_text("\n".join(out) + "\n", encoding="utf-8")
