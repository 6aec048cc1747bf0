#!/usr/bin/env python3
"""Edit-to-served latency of `sitegen serve`: edit one disclosure's 情况说明 and time how long
until the served page shows it; also the rebuild times serve itself reports (without the watcher's
quiet time). Usage: bench/serve_latency.py SITEGEN CONTENT_DIR [RUNS]
(CONTENT_DIR is copied to a temporary folder first; the original is not touched)."""
import os, re, shutil, socket, statistics, subprocess, sys, tempfile, threading, time, urllib.request

sitegen, content, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 5
work = tempfile.mkdtemp(prefix="serve-latency-")
shutil.copytree(content, os.path.join(work, "content"))
with socket.socket() as s:
    s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]
proc = subprocess.Popen([sitegen, "serve", "--content", os.path.join(work, "content"), "--output", os.path.join(work, "public"),
                         "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
try:
    for line in proc.stdout:
        if line.startswith("serving"): break
    # serve's own report of each rebuild: "rebuilt 1 page after 1 change in 0.251 s (load 6 ms, …)".
    rebuilds = []
    def listen():
        for line in proc.stdout:
            m = re.match(r"rebuilt .* in ([0-9.]+) s", line)
            if m: rebuilds.append(float(m.group(1)) * 1000)
    threading.Thread(target=listen, daemon=True).start()
    # The first disclosure folder and an amount on its 01 table.
    depts = sorted(d for d in os.listdir(os.path.join(work, "content/departments")))
    dept = depts[0]
    year = sorted(y for y in os.listdir(os.path.join(work, "content/departments", dept)) if y.isdigit())[-1]
    # Append a marker sentence to its 情况说明 (a figure edit could break a consistency rule and,
    # correctly, keep the last good page).
    path = os.path.join(work, "content/departments", dept, year, "explanation.md")
    url = f"http://127.0.0.1:{port}/{dept}/{year}/"
    text = open(path, encoding="utf-8").read()
    times = []
    for i in range(runs):
        marker = f"延迟测试标记{i}号"
        t0 = time.monotonic()
        with open(path, "w", encoding="utf-8") as f: f.write(text + f"\n\n{marker}。\n")
        while True:
            body = urllib.request.urlopen(url).read().decode("utf-8")
            if marker in body: break
            if time.monotonic() - t0 > 60: raise SystemExit(f"timed out waiting for the edit at {url}")
            time.sleep(0.005)
        times.append((time.monotonic() - t0) * 1000)
        time.sleep(0.5)
    print(f"edit-to-served: median {statistics.median(times):.0f} ms, min {min(times):.0f} ms, max {max(times):.0f} ms over {runs} edits ({content})")
    if rebuilds:
        print(f"rebuild (as serve reports it): median {statistics.median(rebuilds):.0f} ms, min {min(rebuilds):.0f} ms, max {max(rebuilds):.0f} ms over {len(rebuilds)} rebuilds")
finally:
    proc.terminate(); proc.wait(); shutil.rmtree(work, ignore_errors=True)
