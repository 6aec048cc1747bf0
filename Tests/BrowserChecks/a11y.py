#!/usr/bin/env python3
"""Static accessibility checks over built sites, and the contrast of the theme's colours.

    a11y.py [--css style.css] SITE_DIR...   check every *.html page; exit 1 on any problem
    a11y.py --self-test BROKEN_DIR           the checks must find the expected problems there

Per page (docs/quality.md, gate 3): <html lang="zh-CN">; exactly one h1 and no skipped
heading level; every <table> has a <caption> (as its first child) and every <th> a scope;
every <svg> has role="img" and a <title> (an <svg> of links, a treemap, has no role, so
that its links are exposed, and each link has an aria-label); every <img> has alt; the first focusable element
is a skip link to an element of the page. Contrast: WCAG 2 ratios of the colours named by
custom properties in style.css (text ≥ 4.5:1, the focus ring ≥ 3:1 against the background).
Only the standard library: the same functions serve the browser test and the self-test.
"""
from __future__ import annotations

import argparse
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

LANG = "zh-CN"
SCOPES = {"col", "row", "colgroup", "rowgroup"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def _focusable(tag: str, attrs: dict[str, str | None]) -> bool:
    """Reachable with Tab, in document order (positive tabindex values are not used by the theme)."""
    if "disabled" in attrs:
        return False
    tabindex = attrs.get("tabindex")
    if tabindex is not None:
        try:
            return int(tabindex) >= 0
        except ValueError:
            pass
    if tag in ("a", "area"):
        return attrs.get("href") is not None
    if tag == "input":
        return attrs.get("type", "text") != "hidden"
    return tag in ("button", "select", "textarea", "summary", "iframe")


class PageChecker(HTMLParser):
    """Collects what the checks need in one pass over the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang: str | None = None
        self.headings: list[tuple[int, int]] = []  # (level, line)
        self.problems: list[str] = []
        self.ids: set[str] = set()
        self.first_focusable: tuple[str, dict[str, str | None], int] | None = None
        self.stack: list[str] = []
        self.table_expect_caption: list[int] = []  # line of each open <table> awaiting its first child
        self.svg_depth = 0
        self.svg_open: list[dict] = []

    # -- parsing --
    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = dict(attrs_list)
        line = self.getpos()[0]
        if "id" in attrs and attrs["id"]:
            self.ids.add(attrs["id"])
        # the first child element of a <table> must be its <caption>
        if self.table_expect_caption and self.stack and self.stack[-1] == "table":
            table_line = self.table_expect_caption.pop()
            if tag != "caption":
                self.problems.append(f"line {table_line}: <table> without a <caption> (first child is <{tag}>)")
        if tag == "html":
            self.lang = attrs.get("lang")
        elif re.fullmatch(r"h[1-6]", tag) and self.svg_depth == 0:
            self.headings.append((int(tag[1]), line))
        elif tag == "table":
            self.table_expect_caption.append(line)
        elif tag == "th":
            if attrs.get("scope") not in SCOPES:
                self.problems.append(f"line {line}: <th> without scope (col|row|colgroup|rowgroup)")
        elif tag == "img":
            if attrs.get("alt") is None:
                self.problems.append(f"line {line}: <img> without alt")
        elif tag == "svg":
            if self.svg_depth == 0:
                self.svg_open.append({"line": line, "role": attrs.get("role"), "title": False, "depth": len(self.stack),
                                      "links": 0, "unnamed": 0})
            self.svg_depth += 1
        elif tag == "a" and self.svg_depth > 0 and self.svg_open:
            self.svg_open[-1]["links"] += 1
            if not attrs.get("aria-label"):
                self.svg_open[-1]["unnamed"] += 1
        elif tag == "title" and self.svg_depth > 0 and self.svg_open:
            svg = self.svg_open[-1]
            if len(self.stack) == svg["depth"] + 1:  # a direct child of the outer <svg>
                svg["title"] = True
        if self.first_focusable is None and _focusable(tag, attrs):
            self.first_focusable = (tag, attrs, line)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs_list)
        if tag not in VOID and self.stack and self.stack[-1] == tag:
            self.stack.pop()
            if tag == "svg":
                self._close_svg()

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self.table_expect_caption and self.stack and self.stack[-1] == "table":
            line = self.table_expect_caption.pop()
            self.problems.append(f"line {line}: <table> without a <caption> (empty table)")
        # pop to the matching element (HTML allows omitted end tags; the validator judges nesting)
        if tag in self.stack:
            while self.stack:
                top = self.stack.pop()
                if top == "svg":
                    self._close_svg()
                if top == tag:
                    break

    def _close_svg(self) -> None:
        self.svg_depth -= 1
        if self.svg_depth == 0 and self.svg_open:
            svg = self.svg_open.pop()
            if svg["links"]:
                if svg["role"] is not None or svg["unnamed"]:
                    self.problems.append(f"line {svg['line']}: <svg> of links with a role, or with {svg['unnamed']} links without aria-label")
            elif svg["role"] != "img":
                self.problems.append(f"line {svg['line']}: <svg> without role=\"img\"")
            if not svg["title"]:
                self.problems.append(f"line {svg['line']}: <svg> without a <title>")

    # -- the page-level checks --
    def finish(self) -> list[str]:
        problems = list(self.problems)
        if self.lang != LANG:
            problems.append(f'<html lang="{self.lang}">: expected lang="{LANG}"')
        h1 = [line for level, line in self.headings if level == 1]
        if len(h1) != 1:
            problems.append(f"{len(h1)} <h1> elements (lines {h1}): expected exactly one")
        previous = 0
        for level, line in self.headings:
            if level > previous + 1:
                problems.append(f"line {line}: <h{level}> after <h{previous}>: a heading level is skipped" if previous
                                else f"line {line}: the first heading is <h{level}>, not <h1>")
            previous = level
        if self.first_focusable is None:
            problems.append("no focusable element: expected a skip link first")
        else:
            tag, attrs, line = self.first_focusable
            href = attrs.get("href") or ""
            if tag != "a" or not href.startswith("#") or href[1:] not in self.ids:
                problems.append(f"line {line}: the first focusable element is <{tag} href=\"{href}\">, "
                                "not a skip link to an element of the page")
        return problems


def check_page(html: str) -> list[str]:
    checker = PageChecker()
    checker.feed(html)
    checker.close()
    return checker.finish()


def check_site(root: Path) -> dict[Path, list[str]]:
    found = {}
    for page in sorted(root.rglob("*.html")):
        problems = check_page(page.read_text(encoding="utf-8"))
        if problems:
            found[page] = problems
    return found


# -- contrast (WCAG 2.x relative luminance) --

def parse_colour(value: str) -> tuple[int, int, int]:
    value = value.strip().lower()
    named = {"white": "#ffffff", "black": "#000000"}
    value = named.get(value, value)
    m = re.fullmatch(r"#([0-9a-f]{3}|[0-9a-f]{6})", value)
    if m:
        h = m.group(1)
        if len(h) == 3:
            h = "".join(c * 2 for c in h)
        return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)
    m = re.fullmatch(r"rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+).*\)", value)
    if m:
        return int(m.group(1)), int(m.group(2)), int(m.group(3))
    raise ValueError(f"not a colour this check understands: {value!r}")


def luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def custom_properties(css: str) -> dict[str, str]:
    root = re.search(r":root\s*\{(.*?)\}", css, re.S)
    if not root:
        raise ValueError("no :root { … } block with the theme's custom properties")
    body = re.sub(r"/\*.*?\*/", "", root.group(1), flags=re.S)
    return {m.group(1): m.group(2).strip() for m in re.finditer(r"(--[\w-]+)\s*:\s*([^;]+);", body)}


# (foreground, background, minimum, where it is used)
PAIRS = [
    ("--sg-text", "--sg-bg", 4.5, "body text"),
    ("--sg-muted", "--sg-bg", 4.5, "captions, notes, meta lines"),
    ("--sg-accent", "--sg-bg", 4.5, "links"),
    ("--sg-warn", "--sg-bg", 4.5, "findings"),
    ("#ffffff", "--sg-accent", 4.5, "site header (white on accent)"),
    ("--sg-text", "--sg-head-bg", 4.5, "table headers"),
    ("--sg-muted", "--sg-head-bg", 4.5, "栏次 row in table headers"),
    ("--sg-text", "--sg-total-bg", 4.5, "total rows"),
    ("--sg-accent", "--sg-total-bg", 4.5, "table of contents links"),
    ("--sg-focus", "--sg-bg", 3.0, "focus ring (non-text contrast)"),
    ("--sg-focus", "--sg-head-bg", 3.0, "focus ring on table headers (sort links)"),
    ("--sg-focus", "--sg-total-bg", 3.0, "focus ring in the table of contents"),
    ("--sg-focus-inverse", "--sg-accent", 3.0, "focus ring in the site header"),
]


def check_contrast(css: str, verbose: bool = True) -> list[str]:
    props = custom_properties(css)
    problems = []
    for fg, bg, minimum, use in PAIRS:
        try:
            fgc = parse_colour(props[fg] if fg.startswith("--") else fg)
            bgc = parse_colour(props[bg] if bg.startswith("--") else bg)
        except KeyError as missing:
            problems.append(f"custom property {missing} is not defined in :root")
            continue
        ratio = contrast(fgc, bgc)
        ok = ratio >= minimum
        if verbose:
            print(f"  {'ok  ' if ok else 'FAIL'} {ratio:5.2f}:1 (≥ {minimum}) {fg} on {bg} — {use}")
        if not ok:
            problems.append(f"{fg} on {bg}: contrast {ratio:.2f}:1 is below {minimum}:1 ({use})")
    return problems


# -- the self-test: the checks must be able to fail --

EXPECTED_IN_BROKEN = [
    "without a <caption>",
    "<img> without alt",
    "<th> without scope",
    "<svg> without a <title>",
    "links without aria-label",
    "<h1> elements",
    "a heading level is skipped",
    "not a skip link",
    'expected lang="zh-CN"',
]


def self_test(broken: Path) -> int:
    found = check_site(broken)
    text = "\n".join(p for problems in found.values() for p in problems)
    missing = [e for e in EXPECTED_IN_BROKEN if e not in text]
    low = check_contrast(":root { --sg-text: #999; --sg-muted: #aaa; --sg-bg: #fff; --sg-accent: #6fa8dc;"
                         " --sg-warn: #f90; --sg-head-bg: #fff; --sg-total-bg: #fff; --sg-focus: #eee;"
                         " --sg-focus-inverse: #fff; }", verbose=False)
    if not low:
        missing.append("low contrast in a pale palette")
    if missing:
        print("FAIL: the accessibility checks did not find, in the broken page:", *missing, sep="\n  ")
        print("they found:\n" + text)
        return 1
    print(f"ok: the accessibility checks found {len(text.splitlines())} problems in the broken page, "
          f"and {len(low)} contrast failures in a pale palette")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sites", nargs="*", type=Path)
    parser.add_argument("--css", type=Path, help="style.css whose :root custom properties are checked for contrast")
    parser.add_argument("--self-test", type=Path, metavar="BROKEN_DIR")
    args = parser.parse_args()
    if args.self_test:
        return self_test(args.self_test)
    failed = False
    for site in args.sites:
        found = check_site(site)
        pages = len(list(site.rglob("*.html")))
        if found:
            failed = True
            print(f"FAIL: {len(found)} of {pages} pages of {site.name} have accessibility problems:")
            for page, problems in found.items():
                for problem in problems:
                    print(f"  {page.relative_to(site)}: {problem}")
        else:
            print(f"ok: {pages} pages of {site.name}: lang, one h1, heading levels, captions, th scope, "
                  "svg role+title, img alt, skip link first")
    if args.css:
        print(f"contrast of {args.css}:")
        problems = check_contrast(args.css.read_text(encoding="utf-8"))
        if problems:
            failed = True
            print("FAIL:", *problems, sep="\n  ")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
