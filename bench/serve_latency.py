#!/usr/bin/env python3
"""Edit-to-served latency of `sitegen serve`: edit one disclosure and time how long until the
served page shows it; also the rebuild times serve itself reports (without the watcher's quiet
time). Usage: bench/serve_latency.py SITEGEN CONTENT_DIR [RUNS] [prose|figure]
prose (default): append a sentence to its 情况说明 — its own page is made again.
figure: change its 01 table's 一般公共预算财政拨款收入, a headline figure — its page, downloads and
department page, its region's comparison pages, and (after the page is served) its region's long
CSV and ZIP are made again. The amount no longer adds up with the other
tables, so the copy's site.yaml sets `checks: {errors_stop_build: false}` (else serve would,
correctly, keep the last good page).
(CONTENT_DIR is copied to a temporary folder first; the original is not touched)."""
import os, re, shutil, socket, statistics, subprocess, sys, tempfile, threading, time, urllib.request

sitegen, content = sys.argv[1], sys.argv[2]
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
mode = sys.argv[4] if len(sys.argv) > 4 else "prose"
if mode not in ("prose", "figure"): raise SystemExit(f"unknown edit {mode!r}: prose or figure")
work = tempfile.mkdtemp(prefix="serve-latency-")
shutil.copytree(content, os.path.join(work, "content"))
if mode == "figure":
    with open(os.path.join(work, "content/site.yaml"), "a", encoding="utf-8") as f: f.write("\nchecks: {errors_stop_build: false}\n")
with socket.socket() as s:
    s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]
proc = subprocess.Popen([sitegen, "serve", "--lang", "en", "--content", os.path.join(work, "content"), "--output", os.path.join(work, "public"),
                         "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
try:
    for line in proc.stdout:
        if line.startswith("serving"): break
    # serve's own report of each rebuild: "rebuilt 1 page after 1 change in 0.251 s (load 6 ms, …)".
    # After a figure edit, "made the bulk downloads of 1 region-year in 1.234 s" follows it.
    rebuilds, downloads = [], []
    def listen():
        for line in proc.stdout:
            m = re.match(r"rebuilt .* in ([0-9.]+) s", line)
            if m: rebuilds.append(float(m.group(1)) * 1000)
            m = re.match(r"made the bulk downloads .* in ([0-9.]+) s", line)
            if m: downloads.append(float(m.group(1)) * 1000)
    threading.Thread(target=listen, daemon=True).start()
    # The first disclosure folder.
    depts = sorted(d for d in os.listdir(os.path.join(work, "content/departments")))
    dept = depts[0]
    year = sorted(y for y in os.listdir(os.path.join(work, "content/departments", dept)) if y.isdigit())[-1]
    folder = os.path.join(work, "content/departments", dept, year)
    path = os.path.join(folder, "explanation.md" if mode == "prose" else "disclosure.yaml")
    url = f"http://127.0.0.1:{port}/{dept}/{year}/"
    text = open(path, encoding="utf-8").read()
    times = []
    for i in range(runs):
        if mode == "prose":
            # A marker sentence at the end of its 情况说明.
            marker = f"延迟测试标记{i}号"
            edited = text + f"\n\n{marker}。\n"
        else:
            # `一般公共预算财政拨款收入: 670.75` → `一般公共预算财政拨款收入: 777.0i`.
            marker = f"777.0{i % 10}"
            edited, n = re.subn(r'(一般公共预算财政拨款收入: )[0-9.]+', lambda m: m.group(1) + marker, text, count=1)
            if n != 1: raise SystemExit(f"no 01 一般公共预算财政拨款收入 in {path}")
        t0 = time.monotonic()
        with open(path, "w", encoding="utf-8") as f: f.write(edited)
        while True:
            body = urllib.request.urlopen(url).read().decode("utf-8")
            if marker in body: break
            if time.monotonic() - t0 > 60: raise SystemExit(f"timed out waiting for the edit at {url}")
            time.sleep(0.005)
        times.append((time.monotonic() - t0) * 1000)
        # The next edit starts once serve is idle again (after a figure edit, the downloads are made).
        # (A binary that makes them within the rebuild prints no such line: 3 s of grace, then on.)
        served = time.monotonic()
        while mode == "figure" and len(downloads) <= i and time.monotonic() - t0 < 300 \
                and (downloads or time.monotonic() - served < 3): time.sleep(0.01)
        time.sleep(0.5)
    print(f"{mode} edit-to-served: median {statistics.median(times):.0f} ms, min {min(times):.0f} ms, max {max(times):.0f} ms over {runs} edits ({content})")
    if rebuilds:
        print(f"rebuild (as serve reports it): median {statistics.median(rebuilds):.0f} ms, min {min(rebuilds):.0f} ms, max {max(rebuilds):.0f} ms over {len(rebuilds)} rebuilds")
    if downloads:
        print(f"bulk downloads made after it: median {statistics.median(downloads):.0f} ms, min {min(downloads):.0f} ms, max {max(downloads):.0f} ms over {len(downloads)}")
finally:
    proc.terminate(); proc.wait(); shutil.rmtree(work, ignore_errors=True)
