#!/usr/bin/env bash
# Cost per disclosure, peak memory, and shards against one build (docs/scale.md).
#
#   bench/scale.sh [N] [SITEGEN]   N disclosures (default 1000): N/2 departments × 2 years
#
# SITEGEN: a release sitegen (default: built with `swift build -c release --product sitegen
# --scratch-path .build-release`). For N disclosures over the fixture's regions (one per 100
# departments, at most 12) it measures with /usr/bin/time -v, one run each:
#   1. `sitegen check` (load, derive, check: no page);
#   2. `sitegen build` into an empty folder (the whole site in one process);
#   3. `sitegen build --region R` into an empty folder, for every region (the shards);
#   4. `sitegen merge` of the shards into an empty folder;
# then the files and bytes each output holds and `diff -r` of the merged site against the full one.
# Prints one line per run: what, wall s, CPU s (user+sys), peak RSS MB, files, MB.
#
# Environment: BENCH_WORK (default /tmp/sitegen-scale-N), BENCH_SEED (1), BENCH_THREADS (all cores).
set -euo pipefail

N=${1:-1000}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SG=${2:-}
WORK=${BENCH_WORK:-/tmp/sitegen-scale-$N}
SEED=${BENCH_SEED:-1}
DEPARTMENTS=$(( N / 2 > 0 ? N / 2 : 1 ))
THREADS=()
[ -n "${BENCH_THREADS:-}" ] && THREADS=(--threads "$BENCH_THREADS")

if [ -z "$SG" ]; then
    (cd "$ROOT" && swift build -c release --scratch-path .build-release --product sitegen 2>&1 | tail -1) >&2
    SG="$ROOT/.build-release/release/sitegen"
fi

rm -rf "$WORK"
mkdir -p "$WORK"
CONTENT="$WORK/content"
"$SG" fixture --departments "$DEPARTMENTS" --years 2 --seed "$SEED" --output "$CONTENT" >&2

# One measured run: label, then the command. Prints label, wall, CPU, peak RSS (MB).
measure() {
    local label=$1; shift
    local log="$WORK/time-$(echo "$label" | tr ' /' '__').txt"
    /usr/bin/time -v "$@" >"$log.out" 2>"$log"
    awk -v label="$label" -F': ' '
        /Elapsed \(wall clock\)/ { n = split($2, t, ":"); wall = (n == 3) ? t[1] * 3600 + t[2] * 60 + t[3] : t[1] * 60 + t[2] }
        /User time/ { user = $2 } /System time/ { sys = $2 } /Maximum resident/ { rss = $2 }
        END { printf "%-28s wall %7.2f s  CPU %7.2f s  peak RSS %6.0f MB", label, wall, user + sys, rss / 1024 }' "$log"
}

# Files and MB of an output folder (hidden files included).
size() { printf "  files %6d  %7.1f MB\n" "$(find "$1" -type f | wc -l)" "$(du -sb "$1" | awk '{print $1 / 1e6}')"; }

measure "check" "$SG" check --content "$CONTENT" || true   # findings would exit 1; the fixture has none
echo
measure "build (one process)" "$SG" build --content "$CONTENT" --output "$WORK/full" "${THREADS[@]}"
size "$WORK/full"

SHARDS=()
for region in $(ls "$WORK/full/regions"); do
    measure "build --region $region" "$SG" build --content "$CONTENT" --output "$WORK/shard-$region" --region "$region" "${THREADS[@]}"
    size "$WORK/shard-$region"
    SHARDS+=("$WORK/shard-$region")
done
measure "merge (${#SHARDS[@]} shards)" "$SG" merge "${SHARDS[@]}" --content "$CONTENT" --output "$WORK/merged" "${THREADS[@]}"
size "$WORK/merged"

if diff -r "$WORK/full" "$WORK/merged" >/dev/null; then echo "diff -r full merged: identical"; else echo "diff -r full merged: DIFFERENT"; exit 1; fi
