#!/usr/bin/env python3
"""Validate every corpus/<case>/printed.yaml (needs only PyYAML).

Checks required fields and types, that every header and body row of a table
has the same number of cells, that every cell is a string, that every prose
item has section/figures/text and each of its figure strings occurs in its
text (spaces ignored), and that slips carry where/what/expected/found/why.  Prints one line per case and exits
non-zero if any case is malformed.
"""
import os
import re
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REQUIRED = ["id", "place", "province", "unit", "kind", "year", "source",
            "parts", "tables", "prose", "performance", "slips", "elsewhere"]
KINDS = {"部门决算", "单位决算", "部门决算（汇总）", "绩效评价报告"}
SLIP_FIELDS = ["where", "what", "expected", "found", "why"]


def nospace(s):
    return re.sub(r"\s+", "", s)


def check_table(t, where, errs):
    for k in ("number", "title", "unit", "header", "rows", "notes", "empty_note"):
        if k not in t:
            errs.append(f"{where}: missing {k}")
            return 0
    if not isinstance(t["header"], list) or not isinstance(t["rows"], list):
        errs.append(f"{where}: header/rows must be lists")
        return 0
    widths = set()
    cells = 0
    for i, r in enumerate(t["header"] + t["rows"]):
        if not isinstance(r, list):
            errs.append(f"{where}: row {i} is not a list")
            continue
        widths.add(len(r))
        for c in r:
            if not isinstance(c, str):
                errs.append(f"{where}: row {i} has a non-string cell {c!r}")
        cells += len(r)
    if len(widths) > 1:
        errs.append(f"{where}: rows of different lengths {sorted(widths)}")
    if t["rows"] and not t["header"]:
        errs.append(f"{where}: rows without header")
    if not isinstance(t["notes"], list):
        errs.append(f"{where}: notes must be a list")
    return cells


def check_case(path):
    errs = []
    with open(path, encoding="utf-8") as f:
        c = yaml.safe_load(f)
    if not isinstance(c, dict):
        return None, [f"{path}: not a mapping"]
    for k in REQUIRED:
        if k not in c:
            errs.append(f"missing field {k}")
    folder = os.path.basename(os.path.dirname(path))
    if c.get("id") != folder:
        errs.append(f"id {c.get('id')!r} != folder {folder!r}")
    if c.get("kind") not in KINDS:
        errs.append(f"kind {c.get('kind')!r} not one of {sorted(KINDS)}")
    if not isinstance(c.get("year"), int):
        errs.append("year must be an integer")
    for k in ("parts", "tables", "prose", "performance", "slips"):
        if k in c and not isinstance(c[k], list):
            errs.append(f"{k} must be a list")
    cells = 0
    for i, t in enumerate(c.get("tables") or []):
        cells += check_table(t, f"tables[{i}] {t.get('title', '')}", errs)
    for i, t in enumerate(c.get("performance") or []):
        if "header" in t:
            cells += check_table(t, f"performance[{i}] {t.get('title', '')}", errs)
        elif not ("section" in t and "text" in t):
            errs.append(f"performance[{i}]: needs a table shape or section+text")
    for i, p in enumerate(c.get("prose") or []):
        if not isinstance(p, dict) or not {"section", "figures", "text"} <= set(p):
            errs.append(f"prose[{i}]: needs section, figures, text")
            continue
        if "sentence" in p:
            errs.append(f"prose[{i}]: 'sentence' is retired; the field is 'text'")
        if not isinstance(p["text"], str):
            errs.append(f"prose[{i}]: text must be a string")
            continue
        if not all(isinstance(x, str) for x in p["figures"]):
            errs.append(f"prose[{i}]: figures must be strings")
            continue
        text = nospace(p["text"])
        for f in p["figures"]:
            if nospace(f) not in text:
                errs.append(f"prose[{i}]: figure {f!r} not in text")
    for key in ("slips", "not_slips"):
        for i, s in enumerate(c.get(key) or []):
            if not isinstance(s, dict) or any(f not in s for f in SLIP_FIELDS):
                errs.append(f"{key}[{i}]: needs {', '.join(SLIP_FIELDS)}")
    if not c.get("tables") and not c.get("elsewhere") and c.get("kind") != "绩效评价报告":
        errs.append("no tables and no 'elsewhere' note")
    return (c, cells), errs


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else HERE
    bad = 0
    n = 0
    for d in sorted(os.listdir(root)):
        p = os.path.join(root, d, "printed.yaml")
        if not os.path.isfile(p):
            continue
        n += 1
        try:
            res, errs = check_case(p)
        except yaml.YAMLError as e:
            res, errs = None, [f"YAML error: {e}"]
        if res:
            c, cells = res
            print(f"{c.get('id')}\t{c.get('province')}\t{c.get('kind')}\t{c.get('year')}\t"
                  f"tables={len(c.get('tables') or [])}\tcells={cells}\tslips={len(c.get('slips') or [])}")
        for e in errs:
            print(f"  ERROR {d}: {e}")
        if errs:
            bad += 1
    print(f"{n} cases, {bad} malformed")
    return 1 if bad or n == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
