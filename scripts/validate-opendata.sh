#!/usr/bin/env bash
# Validates the example site's data packages with the Frictionless validator (PyPI `frictionless`).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c "import frictionless" 2>/dev/null || pip install -q frictionless >/dev/null 2>&1
out=$(mktemp -d)
.build/debug/sitegen build --content content --output "$out/public" >/dev/null 2>&1
status=0
for pkg in $(find "$out/public" -name datapackage.json | sort); do
  if ! (cd "$(dirname "$pkg")" && frictionless validate datapackage.json >/dev/null 2>&1); then
    echo "invalid data package: ${pkg#$out/public/}"; (cd "$(dirname "$pkg")" && frictionless validate datapackage.json | tail -20); status=1
  fi
done
[ $status -eq 0 ] && echo "$(find "$out/public" -name datapackage.json | wc -l) data packages valid (frictionless)"
rm -rf "$out"
exit $status
