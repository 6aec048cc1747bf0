#!/usr/bin/env python3
"""Writes explanation.md (第三部分 情况说明) for the Shanghai 2025 corpus cases.

    python3 corpus/make_explanation.py [<case> ...]

The structure is the documents' (一 … 十一); the wording is ours. Every figure a table holds is a
data reference ({{05.合计.本年支出合计}}, shares with 占比); figures the tables do not hold (budgets,
year-on-year changes, counts, 政府采购) are the document's, as printed.yaml records them, so a
slip in them stays visible to the checker.
"""
import os
import re
import sys

import yaml

ROOT = os.path.dirname(os.path.abspath(__file__))
CASES = {
    "shanghai-putuo-yichuanlu-2025": "yichuanlu",
    "shanghai-putuo-shiquanlu-2025": "shiquanlu",
    "shanghai-putuo-wenlvju-2025": "wenlvju",
    "shanghai-putuo-shengtaihuanjingju-2025": "shengtaihuanjingju",
}


def clean(s):
    return re.sub(r"\s+", "", s)


def main(case):
    slug = CASES[case]
    doc = yaml.safe_load(open(os.path.join(ROOT, case, "printed.yaml"), encoding="utf-8"))
    year, unit = doc["year"], doc["unit"]
    t05 = doc["tables"][4]
    t07 = doc["tables"][7]
    prose = doc["prose"]

    def figures(prefix, n=0):
        found = [p for p in prose if p["section"].startswith(prefix)]
        return [clean(f) for f in found[n]["figures"]] if len(found) > n else None

    def change(prefix, n=0, first=1):
        f = figures(prefix, n)
        if not f or len(f) < first + 2:
            return None
        return f"{f[first]}，{f[first + 1]}"

    out = [f"<!-- {unit} {year}年度部门决算情况说明：结构和数字取自原文（corpus/{case}/printed.yaml），文字为本项目所写。"
           "表内数字用数据引用；十一的数字录在公开10表（不印表）；表外数字（预算、同比）照录原文。 -->", ""]
    a = out.append

    a("## 一、收入支出决算总体情况说明")
    a("")
    c = change("一、收入支出决算总体情况说明")
    a(f"{year}年度收入、支出总计均为{{{{01.收入总计}}}}万元" + (f"，与2024年度相比{c}。" if c else "。"))
    a("")
    a("## 二、收入决算情况说明")
    a("")
    a("本年收入合计{{02.合计.本年收入合计}}万元，全部来自财政拨款收入{{02.合计.财政拨款收入}}万元，"
      "占{{02.合计.财政拨款收入 | 占比 02.合计.本年收入合计}}。")
    a("")
    a("## 三、支出决算情况说明")
    a("")
    a("本年支出合计{{03.合计.本年支出合计}}万元。其中：基本支出{{03.合计.基本支出}}万元，"
      "占{{03.合计.基本支出 | 占比 03.合计.本年支出合计}}；项目支出{{03.合计.项目支出}}万元，"
      "占{{03.合计.项目支出 | 占比 03.合计.本年支出合计}}。")
    a("")
    a("## 四、财政拨款收入支出决算总体情况说明")
    a("")
    c = change("四、财政拨款收入支出决算总体情况说明")
    a("财政拨款收入、支出总计均为{{04.收入总计}}万元" + (f"，与2024年度相比{c}。" if c else "。"))
    a("")
    a("## 五、一般公共预算财政拨款支出决算情况说明")
    a("")
    a("### （一）一般公共预算财政拨款支出决算总体情况")
    a("")
    c = change("（一）一般公共预算财政拨款支出决算总体情况", first=2)
    a("一般公共预算财政拨款支出{{05.合计.本年支出合计}}万元，占本年支出合计的"
      "{{05.合计.本年支出合计 | 占比 03.合计.本年支出合计}}" + (f"；与2024年度相比{c}。" if c else "。"))
    a("")
    a("### （二）一般公共预算财政拨款支出决算结构情况")
    a("")
    parts = []
    for r in t05["rows"]:
        code = r[0].strip()
        if len(code) == 3 and code.isdigit():
            parts.append(f"{r[1]}（类）{{{{05.{code}.本年支出合计}}}}万元，占{{{{05.{code}.本年支出合计 | 占比 05.合计.本年支出合计}}}}")
    a("按功能分类，一般公共预算财政拨款支出主要用于：" + "；".join(parts) + "。")
    a("")
    a("### （三）一般公共预算财政拨款支出决算具体情况")
    a("")
    f = figures("（三）一般公共预算财政拨款支出决算具体情况")
    if f:
        a(f"年初预算为{f[0]}，决算{{{{05.合计.本年支出合计}}}}万元，完成年初预算的{f[2]}。")
        a("")
    names = {r[0].strip(): r[1].strip() for r in t05["rows"]}
    items = []
    for p in prose:
        if not p["section"].startswith("（三）一般公共预算财政拨款支出决算具体情况"):
            continue
        m = re.search(r"（款）(.+?)（项）", p["text"])
        k = re.search(r"（类）(.+?)（款）", p["text"])
        if not m or len(p["figures"]) < 3:
            continue
        code = next((c for c, n in names.items() if len(c) == 7 and n == m.group(1)
                     and (not k or names.get(c[:5]) == k.group(1))), None)
        if code:
            items.append(f"- {names[code[:5]] if code[:5] in names else ''}（款）{names[code]}（项）：年初预算{clean(p['figures'][1])}，"
                         f"决算{{{{05.{code}.本年支出合计}}}}万元。")
    out.extend(items)
    if items:
        a("")
    a("## 六、一般公共预算财政拨款基本支出决算情况说明")
    a("")
    a("一般公共预算财政拨款基本支出{{05.合计.基本支出}}万元，其中人员经费{{06.人员经费合计}}万元（工资福利支出和对个人和家庭的补助），"
      "公用经费{{06.公用经费合计}}万元（商品和服务支出和资本性支出）。")
    a("")
    a("## 七、财政拨款“三公”经费支出决算情况说明")
    a("")
    a("“三公”经费财政拨款年初预算{{09.合计.预算数}}万元，决算{{09.合计.决算数}}万元。"
      "其中：因公出国（境）费{{09.因公出国（境）费.决算数}}万元；公务用车购置及运行维护费{{09.公务用车购置及运行维护费.决算数}}万元"
      "（购置{{09.公务用车购置费.决算数}}万元，运行维护{{09.公务用车运行维护费.决算数}}万元）；公务接待费{{09.公务接待费.决算数}}万元。")
    f = figures("（一）“三公”经费财政拨款支出决算总体情况说明", 1)
    if f:
        a("")
        a(f"与2024年度相比，“三公”经费决算{f[0]}，{f[1]}。")
    f = figures("（二）“三公”经费财政拨款支出决算具体情况说明")
    cars = [x for x in (f or []) if x.endswith("辆")]
    if cars:
        a("")
        a(f"年末由财政拨款开支的公务用车保有量{cars[-1]}。")
    a("")
    a("## 八、政府性基金预算财政拨款收入支出决算情况说明")
    a("")
    if len(t07["rows"]) > 1:
        a("本年政府性基金预算财政拨款收入{{07.合计.本年收入}}万元，支出{{07.合计.本年支出合计}}万元。")
    else:
        a("本年度没有政府性基金预算财政拨款收入和支出。")
    a("")
    a("## 九、国有资本经营预算财政拨款收入支出决算情况说明")
    a("")
    a("本年度没有国有资本经营预算财政拨款收入和支出。")
    a("")
    a("## 十、预算绩效管理情况")
    a("")
    f = figures("十、预算绩效管理情况")
    if f:
        a(f"编报绩效目标的项目{f[0]}（预算{f[1]}），开展绩效跟踪评价的项目{f[2]}（预算{f[3]}），开展绩效自评的项目{f[4]}"
          f"（预算{f[5]}），自评平均得分{f[6]}，评为“优”的项目{f[7]}。")
        a("")
    a("## 十一、其他重要事项说明")
    a("")
    # 十一's figures are entered as table 10 (not printed as a table; corpus/make_site.py)
    f = figures("（一）机关运行经费支出情况")
    if f:
        a(f"（一）机关运行经费为{{{{10.机关运行经费合计}}}}万元，与2024年度相比{f[1]}，{f[2]}。")
        a("")
    f = figures("（二）政府采购支出情况")
    if f:
        a("（二）政府采购：按合同签订计共{{10.政府采购支出合计}}万元，货物、工程、服务分别为{{10.政府采购货物支出}}万元、"
          "{{10.政府采购工程支出}}万元、{{10.政府采购服务支出}}万元。")
        a("")
    f = figures("（三）国有资产占有使用情况说明")
    if f:
        a("（三）国有资产：年末共有车辆{{10.车辆数合计}}辆；单价100万元（含）以上的设备（不含车辆）"
          "{{10.单价100万元（含）以上设备（不含车辆）}}台（套）。")
        a("")
    path = os.path.join(ROOT, case, "site", "content", "departments", slug, str(year), "explanation.md")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(out).rstrip() + "\n")
    print(path)


if __name__ == "__main__":
    for c in sys.argv[1:] or CASES:
        main(c)
