#!/usr/bin/env bash
# Is the comparison index linear in departments? Builds a generated site of 1,000 and one of
# 10,000 departments (one year each, same seed) and compares the time sitegen spends on the index
# pages (`compare` and `across-years` templates: view models, template and writing, CPU summed over
# threads, from `sitegen build --metrics`).
#
#   bench/compare-index.sh [SMALL] [LARGE]      default 1000 10000 departments
#
# Ends with `index time large/small: R (departments ×F)`; linear means R ≈ F.
# Environment: BENCH_WORK (default /tmp/sitegen-index-bench).
set -euo pipefail

SMALL=${1:-1000}
LARGE=${2:-10000}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${BENCH_WORK:-/tmp/sitegen-index-bench}

dpkg -s libcmark-dev >/dev/null 2>&1 || { SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo; $SUDO apt-get update -qq; $SUDO apt-get install -y -qq libcmark-dev >/dev/null; }
(cd "$ROOT" && swift build -c release --scratch-path .build-bench --product sitegen 2>&1 | tail -1) >&2
SG="$ROOT/.build-bench/release/sitegen"
mkdir -p "$WORK"

for n in "$SMALL" "$LARGE"; do
    "$SG" fixture --departments "$n" --years 1 --seed 1 --output "$WORK/content-$n" --force >/dev/null
    rm -rf "$WORK/public-$n" "$WORK/.public-$n.sitegen-state"
    "$SG" build --content "$WORK/content-$n" --output "$WORK/public-$n" --metrics > "$WORK/metrics-$n.txt"
done

python3 - "$WORK" "$SMALL" "$LARGE" <<'EOF'
import re, sys
work, small, large = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def seconds(s): return float(s.split()[0])
def index(n):
    text = open(f"{work}/metrics-{n}.txt").read()
    total, pages = 0.0, 0
    for name in ("compare", "across-years"):
        m = re.search(rf"^{name}\s+(\S+ s)\s+(\S+ s)\s+(\S+ s)\s+(\d+)", text, re.M)
        total += sum(seconds(m.group(i)) for i in (1, 2, 3)); pages += int(m.group(4))
    return total, pages
print("| departments | index pages | index CPU s | per department ms |")
print("|------------:|------------:|------------:|------------------:|")
res = {}
for n in (small, large):
    t, p = index(n); res[n] = t
    print(f"| {n:>11,} | {p:>11,} | {t:>11.3f} | {1000 * t / n:>17.3f} |")
print(f"index time large/small: {res[large] / res[small]:.2f} (departments ×{large / small:g})")
EOF
