#!/usr/bin/env bash
# Speed at province scale: sitegen against Hugo on the same generated content.
#
#   bench/compare-hugo.sh [N]        N disclosures (default 1000): N/2 departments × 2 years
#
# From a fresh clone: installs hugo, hyperfine, time (and PyYAML, libcmark-dev) with apt-get
# when missing, builds sitegen (release, --scratch-path .build-bench), generates the fixture
# with `sitegen fixture`, writes an equivalent Hugo site with bench/make_hugo_site.py, then
# times with hyperfine: sitegen build, hugo build, and cp -r of sitegen's output (the floor).
# Peak RSS comes from /usr/bin/time -v. Ends with the line `hugo/sitegen: R`.
#
# Environment: BENCH_WORK (default /tmp/sitegen-bench-N), BENCH_SEED (1), BENCH_RUNS and
# BENCH_WARMUP (default: 3 runs at N ≥ 10000, else 5; 1 warm-up), PYTHON (python3).
set -euo pipefail

N=${1:-1000}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${BENCH_WORK:-/tmp/sitegen-bench-$N}
SEED=${BENCH_SEED:-1}
if (( N >= 10000 )); then RUNS=${BENCH_RUNS:-3}; else RUNS=${BENCH_RUNS:-5}; fi
WARMUP=${BENCH_WARMUP:-1}
DEPARTMENTS=$(( N / 2 > 0 ? N / 2 : 1 ))
PY=${PYTHON:-python3}

say() { printf '\n== %s\n' "$*" >&2; }

# --- tools ---------------------------------------------------------------------------------
missing=()
command -v hugo >/dev/null 2>&1 || missing+=(hugo)
command -v hyperfine >/dev/null 2>&1 || missing+=(hyperfine)
[ -x /usr/bin/time ] || missing+=(time)
"$PY" -c 'import yaml' 2>/dev/null || missing+=(python3-yaml)
dpkg -s libcmark-dev >/dev/null 2>&1 || missing+=(libcmark-dev)
if (( ${#missing[@]} )); then
    say "installing ${missing[*]}"
    SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if ! "$PY" -c 'import yaml' 2>/dev/null; then
    if /usr/bin/python3 -c 'import yaml' 2>/dev/null; then PY=/usr/bin/python3; else "$PY" -m pip install --quiet pyyaml; fi
fi

say "building sitegen (release, .build-bench)"
(cd "$ROOT" && swift build -c release --scratch-path .build-bench --product sitegen 2>&1 | tail -1) >&2
SG="$ROOT/.build-bench/release/sitegen"

mkdir -p "$WORK"
CONTENT="$WORK/content"; HUGO_SITE="$WORK/hugo"
OUT_SG="$WORK/public-sitegen"; OUT_HUGO="$WORK/public-hugo"; OUT_CP="$WORK/public-cp"

say "fixture: $DEPARTMENTS departments × 2 years = $(( DEPARTMENTS * 2 )) disclosures (seed $SEED)"
"$SG" fixture --departments "$DEPARTMENTS" --years 2 --seed "$SEED" --output "$CONTENT" --force >&2
say "Hugo site from the same fixture"
"$PY" "$ROOT/bench/make_hugo_site.py" "$CONTENT" "$HUGO_SITE" >&2

# --- one build of each, to check both work (and for sitegen's per-stage times) -----------------
say "first builds"
rm -rf "$OUT_SG" "$OUT_HUGO" "$OUT_CP"
"$SG" build --content "$CONTENT" --output "$OUT_SG" --metrics | tee "$WORK/metrics.txt" >&2
hugo --quiet --source "$HUGO_SITE" --destination "$OUT_HUGO" >&2
count() { find "$1" -type f | wc -l; }
size() { du -sm "$1" | cut -f1; }
echo "sitegen: $(count "$OUT_SG") files, $(size "$OUT_SG") MB; hugo: $(count "$OUT_HUGO") files, $(size "$OUT_HUGO") MB" >&2

# --- timings ---------------------------------------------------------------------------------
# Full builds: --force ignores the state the last build left (otherwise every run after the first is a no-op).
SG_CMD="$SG build --content $CONTENT --output $OUT_SG --force"
SG_AGAIN="$SG build --content $CONTENT --output $OUT_SG"
HUGO_CMD="hugo --quiet --source $HUGO_SITE --destination $OUT_HUGO"
CP_CMD="cp -r $OUT_SG $OUT_CP"
say "hyperfine: $WARMUP warm-up, $RUNS runs"
hyperfine --style basic --warmup "$WARMUP" --runs "$RUNS" --export-json "$WORK/builds.json" \
    -n sitegen "$SG_CMD" -n hugo "$HUGO_CMD" >&2
# Into an empty folder: every file is created (the runs above replace an output whose unchanged
# files sitegen links instead of writing again; Hugo overwrites its files in place).
OUT_EMPTY="$WORK/public-empty"
hyperfine --style basic --warmup "$WARMUP" --runs "$RUNS" --prepare "rm -rf $OUT_CP $OUT_EMPTY $WORK/.public-empty.sitegen-state" \
    --export-json "$WORK/cp.json" -n "cp -r" "$CP_CMD" -n "sitegen-empty" "$SG build --content $CONTENT --output $OUT_EMPTY" >&2
rm -rf "$OUT_EMPTY" "$WORK/.public-empty.sitegen-state"

# Peak RSS and wall time of one run, through /usr/bin/time -v.
measure() {  # measure NAME CMD... → "seconds rss_mb"
    local log="$WORK/time-$1.txt"; shift
    /usr/bin/time -v "$@" >/dev/null 2>"$log" || { cat "$log" >&2; return 1; }
    "$PY" - "$log" <<'EOF'
import re, sys
t = open(sys.argv[1]).read()
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", t).group(1).split(":")
secs = sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall)))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) / 1024
print("%.3f %.0f" % (secs, rss))
EOF
}
say "peak RSS, no-op rebuild, one edited disclosure"
read -r _ SG_RSS < <(measure sitegen $SG_CMD)
# A no-op rebuild: the output is there and nothing changed since the last build.
read -r NOOP _ < <(measure noop $SG_AGAIN)
read -r _ HUGO_RSS < <(measure hugo $HUGO_CMD)
rm -rf "$OUT_CP"; read -r _ CP_RSS < <(measure cp $CP_CMD)
# One edited disclosure: a sentence added to one 情况说明 (the figures stay consistent).
EDITED=$(find "$CONTENT/departments" -name explanation.md | sort | awk 'NR == 1')   # not head: SIGPIPE + pipefail
cp "$EDITED" "$WORK/explanation.md.orig"
printf '\n本段为基准测试中修改的一句话。\n' >> "$EDITED"
read -r EDIT _ < <(measure edit $SG_AGAIN)
cp "$WORK/explanation.md.orig" "$EDITED"
"$SG" build --content "$CONTENT" --output "$OUT_SG" >/dev/null

# --- report ----------------------------------------------------------------------------------
"$PY" - "$WORK" "$N" "$RUNS" "$WARMUP" "$SG_RSS" "$HUGO_RSS" "$CP_RSS" "$NOOP" "$EDIT" <<'EOF'
import json, os, sys
work, n, runs, warmup, sg_rss, hugo_rss, cp_rss, noop, edit = sys.argv[1:]
results = {r["command"]: r for f in ("builds.json", "cp.json") for r in json.load(open(os.path.join(work, f)))["results"]}
sg, hugo, cp, empty = results["sitegen"], results["hugo"], results["cp -r"], results["sitegen-empty"]
def row(name, r, rss):
    return "| %-28s | %9.3f | %7.3f | %9.3f | %9.3f | %9.2f | %7s |" % (
        name, r["mean"], r["stddev"] or 0, r["min"], r["user"] + r["system"], r["mean"] / sg["mean"], rss)
load = os.getloadavg()
print()
print("load average before the report: %.2f %.2f %.2f (other processes share the cores: compare CPU s too)" % load)
print("N = %s disclosures (%d departments × 2 years); %s runs after %s warm-up; %d cores" % (n, int(n) // 2 or 1, runs, warmup, os.cpu_count()))
print("| %-28s | %9s | %7s | %9s | %9s | %9s | %7s |" % ("command", "mean s", "± s", "min s", "CPU s", "× sitegen", "RSS MB"))
print("|%s|%s|%s|%s|%s|%s|%s|" % ("-" * 30, "-" * 11, "-" * 9, "-" * 11, "-" * 11, "-" * 11, "-" * 9))
print(row("sitegen build", sg, sg_rss))
print(row("hugo build", hugo, hugo_rss))
print(row("sitegen, into an empty folder", empty, ""))
print(row("cp -r sitegen output (floor)", cp, cp_rss))
for name, secs in (("sitegen no-op rebuild", noop), ("sitegen, 1 disclosure edited", edit)):
    print("| %-28s | %9.3f | %7s | %9s | %9s | %9.2f | %7s |" % (name, float(secs), "", "", "", float(secs) / sg["mean"], ""))
print("(CPU s = user + system, mean of the runs. sitegen build: a full build (--force) over its last output,")
print(" as Hugo's runs are: every page rendered, files whose bytes did not change linked, not created again;")
print(" into an empty folder: every file created, as cp -r does. No-op and edited rebuilds: `sitegen build`")
print(" again in a new process, one run each, wall time)")
print()
print("sitegen stages (first build):")
print(open(os.path.join(work, "metrics.txt")).read().rstrip())
print()
print("Hugo's site is the same disclosures with the same ten tables, 情况说明, 绩效自评表 and one SVG chart per page,")
print("department and home list pages. The subtotals (合计/类/款 rows, derived lines) and the data references in")
print("情况说明 were precomputed by bench/make_hugo_site.py, not by Hugo, and Hugo runs no consistency checks:")
print("this favours Hugo. sitegen also writes pages Hugo does not (comparison pages, per-table CSV/JSON downloads).")
print()
print("CPU time hugo/sitegen: %.2f" % ((hugo["user"] + hugo["system"]) / (sg["user"] + sg["system"])))
print("hugo/sitegen: %.2f" % (hugo["mean"] / sg["mean"]))
EOF
