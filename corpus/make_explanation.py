#!/usr/bin/env python3
"""Writes explanation.md (第三部分 情况说明) for the Shanghai 2025 corpus cases.

    python3 corpus/make_explanation.py [<case> ...]

The case's own sentences (printed.yaml `prose:`: our wording, the document's figures exactly as it
prints them, slips included), under the headings of its 目录 (printed.yaml `parts:`, 一 … 十一),
each （一）… sub-heading under the heading its subject belongs to. Figures are typed, not data
references: the corpus reproduces the document, and `sitegen check` is measured on what the
document says (corpus/<case>/findings.yaml).
"""
import os
import sys

import yaml

ROOT = os.path.dirname(os.path.abspath(__file__))
CASES = {
    "shanghai-putuo-yichuanlu-2025": "yichuanlu",
    "shanghai-putuo-shiquanlu-2025": "shiquanlu",
    "shanghai-putuo-wenlvju-2025": "wenlvju",
    "shanghai-putuo-shengtaihuanjingju-2025": "shengtaihuanjingju",
}
NUMERALS = "一二三四五六七八九十"
# A （一）… section's subject → the words of the top heading it belongs to.
PARENTS = [("一般公共预算财政拨款支出", "一般公共预算财政拨款支出决算情况说明"),
           ("三公", "三公"),
           ("机关运行经费", "其他重要事项"), ("政府采购", "其他重要事项"), ("国有资产", "其他重要事项")]


def is_top(title):
    return title[:1] in NUMERALS and "、" in title[:4]


def main(case):
    slug = CASES[case]
    doc = yaml.safe_load(open(os.path.join(ROOT, case, "printed.yaml"), encoding="utf-8"))
    year, unit = doc["year"], doc["unit"]
    parts = doc["parts"]
    start = next(i for i, p in enumerate(parts) if p.startswith("第三部分"))
    tops = [p for p in parts[start + 1:] if is_top(p) and not p.startswith("第")]
    tops = tops[:next((i for i, p in enumerate(tops) if p.startswith("第")), len(tops))]
    body = {t: [] for t in tops}
    current = tops[0]
    for item in doc["prose"]:
        section, text = item["section"], " ".join(item["text"].split())
        if is_top(section):
            current = next((t for t in tops if t.startswith(section[:2])), current)
            body[current].append((None, text))
            continue
        parent = next((t for key, words in PARENTS if key in section for t in tops if words in t), current)
        current = parent
        body[parent].append((section, text))
    out = [f"<!-- {unit} {year}年度部门决算情况说明：结构、句子次序和数字取自原文（corpus/{case}/printed.yaml），"
           "数字照录原文（含原文的差错），文字为本项目所写。 -->", ""]
    for top in tops:
        out += [f"## {top}", ""]
        last = None
        for sub, text in body[top]:
            if sub and sub != last:
                out += [f"### {sub}", ""]
                last = sub
            out += [text, ""]
    path = os.path.join(ROOT, case, "site", "content", "departments", slug, str(year), "explanation.md")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(out).rstrip() + "\n")
    print(path)


if __name__ == "__main__":
    for c in sys.argv[1:] or CASES:
        main(c)
