#!/usr/bin/env python3
"""Used by Tests/OpenDataTests. Reads an XLSX workbook with openpyxl and prints every cell as JSON:
{sheet: {"cells": {"A1": [type, value, number_format]}, "merged": ["A1:H1", ...]}} (type: s or n)."""
import json
import sys

import openpyxl

book = openpyxl.load_workbook(sys.argv[1])
out = {"sheets": book.sheetnames}
for ws in book.worksheets:
    cells = {}
    for row in ws.iter_rows():
        for c in row:
            if c.value is None:
                continue
            kind = "n" if isinstance(c.value, (int, float)) and not isinstance(c.value, bool) else "s"
            cells[c.coordinate] = [kind, c.value if kind == "n" else str(c.value), c.number_format]
    out[ws.title] = {"cells": cells, "merged": sorted(str(r) for r in ws.merged_cells.ranges)}
json.dump(out, sys.stdout, ensure_ascii=False)
