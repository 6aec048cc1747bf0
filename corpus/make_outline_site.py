#!/usr/bin/env python3
"""Writes the whole site of a corpus case whose source shows no whole table (make_site.py calls it).

Most cases found among stored pages hold a document's opening only: its 目录 (`parts`), 概况 and
the first sections of 情况说明 (`prose`). Their site holds what the source shows and nothing else:

* forms/<id>.yaml: the document's parts (titles and order, as the 目录 prints them) and the tables
  its 目录 lists, each with the number and title printed there, in its order;
* departments/<slug>/<year>/disclosure.yaml: no table (none is transcribed), and `elsewhere:` —
  the page lists the tables by number and title and says where they are published
  (docs/content.md#tables-published-elsewhere), never printing invented figures;
* explanation.md: the 目录's sub-headings of 情况说明 in order, under each the `prose[].text`
  of printed.yaml (our wording, the document's figures); a heading the source does not show the
  text of says so;
* other-<n>.md: a part of no national kind (云南 第四部分 其他重要事项…), `part: other` in the
  form, with its 目录 headings in order;
* the 概况's prose as the overview note; site.yaml, department.yaml and empty catalogues.

Everything is regenerated from printed.yaml; nothing is written by hand.
"""
import os
import re

import yaml

ROOT = os.path.dirname(os.path.abspath(__file__))
DISCLOSURES = ("部门决算", "单位决算", "部门决算（汇总）")
TOP = re.compile(r"^第[一二三四五六七八九十]+部分")
NUMBERED = re.compile(r"^[一二三四五六七八九十]+、")
TABLE_ENTRY = re.compile(r"^(表[一二三四五六七八九十]+|[一二三四五六七八九十]+、)\s*[:：]?\s*(.+)$")


def q(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def part_kind(title, used):
    """overview | tables | explanation | glossary | attachments, or None (a part the product has no
    kind for, or a second part of a kind)."""
    rules = [("glossary", ("名词解释",)), ("attachments", ("附件",)), ("explanation", ("情况说明",)),
             ("tables", ("决算表", "报表", "附表")), ("overview", ("概况", "基本情况"))]
    for kind, words in rules:
        if any(w in title for w in words):
            return None if kind in used else kind
    return None


def table_kind(title, used):
    """The national 公开 table a 目录 entry names, by its title's words (None: no national table,
    or one already named)."""
    t = re.sub(r"[《》“”\"\s]|\(公开\d+表\)|（公开\d+表）", "", title)
    checks = [("09", lambda: "三公" in t), ("10", lambda: "国有资产" in t), ("08", lambda: "国有资本经营" in t),
              ("07", lambda: "政府性基金" in t), ("06", lambda: "基本支出" in t), (None, lambda: "项目支出" in t or "明细" in t),
              ("05", lambda: "般公共预算" in t), ("04", lambda: "政拨款收入支出" in t), ("01", lambda: "收入支出决算" in t),
              ("02", lambda: t.endswith("收入决算表")), ("03", lambda: t.endswith("出决算表"))]
    for kind, test in checks:
        if test():
            return None if kind is None or kind in used else kind
    return None


def outline(doc):
    """The top parts, each with its sub-items: [(title, [items])]. Without 第…部分 lines the
    一、-numbered lines are the parts; without those, the whole document is one part (its title)."""
    parts = doc.get("parts", [])
    tops = [p for p in parts if TOP.match(p)] or [p for p in parts if NUMBERED.match(p)]
    if not tops:
        return [(doc.get("doc_title") or f"{doc['unit']}{doc['year']}年度{doc['kind']}", parts)]
    out = []
    for p in parts:
        if p in tops:
            out.append((p, []))
        elif out:
            out[-1][1].append(p)
    return out


def elsewhere_text(doc):
    source = doc.get("source", "")
    if source.startswith("http"):
        return source
    return "原公开文本（" + (doc.get("doc_title") or f"{doc['unit']}{doc['year']}年度{doc['kind']}") + "）的附表"


def form_file(doc, parts):
    """The form: the parts the product can print, and the tables the 目录 lists."""
    lines = [f"# {doc['unit']} {doc['year']}年度{doc['kind']}：原文目录的各部分和决算表（corpus/{doc['id']}/printed.yaml）。",
             "# 原文本未收录的表不印（disclosure.yaml 的 elsewhere 说明刊载处）；标点照存档网页（全角折成半角）。",
             f"extends: \"{'2022' if doc['year'] <= 2022 else '2023'}\"", "parts:"]
    used, order, tables = set(), [], []
    others = 0
    for title, items in parts:
        kind = part_kind(title, used)
        if kind is None:
            # A part of no national kind: its own Markdown file (other_files).
            others += 1
            lines.append(f"  - {{part: other, title: {q(title)}, file: other-{others}.md}}")
            continue
        used.add(kind)
        headings = ", ".join(q(i) for i in items) if kind == "overview" and items else ""
        lines.append(f"  - {{part: {kind}, title: {q(title)}" + (f", headings: [{headings}]" if headings else "") + "}")
        if kind == "tables":
            for item in items:
                m = TABLE_ENTRY.match(item)
                k = table_kind(m.group(2) if m else item, order)
                if k:
                    order.append(k)
                    tables.append((k, m.group(1) if m else "", m.group(2) if m else item))
                else:
                    # No national 公开 table (a province's own, or a second 三公 table): listed by its
                    # number and title among the tables published elsewhere.
                    order.append({"number": m.group(1) if m else "", "title": m.group(2) if m else item})
    if "tables" not in used:
        lines.append("  - {part: tables, title: 决算表}   # the source stops before its tables: where they are published")
    entry = lambda k: q(k) if isinstance(k, str) else "{number: " + q(k["number"]) + ", title: " + q(k["title"]) + "}"
    lines.append("order: [" + ", ".join(entry(k) for k in order) + "]")
    if tables:
        lines.append("tables:")
        for k, number, title in tables:
            lines.append(f"  {q(k)}: {{number: {q(number)}, title: {q(title)}}}")
    return "\n".join(lines) + "\n", used


def markdown(text):
    """A prose text as one Markdown paragraph: characters Markdown would read as markup escaped."""
    return re.sub(r"([\\`*_\[\]<>{}#|])", r"\\\1", text.strip())


# Sub-sections of 情况说明 the 目录 does not list, under the heading they belong to (the document
# prints them there; the order of `prose` alone cannot tell when that heading has no text of its own).
PARENTS = {
    "ref-003": {"（一）一般公共预算财政拨款支出决算总体情况": "五、一般公共预算财政拨款支出决算情况说明",
                "（一）机关运行经费支出情况": "十、其他重要事项的情况说明"},
}


# 单位性质 where the source states it (ref-003's 情况说明 十（一）: “…发展局（事业单位）”).
KINDS = {"ref-003": "事业单位"}


def explanation(doc, parts):
    """explanation.md: the explanation part's sub-headings in the document's order, each followed
    by its prose."""
    overview_items, blocks, seen = set(), [], set()   # blocks: (level, heading)
    for title, items in parts:
        kind = part_kind(title, seen)
        if kind:
            seen.add(kind)
        if kind == "overview":
            overview_items.update(items)
        elif kind == "explanation":
            blocks += [(2, item) for item in items]
    headings = {h for _, h in blocks}
    out, pending, last = [], list(blocks), None   # out: (level or None for text, text)
    for p in doc.get("prose", []):
        s = p["section"]
        if s in overview_items:
            continue
        parent = PARENTS.get(doc["id"], {}).get(s)
        if parent and any(h == parent for _, h in pending):
            while pending:
                out.append(pending.pop(0))
                if out[-1][1] == parent:
                    break
        if s in headings and any(h == s for _, h in pending):
            while pending:
                out.append(pending.pop(0))
                if out[-1][1] == s:
                    break
        elif s not in headings and s != last:
            out.append((3, s))
        last = s
        out.append((None, p["text"]))
    out += pending
    lines = [f"<!-- {doc['unit']} {doc['year']}年度{doc['kind']}情况说明：结构和数字取自原文（corpus/{doc['id']}/printed.yaml），"
             "文字为本项目所写；原文本未收录的小节只列标题。 -->", ""]
    for i, (level, text) in enumerate(out):
        if level is None:
            lines += [markdown(text), ""]
            continue
        lines += ["#" * level + " " + markdown(text), ""]
        following = out[i + 1] if i + 1 < len(out) else None
        if following is None or (following[0] is not None and following[0] <= level):
            lines += ["（本节原文未收录，见原公开文本。）", ""]
    return "\n".join(lines).rstrip() + "\n", overview_items


def other_files(doc, parts):
    """The text of each part of no national kind (`part: other` in the form, `other-<n>.md`): its
    headings from the 目录, each with its prose or saying the source does not show it."""
    files, used = [], set()
    for title, items in parts:
        kind = part_kind(title, used)
        if kind:
            used.add(kind)
            continue
        lines = [f"<!-- {doc['unit']} {doc['year']}年度{doc['kind']}“{title}”：结构取自原文目录（corpus/{doc['id']}/printed.yaml）。 -->", ""]
        for item in items:
            prose = [p["text"] for p in doc.get("prose", []) if p["section"] == item]
            lines += ["## " + markdown(item), ""] + [l for t in prose for l in (markdown(t), "")]
            if not prose:
                lines += ["（本节原文未收录，见原公开文本。）", ""]
        files.append("\n".join(lines).rstrip() + "\n")
    return files


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main(case, slug):
    doc = yaml.safe_load(open(os.path.join(ROOT, case, "printed.yaml"), encoding="utf-8"))
    if doc["kind"] not in DISCLOSURES:
        print(f"{case}: a {doc['kind']}, not a disclosure: no site")
        return
    year = doc["year"]
    content = os.path.join(ROOT, case, "site", "content")
    parts = outline(doc)
    form, used = form_file(doc, parts)
    write(os.path.join(content, "forms", f"{case}.yaml"), form)
    write(os.path.join(content, "site.yaml"), "\n".join([
        f"# corpus/{case}: what the stored source shows of the document, to build and compare with printed.yaml",
        f"title: {q(doc['unit'] + ' ' + str(year) + '年度' + doc['kind'])}", f"region: {q(doc['place'])}", "language: zh-CN",
        "checks:", "  errors_stop_build: false", "  show_findings: true"]) + "\n")
    write(os.path.join(content, "departments", slug, "department.yaml"), "\n".join([
        f"name: {q(doc['unit'])}", f"kind: {KINDS.get(case, '其他')}" + ("" if case in KINDS else "   # 单位性质: not shown by the source"), f"region: {q(doc['place'])}",
        "duties: []   # 主要职能: not transcribed"]) + "\n")
    text, overview_items = explanation(doc, parts)
    note = [p["text"] for p in doc.get("prose", []) if p["section"] in overview_items]
    lines = [f"# {doc['unit']} {year}年度{doc['kind']}：原文本只收录目录和部分说明，决算表未收录（corpus/{case}/printed.yaml）",
             f"year: {year}", f"form: {case}", f"elsewhere: {q(elsewhere_text(doc))}"]
    if note:
        lines += ["overview:", "  note: " + q("\n\n".join(markdown(n) for n in note))]
    lines.append("tables: {}")
    write(os.path.join(content, "departments", slug, str(year), "disclosure.yaml"), "\n".join(lines) + "\n")
    write(os.path.join(content, "departments", slug, str(year), "explanation.md"), text)
    for n, other in enumerate(other_files(doc, parts), 1):
        write(os.path.join(content, "departments", slug, str(year), f"other-{n}.md"), other)
    if "glossary" in used:
        write(os.path.join(content, "glossary.md"), "（本部分未收录，见原公开文本。）\n")
    for name, what in (("functional", "支出功能分类科目"), ("economic", "部门支出经济分类科目")):
        write(os.path.join(content, "catalogs", str(year), f"{name}.yaml"),
              f"# {what} {year}：原文本未收录决算表，不列科目\n{{}}\n")
    print(f"{case}: site with {len(parts)} parts, {len(doc.get('prose', []))} prose items")
