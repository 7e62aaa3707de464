#!/usr/bin/env python3
"""Drives `keywarden keys report` through headless Chromium (Debian's `chromium` package).

Usage: report_browser_test.py KEYWARDEN_BINARY

Builds a ledger with keys in every state, writes the HTML report, and checks in the browser that:
  1. the page renders: Chromium's DOM after loading has the timeline, one row per key, grouped by
     environment and owner, and a screenshot shows the status colours;
  2. every key sits at the right date: each marker's position matches the date it stands for, computed
     here independently from the dates given to the ledger;
  3. no request leaves the page: Chromium's network log has no request made for the page (a control page
     with a remote image must show one, so the check is known to work);
  4. it prints: --print-to-pdf writes a PDF.
Exit 0 when all hold; 1 with the failed checks on standard error.
"""
import datetime, json, os, re, shutil, struct, subprocess, sys, tempfile, zlib

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, timeout=180, **kw)


CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-default-apps", "--hide-scrollbars", "--window-size=1200,1600"]


def chromium(work, page, *extra, netlog=None):
    args = [CHROME] + CHROMIUM_FLAGS + ["--user-data-dir=" + os.path.join(work, "profile")]
    if netlog:
        args.append("--log-net-log=" + netlog)
    return run(args + list(extra) + ["file://" + page], cwd=work)


def page_requests(netlog):
    """URLs the page itself asked for (the page is a file: URL, so its requests carry a file:// isolation key)."""
    with open(netlog) as f:
        log = json.load(f)
    types = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    urls = []
    for e in log["events"]:
        p = e.get("params", {})
        if types.get(e["type"]) == "URL_REQUEST_START_JOB" and "file://" in p.get("network_isolation_key", ""):
            if not p.get("url", "").startswith("file:"):
                urls.append(p.get("url"))
    return urls


def png_pixels(path):
    """RGB(A) rows of a non-interlaced 8-bit PNG (what Chromium writes), decoded with zlib only."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width, height, channels = 8, b"", 0, 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6), "unexpected PNG format"
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = prev[x]
            c = prev[x - channels] if x >= channels else 0
            if kind == 1: line[x] = (line[x] + a) & 255
            elif kind == 2: line[x] = (line[x] + b) & 255
            elif kind == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return width, height, channels, rows


def colours(path):
    width, height, channels, rows = png_pixels(path)
    seen = set()
    for row in rows:
        for x in range(0, width * channels, channels):
            seen.add((row[x], row[x + 1], row[x + 2]))
    return seen


def date(text):
    return datetime.date.fromisoformat(text)


def main():
    keywarden = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="keywarden-report-browser-")
    try:
        ledger = os.path.join(work, "keys.toml")
        env = dict(os.environ, KEYWARDEN_TODAY="2026-11-23")
        # (id, env, owner, created, interval days, expected due, expected status)
        keys = [
            ("mx-prod", "prod", "ops", "2026-08-18", 90, "2026-11-16", "overdue"),
            ("mt-prod", "prod", "ops", "2026-10-16", 90, "2027-01-14", "ok"),
            ("mx-staging", "staging", "qa-team", "2026-08-30", 90, "2026-11-28", "due soon"),
            ("mx-dev", "dev", "", "2026-06-01", 30, "2026-07-01", "overdue"),
            ("leaky", "dev", "kim", "2026-11-01", 90, "2026-11-20", "leaked"),
        ]
        for kid, environment, owner, created, interval, _, _ in keys:
            args = [keywarden, "keys", "add", kid, "--provider", "acme", "--env", environment, "--created", created,
                    "--interval", str(interval), "--ledger", ledger]
            if owner:
                args += ["--owner", owner]
            r = run(args, env=env)
            check(r.returncode == 0, f"keys add {kid}: {r.stderr}")
        r = run([keywarden, "keys", "mark-leaked", "leaky", "--ledger", ledger], env=dict(env, KEYWARDEN_TODAY="2026-11-20"))
        check(r.returncode == 0, f"keys mark-leaked: {r.stderr}")
        page = os.path.join(work, "rotations.html")
        r = run([keywarden, "keys", "report", "--output", page, "--ledger", ledger], env=env)
        check(r.returncode == 0 and os.path.exists(page), f"keys report: {r.stderr}")
        html = open(page, encoding="utf-8").read()

        # Self-contained by construction: nothing that could fetch.
        for pattern in [r"<script", r"<link", r"<iframe", r"<img", r"@import", r"url\(", r"https?://", r"src="]:
            check(not re.search(pattern, html, re.I), f"the page contains {pattern}")

        # 1 and 3: load it in Chromium, with the network log.
        netlog = os.path.join(work, "net.json")
        r = chromium(work, page, "--dump-dom", netlog=netlog)
        check(r.returncode == 0, f"chromium --dump-dom failed: {r.stderr[-500:]}")
        dom = r.stdout
        check('<main id="timeline"' in dom, "the DOM has no timeline")
        rows = re.findall(r'<tr class="key status-([a-z-]+)" data-key-id="([^"]+)"[^>]*>(.*?)</tr>', dom, re.S)
        check(sorted(r[1] for r in rows) == sorted(k[0] for k in keys), f"rows in the DOM: {[r[1] for r in rows]}")
        sections = re.findall(r'<section class="environment" data-environment="([^"]+)">', dom)
        check(sections == ["dev", "prod", "staging"], f"environment sections: {sections}")
        check("<h3>Owner: ops</h3>" in dom and "<h3>Owner: (none)</h3>" in dom, "owner groups missing")
        requests = page_requests(netlog)
        check(requests == [], f"the page made requests: {requests}")

        # The control: a page with a remote image must show up in the same check.
        probe = os.path.join(work, "probe.html")
        with open(probe, "w") as f:
            f.write('<!DOCTYPE html><html><body><img src="http://127.0.0.1:9/probe.png"></body></html>')
        probe_log = os.path.join(work, "probe-net.json")
        chromium(work, probe, "--dump-dom", netlog=probe_log)
        check(any("127.0.0.1:9/probe.png" in u for u in page_requests(probe_log)), "the network check did not see the control page's request")

        # 2: each key at the right date, on the page's own axis.
        axis = re.search(r'data-start="([0-9-]+)" data-end="([0-9-]+)" data-today="([0-9-]+)" data-width="(\d+)" data-inset="(\d+)"', dom)
        check(axis is not None, "the timeline has no axis")
        if axis:
            start, end, today = date(axis[1]), date(axis[2]), date(axis[3])
            width, inset = int(axis[4]), int(axis[5])
            check(today == date("2026-11-23"), f"today on the page: {today}")
            check(start <= date("2026-06-01") and end >= date("2027-01-14"), f"axis {start}..{end} does not cover every key")

            def x(d):
                return inset + (d - start).days * (width - 2 * inset) / (end - start).days

            by_id = {r[1]: (r[0], r[2]) for r in rows}
            for kid, _, _, created, _, due, status in keys:
                if kid not in by_id:
                    continue
                level, body = by_id[kid]
                check(level == status.replace(" ", "-"), f"{kid}: status {level}, expected {status}")
                c = re.search(r'<circle class="marker created" data-date="([0-9-]+)" cx="([0-9.]+)"', body)
                d = re.search(r'<polygon class="marker due [a-z-]+" data-date="([0-9-]+)" data-x="([0-9.]+)" points="([0-9., ]+)"', body)
                check(c is not None and d is not None, f"{kid}: markers missing")
                if c and d:
                    check(c[1] == created and abs(float(c[2]) - x(date(created))) < 0.06, f"{kid}: created marker at {c[2]} for {c[1]}")
                    check(d[1] == due and abs(float(d[2]) - x(date(due))) < 0.06, f"{kid}: due marker at {d[2]} for {d[1]}, expected {x(date(due)):.1f}")
                    top = d[3].split()[0].split(",")
                    check(abs(float(top[0]) - x(date(due))) < 0.06, f"{kid}: due diamond drawn at {top[0]}")
                overdue = 'class="overdue-span"' in body
                check(overdue == (status in ("overdue", "leaked") and date(due) < today), f"{kid}: overdue stretch {overdue}")

        # 1 (pixels): the screenshot shows the Okabe-Ito status colours, so the styles applied.
        shot = os.path.join(work, "shot.png")
        r = chromium(work, page, "--screenshot=" + shot)
        check(os.path.exists(shot), f"no screenshot: {r.stderr[-300:]}")
        if os.path.exists(shot):
            seen = colours(shot)
            for name, rgb in [("vermillion (overdue)", (0xD5, 0x5E, 0x00)), ("bluish green (ok)", (0x00, 0x9E, 0x73)),
                              ("orange (due soon)", (0xE6, 0x9F, 0x00)), ("reddish purple (leaked)", (0xCC, 0x79, 0xA7))]:
                check(rgb in seen, f"the screenshot has no {name} pixel")

        # 4: it prints.
        pdf = os.path.join(work, "rotations.pdf")
        chromium(work, page, "--no-pdf-header-footer", "--print-to-pdf=" + pdf)
        check(os.path.exists(pdf) and open(pdf, "rb").read(5) == b"%PDF-", "--print-to-pdf wrote no PDF")
        check("@media print" in html, "no print stylesheet")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for f in failures:
        print("FAIL: " + f, file=sys.stderr)
    print(f"report browser test: {'ok' if not failures else str(len(failures)) + ' failed'}")
    return 1 if failures else 0


CHROME = shutil.which("chromium") or shutil.which("chromium-browser")
if __name__ == "__main__":
    if not CHROME:
        print("FAIL: chromium is not installed (apt-get install chromium; scripts/install-deps.sh does it)", file=sys.stderr)
        sys.exit(1)
    sys.exit(main())
