#!/usr/bin/env python3
"""Writes the data files of corpus/<case>/site/content/ from corpus/<case>/printed.yaml.

    python3 corpus/make_site.py <case> [<case> ...]

What it writes (and overwrites): catalogs/<year>/functional.yaml and economic.yaml (the codes and
names the document prints), departments/<slug>/<year>/disclosure.yaml (every entered cell as
printed, thousands separators removed, blank as ~). site.yaml, department.yaml, forms/ and
explanation.md are written by hand and left alone. A case not in CASES (its source shows no
whole table) gets its whole site from make_outline_site.py; without arguments every case is
written (ref-000 aside: the example site's donghu-sme/2022). CASES below says, per case, the slug, the form,
and which printed table is which 公开 table. Only the two layouts of the corpus are known: the
Shanghai 2025 district documents and the one-table Anhui 三公 disclosure; a new layout needs a few
lines here (or the files written by hand).
"""
import os
import re
import sys

import yaml

ROOT = os.path.dirname(os.path.abspath(__file__))

SHANGHAI_ORDER = ["01", "02", "03", "04", "05", "06", "09", "07", "08"]
CASES = {
    "shanghai-putuo-yichuanlu-2025": {"slug": "yichuanlu", "form": "shanghai-2025-yichuanlu", "order": SHANGHAI_ORDER},
    "shanghai-putuo-shiquanlu-2025": {"slug": "shiquanlu", "form": "shanghai-2025-shiquanlu", "order": SHANGHAI_ORDER},
    "shanghai-putuo-wenlvju-2025": {"slug": "wenlvju", "form": "shanghai-2025-wenlvju", "order": SHANGHAI_ORDER},
    "shanghai-putuo-shengtaihuanjingju-2025": {"slug": "shengtaihuanjingju", "form": "shanghai-2025-shengtaihuanjingju", "order": SHANGHAI_ORDER},
    "anhui-shouxian-wenwubaohu-2023": {"slug": "wenwubaohu", "form": "anhui-shouxian-2023", "order": ["09"]},
}

NUMERAL = re.compile(r"^[一二三四五六七八九十]+、")
AMOUNT = re.compile(r"^-?[0-9,]+(\.[0-9]+)?$")
DASHES = {"——", "—", "--", "-"}


def amount(cell):
    """A printed cell as an entered amount: separators removed, blank as ~."""
    cell = cell.strip()
    if cell == "":
        return "~"
    if cell in DASHES:
        return "——"
    if AMOUNT.match(cell):
        return cell.replace(",", "")
    return "~"   # sub-headers printed on a body row (合计 | 基本支出 | 项目支出) are not amounts


def q(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def key_of(label):
    return NUMERAL.sub("", label.strip())


# every name a code is printed with (a print may clip a name by its column width in one table):
# the catalogue takes the one printed most often
names_seen = {}


def classified_rows(table, amounts, catalog):
    """[code, amounts…] rows of 02/03/05/07/08, the 合计 row as 合计; names into the catalogue."""
    rows = []
    for r in table["rows"]:
        code, name = r[0].strip(), r[1].strip()
        if code == "合计" or name == "合计":
            code = "合计"
        else:
            names_seen.setdefault(code, []).append(name)
            catalog[code] = max(set(names_seen[code]), key=lambda n: (names_seen[code].count(n), len(n)))
        cells = [amount(c) for c in r[2:2 + amounts]]
        # A 合计 row printing the sub-headers (合计 | 基本支出 | 项目支出) where its figures belong is left
        # out: typed, its ~ would say "printed blank"; left out, sitegen derives it from the rows.
        if code == "合计" and any(c.strip() and amount(c) == "~" for c in r[2:2 + amounts]):
            continue
        rows.append([code] + cells)
    return rows


VEHICLES = ["副部（省）级及以上领导用车", "主要负责人用车", "机要通信用车", "应急保障用车", "执法执勤用车",
            "特种专业技术用车", "离退休干部服务用车", "其他用车"]


def statistics10(doc):
    """Lines of the 2023 form's 10 from the figures of 情况说明 十一, as [(key, value)]."""
    def section(prefix):
        return next((p for p in doc.get("prose", []) if p["section"].startswith(prefix)), None)

    def number(figure):
        return re.sub(r"[^0-9.]", "", figure)

    lines = []
    running = section("（一）机关运行经费支出情况")
    if running:
        lines.append(("机关运行经费（行政单位）", number(running["figures"][0])))
    buying = section("（二）政府采购支出情况")
    if buying and len(buying["figures"]) >= 4:
        lines += [("政府采购支出合计", number(buying["figures"][0])), ("政府采购货物支出", number(buying["figures"][1])),
                  ("政府采购工程支出", number(buying["figures"][2])), ("政府采购服务支出", number(buying["figures"][3]))]
    assets = section("（三）国有资产占有使用情况说明")
    if assets:
        text = assets["text"]
        total = re.search(r"共有车辆\s*(\d+)\s*辆", text)
        found = dict(re.findall(r"([\u4e00-\u9fa5（）]+?用车)\s*(\d+)\s*辆", text))
        if total:
            lines.append(("车辆数合计", total.group(1)))
        for v in VEHICLES:
            lines.append((v, found.get(v, "~")))
        equipment = re.search(r"设备（不含车辆）有\s*(\d+)\s*台", text)
        if equipment:
            lines.append(("单价100万元（含）以上设备（不含车辆）", equipment.group(1)))
    return lines


def main(case):
    spec = CASES[case]
    names_seen.clear()
    doc = yaml.safe_load(open(os.path.join(ROOT, case, "printed.yaml"), encoding="utf-8"))
    year = doc["year"]
    tables = dict(zip(spec["order"], doc["tables"]))
    content = os.path.join(ROOT, case, "site", "content")
    functional, economic = {}, {}
    classes = []   # (code, name) of the 类 in 01's order
    out = [f"# {doc['unit']} {year}年度 — 表格数字照录公开文本（corpus/{case}/printed.yaml）",
           f"year: {year}", f"form: {spec['form']}", "tables:"]

    def line(indent, key, value):
        out.append(" " * indent + f"{q(key)}: {value}")

    if "01" in tables or "04" in tables:
        # the 类 of the year: 01's (or 04's) right-hand labels, named by the codes of 02/03/05
        pass

    code_tables = [t for k, t in tables.items() if k in ("02", "03", "05", "07", "08")]
    for t in code_tables:
        for r in t["rows"]:
            if len(r[0].strip()) == 3 and r[0].strip().isdigit():
                functional.setdefault(r[0].strip(), r[1].strip())

    if "01" in tables:
        known = {v: k for k, v in functional.items()}
        t = tables["01"]
        right = [key_of(r[2]) for r in t["rows"] if r[2].strip() and r[2].strip() not in ("本年支出合计", "结余分配", "年末结转和结余", "总计")]
        national = {"一般公共服务支出": "201", "外交支出": "202", "国防支出": "203", "公共安全支出": "204", "教育支出": "205",
                    "科学技术支出": "206", "文化旅游体育与传媒支出": "207", "社会保障和就业支出": "208", "卫生健康支出": "210",
                    "节能环保支出": "211", "城乡社区支出": "212", "农林水支出": "213", "交通运输支出": "214",
                    "资源勘探工业信息等支出": "215", "商业服务业等支出": "216", "金融支出": "217", "援助其他地区支出": "219",
                    "自然资源海洋气象等支出": "220", "住房保障支出": "221", "粮油物资储备支出": "222",
                    "国有资本经营预算支出": "223", "灾害防治及应急管理支出": "224", "其他支出": "229",
                    "债务还本支出": "231", "债务付息支出": "232", "债务发行费用支出": "233", "抗疫特别国债安排的支出": "234"}
        for name in right:
            code = known.get(name) or national[name]
            classes.append((code, name))
        # 01
        out.append('  "01":')
        out.append("    收入:")
        for r in t["rows"]:
            if r[0].strip():
                line(6, key_of(r[0]), amount(r[1]))
        out.append("    支出:")
        by_name = dict((n, c) for c, n in classes)
        for r in t["rows"]:
            if r[2].strip():
                k = key_of(r[2])
                line(6, by_name.get(k, k), amount(r[3]))
    if "04" in tables:
        t = tables["04"]
        out.append('  "04":')
        out.append("    收入:")
        opening = False
        for r in t["rows"]:
            label = r[0].strip()
            if not label:
                continue
            k = key_of(label)
            if k == "年初财政拨款结转和结余":
                opening = True
            elif opening and k in ("一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"):
                k = "年初" + k
            line(6, k, amount(r[1]))
        out.append("    支出:")
        by_name = dict((n, c) for c, n in classes)
        for r in t["rows"]:
            if r[2].strip():
                k = key_of(r[2])
                line(6, by_name.get(k, k), "[" + ", ".join(amount(c) for c in r[3:7]) + "]")
    for kind, n in (("02", 7), ("03", 6), ("05", 3), ("07", 6), ("08", 6)):
        if kind not in tables:
            continue
        rows = classified_rows(tables[kind], n, functional)
        out.append(f'  "{kind}":')
        if kind == "08":
            out.append("    layout: extended")
        if all(all(c == "~" for c in r[1:]) for r in rows) and all(r[0] == "合计" for r in rows):
            out.append("    rows: []   # printed empty: only the 合计 line with its sub-headers")
            continue
        out.append("    rows:")
        for r in rows:
            out.append("      - [" + ", ".join([q(r[0])] + r[1:]) + "]")
    if "06" in tables:
        t = tables["06"]
        width = len(t["header"][-1])
        split = width == 8   # 类 | 款 | 科目名称 | 决算数, twice
        half = width // 2
        out.append('  "06":')
        out.append("    rows:")
        for side in (0, 1):   # the left block (人员经费) first, then the right one (公用经费)
            for r in t["rows"]:
                block = r[:half] if side == 0 else r[half:]
                if split:
                    code = (block[0] + block[1]).strip()
                    name, value = block[2].strip(), block[3]
                else:
                    code, name, value = block[0].strip(), block[1].strip(), block[2]
                if not code.isdigit():
                    continue   # 人员经费合计 / 公用经费合计 are derived
                economic.setdefault(code, name)
                out.append(f"      - [{q(code)}, {amount(value)}]")
    if "09" in tables:   # the 2023 form's 09: [预算数, 决算数] per item
        t = tables["09"]
        out.append('  "09":')
        out.append("    经费:   # [预算数, 决算数]")
        if len(t["rows"]) == 1:   # the Shanghai one-line table: 预算数, 决算数 item by item
            r = t["rows"][0]
            items = ["合计", "因公出国（境）费", "公务用车购置及运行维护费", "公务用车购置费", "公务用车运行维护费", "公务接待费"]
            for i, k in enumerate(items):
                line(6, k, f"[{amount(r[2 * i])}, {amount(r[2 * i + 1])}]")
        else:   # 项目 | 预算数 | 决算数, line by line
            names = {"合计": "合计", "因公出国(境)费": "因公出国（境）费", "公务接待费": "公务接待费",
                     "公务用车购置及运行维护费": "公务用车购置及运行维护费", "其中:公务用车运行维护费": "公务用车运行维护费",
                     "公务用车购置费": "公务用车购置费"}
            for r in t["rows"]:
                k = names[r[0].replace(" ", "")]
                line(6, k, f"[{amount(r[1])}, {amount(r[2])}]")

    # 10 is not printed as a table by the Shanghai 2025 documents, but 情况说明 十一 gives its
    # figures (机关运行经费, 政府采购, 车辆, 设备): entered here, not printed (the form's order
    # leaves 10 out), so that 情况说明 can refer to them and the checker compares them.
    ten = statistics10(doc)
    if ten:
        out.append('  "10":   # not printed as a table: the figures of 情况说明 十一（其他重要事项说明）')
        out.append("    统计数:")
        for k, v in ten:
            line(6, k, v)

    slug = spec["slug"]
    ddir = os.path.join(content, "departments", slug, str(year))
    os.makedirs(ddir, exist_ok=True)
    with open(os.path.join(ddir, "disclosure.yaml"), "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    if classes or functional:
        cdir = os.path.join(content, "catalogs", str(year))
        os.makedirs(cdir, exist_ok=True)
        with open(os.path.join(cdir, "functional.yaml"), "w", encoding="utf-8") as f:
            f.write(f"# 支出功能分类科目 {year}：{doc['unit']}决算表印出的科目（类按公开01表的行序）\n")
            done = set()
            for code, name in classes:
                f.write(f"{q(code)}: {q(name)}\n")
                done.add(code)
                for c in sorted(k for k in functional if k.startswith(code) and len(k) > 3):
                    f.write(f"{q(c)}: {q(functional[c])}\n")
                    done.add(c)
            for c in sorted(functional):
                if c not in done:
                    f.write(f"{q(c)}: {q(functional[c])}\n")
        with open(os.path.join(cdir, "economic.yaml"), "w", encoding="utf-8") as f:
            f.write(f"# 部门支出经济分类科目 {year}：{doc['unit']}决算表印出的科目\n")
            for c in sorted(economic):
                f.write(f"{q(c)}: {q(economic[c])}\n")
    print(f"{case}: {len(out)} lines, {len(functional)} functional, {len(economic)} economic codes")


def all_cases():
    """The cases with whole tables (CASES), then every other case, whose site make_outline_site.py writes."""
    others = sorted(c for c in os.listdir(ROOT) if os.path.isfile(os.path.join(ROOT, c, "printed.yaml")) and c not in CASES)
    return list(CASES) + others


def slug_of(case):
    """A case's department slug: its id without the place and the year (the last two words of the rest)."""
    words = case.split("-")[1:-1] if case[-4:].isdigit() else case.split("-")
    return "-".join(words[-2:]) if words else case


if __name__ == "__main__":
    import make_outline_site
    for c in sys.argv[1:] or all_cases():
        if c in CASES:
            main(c)
        elif c != "ref-000":   # the example site's donghu-sme/2022, checked by GoldenTests (README)
            make_outline_site.main(c, slug_of(c))
