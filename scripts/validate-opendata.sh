#!/usr/bin/env bash
# Validates the example site's data packages with the Frictionless validator (PyPI `frictionless`):
# each disclosure's package ZIP (<dept>-<year>-juesuan-datapackage.zip: datapackage.json, the long
# CSV of every cell, the ten tables as CSV) and each region and year's datapackage.json (data.csv).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c "import frictionless" 2>/dev/null || python3 -m pip install -q frictionless >/dev/null 2>&1
out=$(mktemp -d)
.build/debug/sitegen build --content content --output "$out/public" >/dev/null 2>&1
status=0
packages=$(cd "$out/public" && { find . -name datapackage.json; find . -name '*-datapackage.zip'; } | sort)
for pkg in $packages; do
  if ! (cd "$out/public/$(dirname "$pkg")" && frictionless validate "$(basename "$pkg")" >/dev/null 2>&1); then
    echo "invalid data package: ${pkg#./}"; (cd "$out/public/$(dirname "$pkg")" && frictionless validate "$(basename "$pkg")" | tail -20); status=1
  fi
done
[ $status -eq 0 ] && echo "$(echo "$packages" | wc -w) data packages valid (frictionless)"
rm -rf "$out"
exit $status
