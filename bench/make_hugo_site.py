#!/usr/bin/env python3
"""Writes a Hugo site equivalent to what sitegen publishes from a content folder.

    python3 bench/make_hugo_site.py CONTENT_DIR HUGO_SITE_DIR

Reads the content folder (the one `sitegen fixture` writes: site.yaml, catalogs/, departments/)
with PyYAML and writes a Hugo site with, per disclosure, one page carrying the ten tables,
the 概况, the 情况说明 and the 绩效自评表, one SVG chart computed by the template, a page per
department listing its years, and a home page listing every department.

What is done here rather than in Hugo (and so favours Hugo in the benchmark):
  * the 合计/类/款 subtotal rows, row totals and the derived lines of 01/04/09/10 are computed
    here, exactly (decimal.Decimal), and handed to Hugo as front matter: the Go templates only
    print the rows;
  * the data references of explanation.md ({{03.合计.基本支出 | 占比 …}}, 增减额, 增长率 …) are
    expanded here: Hugo only renders the resulting Markdown;
  * the consistency checks of `sitegen check` are not done at all.
The chart's geometry (bar lengths from the largest value) is computed in the template.
"""

import json
import os
import shutil
import sys
from decimal import Decimal, ROUND_HALF_UP

import yaml

LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)  # every scalar as written: exact decimals


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=LOADER)


def amount(v):
    if v is None or v in ("~", "null", ""):
        return None
    return Decimal(str(v).strip('"'))


def dsum(values):
    total = None
    for v in values:
        if v is not None:
            total = v if total is None else total + v
    return total


def text(v, count=False):
    if v is None:
        return ""
    if count:
        return str(int(v))
    return format(v, "f")


def percent(part, whole):
    if whole is None or whole == 0:
        return Decimal("0.00")
    return (part * 100 / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


NUMERALS = "一 二 三 四 五 六 七 八 九 十 十一 十二 十三 十四 十五 十六 十七 十八 十九 二十 二十一 二十二 二十三 二十四 二十五 二十六 二十七 二十八 二十九 三十".split()

COLUMNS = {
    "02": ["本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"],
    "03": ["本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"],
    "05": ["本年支出合计", "基本支出", "项目支出"],
    "07": ["年初结转和结余", "本年收入", "本年支出合计", "基本支出", "项目支出", "年末结转和结余"],
    "08": ["本年支出合计", "基本支出", "项目支出"],
    "06": ["决算数"],
}
ROW_TOTALS = {"02": {0: range(1, 7)}, "03": {0: range(1, 6)}, "05": {0: [1, 2]}, "07": {2: [3, 4]}, "08": {0: [1, 2]}, "06": {}}
TITLES = {
    "01": "收入支出决算总表", "02": "收入决算表", "03": "支出决算表", "04": "财政拨款收入支出决算总表",
    "05": "一般公共预算财政拨款支出决算表", "06": "一般公共预算财政拨款基本支出决算表",
    "07": "政府性基金预算财政拨款收入支出决算表", "08": "国有资本经营预算财政拨款支出决算表",
    "09": "财政拨款“三公”经费支出决算表", "10": "国有资产占用情况表",
}
VEHICLES = {
    2022: ["副部（省）级及以上领导用车", "主要领导干部用车", "机要通信用车", "应急保障用车", "执法执勤用车", "特种专业技术用车", "离退休干部用车", "其他用车"],
    2023: ["副部（省）级及以上领导用车", "主要负责人用车", "机要通信用车", "应急保障用车", "执法执勤用车", "特种专业技术用车", "离退休干部服务用车", "其他用车"],
}
EQUIPMENT = "单价100万元（含）以上设备（不含车辆）"


class Row:
    __slots__ = ("key", "label", "aliases", "line", "level", "cells", "count")

    def __init__(self, key, label, cells, line=None, level=1, aliases=(), count=False):
        self.key, self.label, self.cells, self.line, self.level = key, label, cells, line, level
        self.aliases, self.count = list(aliases), count

    def view(self, code=True):
        return {"code": self.key if code else "", "label": self.label, "line": self.line or "", "level": self.level,
                "cells": ["——" if c == "NA" else text(c, self.count) for c in self.cells]}


class Section:
    def __init__(self, sid, columns, rows, codes=False):
        self.id, self.columns, self.rows, self.codes = sid, columns, rows, codes

    def find(self, name):
        for r in self.rows:
            if r.key == name:
                return r
        for r in self.rows:
            if r.label == name or name in r.aliases:
                return r
        if name.isdigit():
            for r in self.rows:
                if r.line == int(name):
                    return r
        return None


def classified(number, data, names, sections_by_group=None):
    """Rows of 02/03/05/06/07/08 with derived 款, 类 and 合计 rows, as sitegen derives them."""
    columns = COLUMNS[number]
    width = len(columns)
    entered = {}
    for row in (data or {}).get("rows", []) or []:
        code, values = str(row[0]), row[1:]
        if len(values) == width + 1:
            values = values[1:]  # a typed name
        cells = [amount(v) for v in values]
        for c, parts in ROW_TOTALS[number].items():
            if cells[c] is None:
                cells[c] = dsum(cells[p] for p in parts)
        entered[code] = cells

    def build(sid, codes_entered, total_label):
        codes = set(k for k in codes_entered if k != "合计")
        for code in list(codes):
            while len(code) > 3:
                code = code[:-2]
                codes.add(code)
        memo = {}

        def value(code, c):
            if (code, c) in memo:
                return memo[(code, c)]
            if code in codes_entered and codes_entered[code][c] is not None:
                v = codes_entered[code][c]
            else:
                if code == "合计":
                    children = [x for x in codes if len(x) == 3]
                else:
                    children = [x for x in codes if len(x) == len(code) + 2 and x.startswith(code)]
                v = dsum(value(ch, c) for ch in children)
            memo[(code, c)] = v
            return v

        rows = []
        if codes or number == "06":
            rows.append(Row("合计", total_label, [value("合计", c) for c in range(width)], level=0))
        for code in sorted(codes):
            level = 1 if len(code) == 3 else 2 if len(code) == 5 else 3
            rows.append(Row(code, names.get(code, ""), [value(code, c) for c in range(width)], level=level))
        return Section(sid, columns, rows, codes=True)

    if number == "06":
        people = {k: v for k, v in entered.items() if k.startswith("301") or k.startswith("303")}
        costs = {k: v for k, v in entered.items() if not (k.startswith("301") or k.startswith("303"))}
        s1, s2 = build("人员经费", people, "人员经费合计"), build("公用经费", costs, "公用经费合计")
        for s in (s1, s2):
            s.rows[0].aliases.append(s.rows[0].label)
        return [s1, s2]
    return [build("支出", entered, "合计")]


def lines_value(data, section, key):
    return amount(((data or {}).get(section) or {}).get(key))


def table01(data, classes, t03):
    n = len(classes)
    incomes = ["一般公共预算财政拨款收入", "政府性基金预算财政拨款收入", "国有资本经营预算财政拨款收入", "上级补助收入",
               "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]
    left = [Row(k, NUMERALS[i] + "、" + k, [lines_value(data, "收入", k)], line=i + 1) for i, k in enumerate(incomes)]
    left += [Row("#%d" % i, "", [None], line=i) for i in range(len(incomes) + 1, n + 1)]
    base = max(n, len(incomes))
    income = dsum(r.cells[0] for r in left[: len(incomes)])
    unused = lines_value(data, "收入", "使用非财政拨款结余")
    opening = lines_value(data, "收入", "年初结转和结余")
    left += [Row("本年收入合计", "本年收入合计", [income], line=base + 1, level=0),
             Row("使用非财政拨款结余", "使用非财政拨款结余", [unused], line=base + 2),
             Row("年初结转和结余", "年初结转和结余", [opening], line=base + 3),
             Row("#%d" % (base + 4), "", [None], line=base + 4),
             Row("总计", "总计", [dsum([income, unused, opening])], line=base + 5, level=0)]
    s03 = t03[0]
    has_rows = any(r.key != "合计" for r in s03.rows)
    right = []
    r0 = base + 6
    for i, (code, name) in enumerate(classes):
        row = s03.find(code)
        v = row.cells[0] if row else (Decimal("0.00") if has_rows else None)
        right.append(Row(code, NUMERALS[i] + "、" + name, [v], line=r0 + i, aliases=[name]))
    spent = dsum(r.cells[0] for r in right)
    alloc = lines_value(data, "支出", "结余分配")
    closing = lines_value(data, "支出", "年末结转和结余")
    right += [Row("本年支出合计", "本年支出合计", [spent], line=r0 + n, level=0),
              Row("结余分配", "结余分配", [alloc], line=r0 + n + 1),
              Row("年末结转和结余", "年末结转和结余", [closing], line=r0 + n + 2),
              Row("#%d" % (r0 + n + 3), "", [None], line=r0 + n + 3),
              Row("总计", "总计", [dsum([spent, alloc, closing])], line=r0 + n + 4, level=0)]
    return [Section("收入", ["决算数"], left), Section("支出", ["决算数"], right)]


def table04(data, classes, t05, t07, t08):
    n = len(classes)
    funds = ["一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"]
    left = [Row(k, NUMERALS[i] + "、" + k, [lines_value(data, "收入", k)], line=i + 1) for i, k in enumerate(funds)]
    base = max(n, 3)
    left += [Row("#%d" % i, "", [None], line=i) for i in range(4, base + 1)]
    income = dsum(r.cells[0] for r in left[:3])
    openings = [lines_value(data, "收入", "年初" + k) for k in funds]
    left += [Row("本年收入合计", "本年收入合计", [income], line=base + 1, level=0),
             Row("年初财政拨款结转和结余", "年初财政拨款结转和结余", [dsum(openings)], line=base + 2, level=0)]
    left += [Row("年初" + k, NUMERALS[i] + "、" + k, [openings[i]], line=base + 3 + i, level=2) for i, k in enumerate(funds)]
    left.append(Row("总计", "总计", [dsum([income, dsum(openings)])], line=base + 6, level=0))
    sources = []
    for t in (t05, t07, t08):
        s = t[0]
        col = s.columns.index("本年支出合计")
        has_rows = any(r.key != "合计" for r in s.rows)
        sources.append((s, col, has_rows))
    right = []
    r0 = base + 7
    for i, (code, name) in enumerate(classes):
        cells = []
        for s, col, has_rows in sources:
            row = s.find(code)
            cells.append(row.cells[col] if row else (Decimal("0.00") if has_rows else None))
        right.append(Row(code, NUMERALS[i] + "、" + name, [dsum(cells)] + cells, line=r0 + i, aliases=[name]))
    total = [dsum(r.cells[c] for r in right) for c in range(4)]
    right.append(Row("本年支出合计", "本年支出合计", total, line=r0 + n, level=0))
    closing = (((data or {}).get("支出") or {}).get("年末财政拨款结转和结余")) or [None] * 4
    closing = [amount(v) for v in closing]
    closing[0] = dsum(closing[1:])
    right.append(Row("年末财政拨款结转和结余", "年末财政拨款结转和结余", closing, line=r0 + n + 1))
    right += [Row("#%d" % i, "", [None] * 4, line=i) for i in range(r0 + n + 2, r0 + n + 5)]
    right.append(Row("总计", "总计", [dsum([total[c], closing[c]]) for c in range(4)], line=r0 + n + 5, level=0))
    return [Section("收入", ["金额"], left), Section("支出", ["合计"] + funds, right)]


def table09(data, form):
    money = (data or {}).get("经费") or {}
    counts = (data or {}).get("统计数") or {}

    def vals(key, width):
        v = money.get(key)
        if v is None:
            return [None] * width
        return [amount(x) for x in (v if isinstance(v, list) else [v])]

    if form >= 2023:
        items = {k: vals(k, 2) for k in ["因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费"]}
        car = [dsum([items["公务用车购置费"][c], items["公务用车运行维护费"][c]]) for c in range(2)]
        total = [dsum([items["因公出国（境）费"][c], car[c], items["公务接待费"][c]]) for c in range(2)]
        rows = [Row("合计", "合计", total, level=0), Row("因公出国（境）费", "因公出国（境）费", items["因公出国（境）费"]),
                Row("公务用车购置及运行维护费", "公务用车购置及运行维护费", car),
                Row("公务用车购置费", "公务用车购置费", items["公务用车购置费"], level=2),
                Row("公务用车运行维护费", "公务用车运行维护费", items["公务用车运行维护费"], level=2),
                Row("公务接待费", "公务接待费", items["公务接待费"])]
        return [Section("经费", ["预算数", "决算数"], rows)]
    abroad, buy, run = vals("因公出国（境）费", 3), vals("公务用车购置费", 3), vals("公务用车运行维护费", 3)
    domestic, foreign_affairs, overseas = vals("国内接待费", 1)[0], vals("其中：外事接待费", 1)[0], vals("国（境）外接待费", 1)[0]
    reception = vals("公务接待费", 3)
    reception[2] = dsum([domestic, overseas])
    car = [dsum([buy[c], run[c]]) for c in range(3)]
    total = [dsum([abroad[c], car[c], reception[c]]) for c in range(3)]
    rows = [Row("“三公”经费支出", "一、“三公”经费支出", total, line=1, level=0),
            Row("因公出国（境）费", "1.因公出国（境）费", abroad, line=2),
            Row("公务用车购置及运行维护费", "2.公务用车购置及运行维护费", car, line=3),
            Row("公务用车购置费", "（1）公务用车购置费", buy, line=4, level=2),
            Row("公务用车运行维护费", "（2）公务用车运行维护费", run, line=5, level=2),
            Row("公务接待费", "3.公务接待费", reception, line=6),
            Row("国内接待费", "（1）国内接待费", ["NA", "NA", domestic], line=7, level=2),
            Row("其中：外事接待费", "其中：外事接待费", ["NA", "NA", foreign_affairs], line=8, level=2),
            Row("国（境）外接待费", "（2）国（境）外接待费", ["NA", "NA", overseas], line=9, level=2)]
    labels = [("因公出国（境）团组数", "1.因公出国（境）团组数（个）"), ("因公出国（境）人次", "2.因公出国（境）人次（人）"),
              ("公务用车购置数", "3.公务用车购置数（辆）"), ("公务用车保有量", "4.公务用车保有量（辆）"),
              ("国内公务接待批次", "5.国内公务接待批次（个）"), ("其中：外事接待批次", "其中：外事接待批次（个）"),
              ("国内公务接待人次", "6.国内公务接待人次（人）"), ("其中：外事接待人次", "其中：外事接待人次（人）"),
              ("国（境）外公务接待批次", "7.国（境）外公务接待批次（个）"), ("国（境）外公务接待人次", "8.国（境）外公务接待人次（人）")]
    stats = [Row("相关统计数", "二、相关统计数", ["NA", "NA", "NA"], line=10, level=0)]
    stats += [Row(k, l, ["NA", "NA", amount(counts.get(k))], line=11 + i, count=True) for i, (k, l) in enumerate(labels)]
    cols = ["年初预算数", "全年预算数", "决算数"]
    return [Section("经费", cols, rows), Section("统计数", cols, stats)]


def table10(data, form):
    if form >= 2023:
        v = (data or {}).get("统计数") or {}
        purchases = ["政府采购货物支出", "政府采购工程支出", "政府采购服务支出"]
        running = ["机关运行经费（行政单位）", "机关运行经费（参照公务员法管理事业单位）"]
        rows = [Row("政府采购支出合计", "一、政府采购支出合计", [dsum(amount(v.get(k)) for k in purchases)], line=1, level=0)]
        rows += [Row(k, "%d.%s" % (i + 1, k), [amount(v.get(k))], line=2 + i, level=2) for i, k in enumerate(purchases)]
        rows.append(Row("机关运行经费合计", "二、机关运行经费合计", [dsum(amount(v.get(k)) for k in running)], line=5, level=0))
        rows += [Row(k, "%d.%s" % (i + 1, k), [amount(v.get(k))], line=6 + i, level=2) for i, k in enumerate(running)]
        vehicles = VEHICLES[2023]
        rows.append(Row("车辆数合计", "三、国有资产占用：车辆数合计（辆）", [dsum(amount(v.get(k)) for k in vehicles)], line=8, level=0, count=True))
        rows += [Row(k, "%d.%s" % (i + 1, k), [amount(v.get(k))], line=9 + i, level=2, count=True) for i, k in enumerate(vehicles)]
        rows.append(Row(EQUIPMENT, "四、" + EQUIPMENT + "（台、套）", [amount(v.get(EQUIPMENT))], line=17, count=True))
        return [Section("统计数", ["统计数"], rows)]
    v = (data or {}).get("决算数") or {}
    vehicles = VEHICLES[2022]
    rows = [Row("车辆数合计", "一、车辆数合计（台、辆）", [dsum(amount(v.get(k)) for k in vehicles)], line=1, level=0, count=True)]
    rows += [Row(k, "%d.%s" % (i + 1, k), [amount(v.get(k))], line=i + 2, level=2, count=True) for i, k in enumerate(vehicles)]
    rows.append(Row(EQUIPMENT, "二、" + EQUIPMENT, [amount(v.get(EQUIPMENT))], line=10, count=True))
    return [Section("决算数", ["决算数"], rows)]


def complete(doc, catalog):
    """The ten tables of a disclosure, with every derived row and line."""
    tables = doc.get("tables") or {}
    names = catalog["names"]
    t = {}
    for number in ("02", "03", "05", "07", "08"):
        t[number] = classified(number, tables.get(number), names)
    t["06"] = classified("06", tables.get("06"), catalog["economic"])
    t["01"] = table01(tables.get("01"), catalog["classes"], t["03"])
    t["04"] = table04(tables.get("04"), catalog["classes"], t["05"], t["07"], t["08"])
    form = int(doc.get("form", 2022))
    t["09"] = table09(tables.get("09"), form)
    t["10"] = table10(tables.get("10"), form)
    return t


# ---- data references in 情况说明 ------------------------------------------------------------

def locate(tables, path):
    parts = path.split(".")
    number = parts[0].zfill(2)
    row_name, column = parts[1], parts[2] if len(parts) > 2 else None
    for section in tables[number]:
        row = section.find(row_name)
        if row is None:
            continue
        if column is None:
            if len(section.columns) == 1:
                return row, 0
            continue
        if column in section.columns:
            return row, section.columns.index(column)
    return None, None


def figure(tables, path):
    row, c = locate(tables, path)
    if row is None:
        raise KeyError(path)
    v = row.cells[c]
    return (None if v == "NA" else v), row.count


def expand(markdown, tables, previous):
    out = []
    i = 0
    while True:
        j = markdown.find("{{", i)
        if j < 0:
            out.append(markdown[i:])
            return "".join(out)
        k = markdown.find("}}", j)
        out.append(markdown[i:j])
        out.append(evaluate(markdown[j + 2:k].strip(), tables, previous))
        i = k + 2


def evaluate(expression, tables, previous):
    parts = [p.strip() for p in expression.split("|", 1)]
    value, count = figure(tables, parts[0])
    if len(parts) == 1:
        return text(value, count)
    words = parts[1].split()
    op = words[0]
    value = value if value is not None else Decimal("0.00")
    if op in ("占比", "执行率", "完成率", "share"):
        whole, _ = figure(tables, words[1])
        return format(percent(value, whole), "f") + "%"
    last = Decimal("0.00")
    if previous is not None:
        row, c = locate(previous, parts[0])
        if row is not None and row.cells[c] not in (None, "NA"):
            last = row.cells[c]
    delta = value - last
    if op in ("上年", "prev"):
        return text(last, count)
    if op in ("增减额", "diff"):
        return text(abs(delta), count)
    if op in ("增减", "change"):
        return "持平" if delta == 0 else "减少" if delta < 0 else "增加"
    if op in ("增长", "trend"):
        return "持平" if delta == 0 else "下降" if delta < 0 else "增长"
    if op in ("增长率", "pct"):
        if last == 0:
            return ("0.00" if delta == 0 else "100.00") + "%"
        return format(percent(abs(delta), abs(last)), "f") + "%"
    raise ValueError(expression)


# ---- the Hugo site ---------------------------------------------------------------------------

def table_view(number, form, sections):
    title = TITLES[number]
    if number == "06" and form >= 2023:
        title = "一般公共预算财政拨款基本支出决算明细表"
    if number == "10" and form >= 2023:
        title = "部门决算公开相关信息统计表"
    empty = not any(c not in (None, "NA") for s in sections for r in s.rows for c in r.cells)
    return {
        "no": number, "title": title, "empty": empty,
        "unit": "单位：台、辆、套" if number == "10" and form < 2023 else "金额单位：万元",
        "sections": [{"caption": s.id, "codes": s.codes, "columns": s.columns,
                      "numbers": [str(i + 1) for i in range(len(s.columns))],
                      "rows": [r.view() for r in s.rows]} for s in sections],
    }


def chart(tables):
    bars = []
    for row in tables["03"][0].rows:
        if row.level == 1 and row.cells[0] is not None:
            bars.append({"label": row.label, "value": float(row.cells[0]), "text": text(row.cells[0])})
    return bars


CONFIG = """baseURL = "{base}"
languageCode = "zh-cn"
title = "{title}"
hasCJKLanguage = true
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]
[markup.goldmark.renderer]
unsafe = false
"""

BASEOF = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} - {{ .Site.Title }}</title><link rel="stylesheet" href="/style.css"></head>
<body><header><a href="/">{{ .Site.Title }}</a></header><main>{{ block "main" . }}{{ end }}</main>
<footer>本套报表金额单位转换时可能存在尾数误差。</footer></body></html>
"""

HOME = """{{ define "main" }}<h1>{{ .Site.Title }}</h1>
<table><caption>部门（单位）</caption><thead><tr><th scope="col">单位编码</th><th scope="col">单位名称</th><th scope="col">地区</th><th scope="col">年度</th></tr></thead><tbody>
{{ range .Sections.ByWeight }}<tr><td>{{ .Params.code }}</td><th scope="row"><a href="{{ .RelPermalink }}">{{ .Title }}</a></th><td>{{ .Params.region }}</td><td>{{ range .Pages.ByTitle }}<a href="{{ .RelPermalink }}">{{ .Params.year }}</a> {{ end }}</td></tr>
{{ end }}</tbody></table>{{ end }}
"""

LIST = """{{ define "main" }}<h1>{{ .Title }}</h1>
<p>单位性质：{{ .Params.kind }}{{ with .Params.parent }}；主管部门：<a href="/{{ . }}/">{{ . }}</a>{{ end }}</p>
<h2>主要职责</h2><ol>{{ range .Params.duties }}<li>{{ . }}</li>{{ end }}</ol>
<h2>历年决算</h2><ul>{{ range .Pages.ByTitle }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
"""

SINGLE = """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<nav><a href="{{ .Parent.RelPermalink }}">{{ .Params.dept }}</a></nav>
<section><h2>第一部分 概况</h2><h3>一、主要职责</h3><ol>{{ range .Params.duties }}<li>{{ . }}</li>{{ end }}</ol>
<h3>二、机构设置</h3><p>内设机构：{{ delimit .Params.institutions "、" }}</p>
<table><caption>人员情况</caption><tbody>{{ range .Params.staff }}<tr><th scope="row">{{ index . 0 }}</th><td class="num">{{ index . 1 }}</td></tr>{{ end }}</tbody></table></section>
<section><h2>第二部分 决算表</h2>
{{ $chart := .Params.chart }}{{ $max := 0.0 }}{{ range $chart }}{{ if gt .value $max }}{{ $max = .value }}{{ end }}{{ end }}
<figure><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 {{ add 20 (mul 24 (len $chart)) }}" role="img" aria-labelledby="c-{{ .Params.year }}"><title id="c-{{ .Params.year }}">支出按功能分类（万元）</title>
{{ range $i, $b := $chart }}{{ $w := 0.0 }}{{ if gt $max 0.0 }}{{ $w = div (mul $b.value 380.0) $max }}{{ end }}<g><text x="0" y="{{ add 16 (mul $i 24) }}">{{ $b.label }}</text><rect x="180" y="{{ add 4 (mul $i 24) }}" width="{{ printf "%.2f" $w }}" height="16"><title>{{ $b.label }} {{ $b.text }}万元</title></rect><text x="{{ printf "%.2f" (add 186.0 $w) }}" y="{{ add 16 (mul $i 24) }}">{{ $b.text }}</text></g>
{{ end }}</svg><figcaption>支出按功能分类</figcaption></figure>
{{ $dept := .Params.dept }}{{ $year := .Params.year }}
{{ range .Params.tables }}<section class="table" id="t{{ .no }}"><h3>公开{{ .no }}表 {{ .title }}</h3>
<p class="meta">编制单位：{{ $dept }}　{{ $year }}年度　{{ .unit }}</p>
{{ if .empty }}<p>本表无数据。</p>{{ else }}{{ range .sections }}<table><caption>{{ .caption }}</caption>
<thead><tr>{{ if .codes }}<th scope="col">科目编码</th>{{ end }}<th scope="col">项目</th>{{ if not .codes }}<th scope="col">行次</th>{{ end }}{{ range .columns }}<th scope="col">{{ . }}</th>{{ end }}</tr>
<tr><th scope="col" colspan="{{ if .codes }}2{{ else }}2{{ end }}">栏次</th>{{ range .numbers }}<th scope="col">{{ . }}</th>{{ end }}</tr></thead>
<tbody>{{ $codes := .codes }}{{ range .rows }}<tr class="l{{ .level }}">{{ if $codes }}<td>{{ .code }}</td>{{ end }}<th scope="row">{{ .label }}</th>{{ if not $codes }}<td>{{ .line }}</td>{{ end }}{{ range .cells }}<td class="num">{{ . }}</td>{{ end }}</tr>
{{ end }}</tbody></table>{{ end }}{{ end }}</section>
{{ end }}</section>
<section><h2>第三部分 情况说明</h2>{{ .Content }}</section>
<section><h2>第五部分 附件</h2>{{ range .Params.performance }}<h3>{{ .title }}项目支出绩效自评表</h3>
{{ range .tables }}<table><thead><tr>{{ range .columns }}<th scope="col">{{ . }}</th>{{ end }}</tr></thead><tbody>{{ range .rows }}<tr>{{ range . }}<td>{{ . }}</td>{{ end }}</tr>{{ end }}</tbody></table>{{ end }}
<p>总分：{{ .score }}</p>{{ end }}</section></article>{{ end }}
"""

STYLE = """body{font-family:sans-serif;max-width:72rem;margin:auto}table{border-collapse:collapse;margin:1em 0}
td,th{border:1px solid #999;padding:2px 6px}.num{text-align:right}.l0{font-weight:bold}rect{fill:#36c}
"""


def performance_view(path):
    if not os.path.exists(path):
        return []
    out = []
    for item in load(path) or []:
        tables = []
        for part in ("funds", "indicators"):
            t = item.get(part)
            if t:
                tables.append({"columns": t["columns"], "rows": [["" if c in ("~", None) else c for c in r] for r in t["rows"]]})
        out.append({"title": item.get("title", ""), "tables": tables, "score": (item.get("total") or {}).get("得分", "")})
    return out


def main(content, site):
    if os.path.exists(site):
        shutil.rmtree(site)
    for d in ("content", "layouts/_default", "static"):
        os.makedirs(os.path.join(site, d), exist_ok=True)
    config = load(os.path.join(content, "site.yaml"))
    with open(os.path.join(site, "config.toml"), "w", encoding="utf-8") as f:
        f.write(CONFIG.format(base=config.get("base_url", "/"), title=config.get("title", "部门决算公开")))
    for name, body in (("layouts/_default/baseof.html", BASEOF), ("layouts/index.html", HOME),
                       ("layouts/_default/list.html", LIST), ("layouts/_default/single.html", SINGLE),
                       ("static/style.css", STYLE)):
        with open(os.path.join(site, name), "w", encoding="utf-8") as f:
            f.write(body)

    catalogs = {}
    for year in sorted(os.listdir(os.path.join(content, "catalogs"))):
        functional = load(os.path.join(content, "catalogs", year, "functional.yaml"))
        economic = load(os.path.join(content, "catalogs", year, "economic.yaml"))
        catalogs[int(year)] = {"names": functional, "economic": economic,
                               "classes": [(k, v) for k, v in functional.items() if len(k) == 3]}

    departments = sorted(os.listdir(os.path.join(content, "departments")))
    pages = 0
    for weight, slug in enumerate(departments, 1):
        folder = os.path.join(content, "departments", slug)
        dept = load(os.path.join(folder, "department.yaml"))
        out = os.path.join(site, "content", slug)
        os.makedirs(out, exist_ok=True)
        section = {"title": dept["name"], "weight": weight, "code": dept.get("code", ""), "kind": dept.get("kind", ""),
                   "region": dept.get("region", config.get("region", "")), "parent": dept.get("parent"),
                   "duties": dept.get("duties", [])}
        with open(os.path.join(out, "_index.md"), "w", encoding="utf-8") as f:
            json.dump(section, f, ensure_ascii=False)
            f.write("\n")
        previous = None
        for year in sorted(y for y in os.listdir(folder) if y.isdigit()):
            doc = load(os.path.join(folder, year, "disclosure.yaml"))
            form = int(doc.get("form", 2022))
            tables = complete(doc, catalogs[int(year)])
            explanation_path = os.path.join(folder, year, "explanation.md")
            body = ""
            if os.path.exists(explanation_path):
                with open(explanation_path, encoding="utf-8") as f:
                    body = expand(f.read(), tables, previous)
            overview = doc.get("overview") or {}
            front = {
                "title": "%s%s年度部门决算" % (dept["name"], year), "year": int(year), "dept": dept["name"],
                "url": "/%s/%s/" % (slug, year), "duties": dept.get("duties", []),
                "institutions": overview.get("institutions", []),
                "staff": [[k, v] for k, v in (overview.get("staff") or {}).items()],
                "chart": chart(tables),
                "tables": [table_view(n, form, tables[n]) for n in sorted(tables)],
                "performance": performance_view(os.path.join(folder, year, "performance.yaml")),
            }
            with open(os.path.join(out, year + ".md"), "w", encoding="utf-8") as f:
                json.dump(front, f, ensure_ascii=False)
                f.write("\n\n")
                f.write(body)
            previous = tables
            pages += 1
    print("hugo site: %d disclosure pages, %d department pages → %s" % (pages, len(departments), site))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: make_hugo_site.py CONTENT_DIR HUGO_SITE_DIR")
    main(sys.argv[1], sys.argv[2])
