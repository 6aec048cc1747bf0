#!/usr/bin/env python3
"""The site in a real browser: headless Chromium driven through chromium-driver (WebDriver).

    browser_test.py --example SITE --fixture SITE [--artifacts DIR]

SITE folders are built sites (`sitegen build --output SITE`): the example site and a generated
one (`sitegen fixture --departments 20 --years 2 --seed 1`). Each is served over HTTP from
127.0.0.1 on a free port. Gates of docs/quality.md checked here:

  2. real browser: the tables have the expected rows, the in-page sort works (no navigation,
     aria-sort set, rows ordered by value: data-value, else the text), no console errors, screenshots;
  3. keyboard: the skip link is the first Tab stop and focus is visible (computed outline);
  4. print: Chromium's Page.printToPDF of the 2022 disclosure on A4, read back with
     pdfinfo/pdftotext; tr { break-inside: avoid } and repeated headers in print media;
  5. phone: at 375 px wide tables scroll in their own box, the page does not, and the row
     headers stay in view (position: sticky); 01 and 04 stacked (收入 above 支出) at 375 px and
     side by side at 1366 px, chart text ≥ 11 px at both, the zero-row button, and a search for
     办公费 and 三公 whose results lead to a table row.

Python selenium is the official WebDriver client; no Swift WebDriver package is available
here (see docs/quality.md). Prints one line per check and 'N passed, N failed' at the end.
"""
from __future__ import annotations

import argparse
import base64
import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import time
import threading
import traceback
from pathlib import Path

os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager look for drivers online

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import a11y  # noqa: E402  (the contrast formula shared with the static checks)

DESKTOP = (1280, 900)
PHONE = (375, 812)
A4 = (595.28, 841.89)  # points

# -- infrastructure ----------------------------------------------------------------------------


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serves `root` on 127.0.0.1 (a free port chosen by the OS); returns the server and its URL."""
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def make_driver() -> webdriver.Chrome:
    options = Options()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--no-first-run", "--lang=zh-CN", "--hide-scrollbars", "--force-device-scale-factor=1",
                f"--window-size={DESKTOP[0]},{DESKTOP[1]}"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(60)
    return driver


class Checks:
    """Runs named checks, keeps going after a failure, and reports at the end."""

    def __init__(self) -> None:
        self.passed = 0
        self.failed: list[str] = []

    def run(self, name: str, fn, *args) -> None:
        try:
            detail = fn(*args)
            self.passed += 1
            print(f"ok   {name}" + (f" — {detail}" if detail else ""), flush=True)
        except Exception as error:  # noqa: BLE001 — every failure is reported, then the next check runs
            self.failed.append(name)
            message = str(error) if isinstance(error, AssertionError) else traceback.format_exc(limit=3)
            print(f"FAIL {name}: {message}", flush=True)


class Browser:
    def __init__(self, driver: webdriver.Chrome, artifacts: Path) -> None:
        self.d = driver
        self.shots = artifacts / "screenshots"
        self.artifacts = artifacts

    def viewport(self, width: int, height: int, mobile: bool = False) -> None:
        self.d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})

    def open(self, url: str) -> None:
        self.d.get(url)
        self.d.execute_script("return document.fonts ? document.fonts.ready.then(() => true) : true")

    def js(self, script: str, *args):
        return self.d.execute_script(script, *args)

    def console_errors(self) -> list[str]:
        return [f"{e['level']}: {e['message']}" for e in self.d.get_log("browser") if e["level"] == "SEVERE"]

    def screenshot(self, name: str) -> Path:
        path = self.shots / f"{name}.png"
        path.write_bytes(base64.b64decode(self.d.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})["data"]))
        return path


def texts(cells) -> list[str]:
    return [c.get_attribute("textContent").strip() for c in cells]


def squash(text: str) -> str:
    """pdftotext output without any whitespace, so text wrapped inside a table cell still matches."""
    return re.sub(r"\s+", "", text)


# -- 2. pages, tables and sorting -------------------------------------------------------------------

def check_disclosure_tables(b: Browser) -> str:
    numbers = texts(b.d.find_elements(By.CSS_SELECTOR, "section.public-table .form-number"))
    assert numbers == [f"公开{n:02d}表" for n in range(1, 11)], f"tables on the page: {numbers}"
    for table in b.d.find_elements(By.CSS_SELECTOR, "section.public-table table.grid"):
        caption = table.find_elements(By.TAG_NAME, "caption")
        assert caption and "公开" in caption[0].get_attribute("textContent"), "a 公开 table without its caption"
    rows02 = b.js("""return [...document.querySelectorAll('#t02 table.grid > tbody > tr')].map(tr => {
        const code = tr.querySelector('td.code'); const name = tr.querySelector('th[scope=row]');
        return (code && code.textContent.trim()) || (name && name.textContent.trim()) || ''; });""")
    assert rows02 == ["合计", "201", "20103", "2010399"], f"公开02表 rows: {rows02}"
    n01 = len(b.d.find_elements(By.CSS_SELECTOR, "#t01 .side-by-side table.grid > tbody > tr"))
    assert n01 == 31, f"公开01表 has {n01} body rows, expected 31"
    row = b.js("""const tr = [...document.querySelectorAll('#t02 table.grid > tbody > tr')].find(r => r.querySelector('td.code')?.textContent.trim() === '2010399');
        return [...tr.cells].map(c => c.textContent.trim());""")
    assert row[3] == "55.57", f"公开02表 2010399 财政拨款收入: {row}"
    return "10 tables with captions; 公开02表 rows 合计/201/20103/2010399; 公开01表 31 body rows"


def check_department(b: Browser) -> str:
    h1 = texts(b.d.find_elements(By.TAG_NAME, "h1"))
    assert h1 == ["南昌市东湖区中小企业服务局"], f"h1: {h1}"
    years = texts(b.d.find_elements(By.CSS_SELECTOR, ".year-cards > li > a"))
    assert len(years) == 2 and [y[:4] for y in years] == ["2022", "2023"] and all("部门决算" in y for y in years), \
        f"year cards: {years}"
    trend = b.d.find_elements(By.CSS_SELECTOR, "table.text-table")
    assert trend, "no trend table"
    head = texts(trend[0].find_elements(By.CSS_SELECTOR, "thead th"))
    assert head == ["项目", "2022年度", "2023年度"], f"trend table header: {head}"
    assert len(trend[0].find_elements(By.CSS_SELECTOR, "tbody tr")) >= 5, "trend table has few rows"
    # Each chart comes in two forms, of which the width shows one (the narrow one below ~700 px).
    svgs = b.js("return [...document.querySelectorAll('figure.chart')].map(f => Math.max(...[...f.querySelectorAll('svg')]"
                ".map(s => s.getBoundingClientRect().width)))")
    assert svgs and all(w > 0 for w in svgs), f"charts not drawn: widths {svgs}"
    return f"h1, 2 year cards, trend table {len(head)} columns, {len(svgs)} charts drawn"


SORT_STATE = """
const table = document.querySelector('table[data-sortable]');
const i = [...table.tHead.rows[0].cells].findIndex(th => th.dataset.key === arguments[0]);
return {
  values: [...table.tBodies[0].rows].map(r => r.cells[i].hasAttribute('data-value') ? r.cells[i].getAttribute('data-value') : r.cells[i].textContent),
  names: [...table.tBodies[0].rows].map(r => r.cells[0].textContent.trim()),
  children: [...table.tBodies[0].rows].map(r => r.classList.contains('child')),
  arrows: [...table.tHead.rows[0].cells].map(th => th.querySelectorAll('.sort-arrow').length),
  sort: [...table.tHead.rows[0].cells].map(th => th.getAttribute('aria-sort')),
  index: i,
  marker: window.__sitegenNoNavigation === true,
  url: location.href,
};"""


def sorted_as(values: list[str], descending: bool) -> bool:
    """Numbers in order, blanks last (in either direction), as sort.js promises."""
    filled = [v for v in values if v != ""]
    if values != filled + [""] * (len(values) - len(filled)):
        return False
    numbers = [float(v) for v in filled]
    return numbers == sorted(numbers, reverse=descending)


def sorted_grouped(values: list[str], children: list[bool], descending: bool) -> bool:
    """Each 主管部门 (a row not of class child) with its 所属单位 after it: blocks in order of their
    first row, the 所属单位 in order among themselves, as on the pre-sorted pages."""
    blocks: list[list[str]] = []
    for v, child in zip(values, children):
        if child and blocks:
            blocks[-1].append(v)
        else:
            blocks.append([v])
    return sorted_as([b[0] for b in blocks], descending) and all(sorted_as(b[1:], descending) for b in blocks)


def check_sort(b: Browser, key: str, expect_reorder: bool) -> str:
    b.js("window.__sitegenNoNavigation = true;")
    before = b.js(SORT_STATE, key)
    assert before["index"] > 0, f"no column {key}"
    details = []
    for click in (1, 2):
        state = b.js(SORT_STATE, key)
        descending = state["sort"][state["index"]] != "descending"  # what sort.js does on a click
        b.d.find_element(By.CSS_SELECTOR, f'table[data-sortable] thead th[data-key="{key}"] a').click()
        after = b.js(SORT_STATE, key)
        assert after["marker"] and after["url"] == before["url"], f"click {click} navigated to {after['url']}"
        expected = "descending" if descending else "ascending"
        assert after["sort"][after["index"]] == expected, f"click {click}: aria-sort {after['sort'][after['index']]!r}, expected {expected!r}"
        others = [s for j, s in enumerate(after["sort"]) if j != after["index"] and s is not None]
        assert not others, f"click {click}: other columns keep aria-sort {others}"
        assert sorted(after["names"]) == sorted(before["names"]), "rows were lost or duplicated"
        assert sorted_grouped(after["values"], after["children"], descending), f"click {click}: not {expected} by value: {after['values']}"
        assert sum(after["children"]) == sum(before["children"]), f"click {click}: the grouping was lost"
        assert after["arrows"][after["index"]] == 1 and sum(after["arrows"]) == 1, f"click {click}: sort marker {after['arrows']}"
        details.append(f"{expected} {after['values'][:3]}…")
    if expect_reorder:
        b.d.find_element(By.CSS_SELECTOR, f'table[data-sortable] thead th[data-key="{key}"] a').click()
        orders = {tuple(b.js(SORT_STATE, key)["names"])}
        b.d.find_element(By.CSS_SELECTOR, f'table[data-sortable] thead th[data-key="{key}"] a').click()
        orders.add(tuple(b.js(SORT_STATE, key)["names"]))
        assert len(orders) == 2, "the two sort directions give the same row order"
    return f"{len(before['names'])} rows by {key}: " + "; ".join(details)


FILTER_STATE = """
const table = document.querySelector('table[data-filterable]');
const shown = [...table.tBodies[0].rows].filter(r => !r.hidden);
return {
  tokens: shown.map(r => (r.getAttribute('data-filter') || '').split(' ')),
  income: shown.map(r => r.cells[1].classList.contains('unpublished') ? '' : (r.cells[1].getAttribute('data-value') ?? r.cells[1].textContent)),
  total: table.tFoot.rows[0].cells[1].textContent,
  count: document.querySelector('[data-count]').textContent,
  marker: window.__sitegenNoNavigation === true,
};"""


def check_filter(b: Browser) -> str:
    """A filter link filters the rows in place (no navigation) and the total is their exact sum."""
    from decimal import Decimal
    b.js("window.__sitegenNoNavigation = true;")
    links = b.d.find_elements(By.CSS_SELECTOR, ".compare-filters a")
    names = [a.get_attribute("href").rsplit("/", 1)[-1] for a in links]
    target = next(i for i, n in enumerate(names) if n.startswith("kind-"))
    token = names[target][:-len(".html")]
    links[target].click()
    state = b.js(FILTER_STATE)
    assert state["marker"], "the filter link navigated"
    assert state["tokens"] and all(token in t for t in state["tokens"]), f"rows without {token} shown"
    assert state["count"] == str(len(state["tokens"])), f"count {state['count']} for {len(state['tokens'])} rows"
    total = sum((Decimal(v) for v in state["income"] if v), Decimal(0))
    assert Decimal(state["total"]) == total, f"total {state['total']}, rows sum to {total}"
    return f"{token}: {len(state['tokens'])} rows, total {state['total']}"


def check_no_console_errors(b: Browser) -> str:
    errors = b.console_errors()
    assert not errors, "console errors:\n  " + "\n  ".join(errors)
    return ""


# -- 3. keyboard focus and the live DOM's structure ----------------------------------------------

FOCUS_STATE = """
const el = document.activeElement, cs = getComputedStyle(el), r = el.getBoundingClientRect();
let bg = 'rgb(255, 255, 255)';  // the canvas
for (let e = el; e && e.nodeType === 1; e = e.parentElement) {   // the colour the ring is drawn against
  const c = getComputedStyle(e).backgroundColor;
  if (c !== 'transparent' && !/rgba\\(.*,\\s*0\\)$/.test(c)) { bg = c; break; }
}
return {tag: el.tagName.toLowerCase(), cls: String(el.className), text: el.textContent.trim().slice(0, 20),
        style: cs.outlineStyle, width: parseFloat(cs.outlineWidth), color: cs.outlineColor, background: bg,
        visible: r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0 && r.right <= innerWidth,
        focusVisible: el.matches(':focus-visible')};"""


def check_keyboard(b: Browser, stops: int = 6) -> str:
    """Tab from the top: the skip link comes first; every stop shows a ring of ≥ 3:1 against its background."""
    b.js("window.scrollTo(0, 0);")
    seen = []
    for n in range(stops):
        ActionChains(b.d).send_keys(Keys.TAB).perform()
        f = b.js(FOCUS_STATE)
        where = f"Tab stop {n + 1} (<{f['tag']} class={f['cls']!r}> {f['text']!r})"
        if n == 0:
            assert f["tag"] == "a" and "skip-link" in f["cls"], f"the first Tab stop is {where}, not the skip link"
            b.screenshot("desktop-skip-link-focused")
        assert f["visible"], f"{where} is not on screen when focused"
        assert f["focusVisible"] and f["style"] not in ("none", "hidden") and f["width"] >= 2, \
            f"no visible focus outline on {where}: {f['style']} {f['width']}px"
        ratio = a11y.contrast(a11y.parse_colour(f["color"]), a11y.parse_colour(f["background"]))
        assert ratio >= 3, f"the focus ring of {where} has {ratio:.2f}:1 against {f['background']} (3:1 needed)"
        seen.append(f"{f['text'] or f['tag']} {ratio:.1f}:1")
    # Following the skip link moves focus to <main>.
    b.d.refresh()
    ActionChains(b.d).send_keys(Keys.TAB).send_keys(Keys.ENTER).perform()
    target = b.js("return [location.hash, document.activeElement.id]")
    assert target == ["#main", "main"], f"after the skip link: hash/focus {target}"
    return f"skip link first; outline ≥ 2px with ring contrast: {', '.join(seen)}; Enter focuses <main>"


def check_live_structure(b: Browser) -> str:
    r = b.js("""return {
      lang: document.documentElement.lang,
      h1: document.querySelectorAll('h1').length,
      tablesWithoutCaption: [...document.querySelectorAll('table')].filter(t => !t.caption).length,
      thWithoutScope: [...document.querySelectorAll('th')].filter(th => !th.hasAttribute('scope')).length,
      // An <svg> of links (a treemap) has no role, so its links are exposed, each with a name.
      svgBad: [...document.querySelectorAll('svg')].filter(s => !s.querySelector(':scope > title')
        || (s.querySelector('a') ? s.hasAttribute('role') || s.querySelector('a:not([aria-label])') : s.getAttribute('role') !== 'img')).length,
      imgNoAlt: [...document.querySelectorAll('img')].filter(i => !i.hasAttribute('alt')).length,
    };""")
    assert r == {"lang": "zh-CN", "h1": 1, "tablesWithoutCaption": 0, "thWithoutScope": 0, "svgBad": 0, "imgNoAlt": 0}, r
    return ""


def expect_failure(b: Browser, checks) -> str:
    caught = []
    for check in checks:
        try:
            check(b)
        except AssertionError as error:
            caught.append(f"{check.__name__}: {str(error)[:90]}")
            continue
        raise AssertionError(f"{check.__name__} passed on the broken page")
    return "; ".join(caught)


# -- 4. print -----------------------------------------------------------------------------------

PRINT_STYLE = """
const rows = [...document.querySelectorAll('tr')];
return {
  rows: rows.length,
  rowsNotAvoid: rows.filter(r => getComputedStyle(r).breakInside !== 'avoid').length,
  theadNotRepeated: [...document.querySelectorAll('thead')].filter(t => getComputedStyle(t).display !== 'table-header-group').length,
  wideNotLandscape: [...document.querySelectorAll('.public-table.wide')].filter(s => getComputedStyle(s).page !== 'wide').length,
  scrollBoxesClipping: [...document.querySelectorAll('.table-scroll')].filter(s => getComputedStyle(s).overflowX !== 'visible').length,
  screenOnlyShown: [...document.querySelectorAll('.site-header, .site-footer, .breadcrumbs, .skip-link, .toc')]
      .filter(e => getComputedStyle(e).display !== 'none').map(e => e.className),
};"""


def check_print_css(b: Browser) -> str:
    b.d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        r = b.js(PRINT_STYLE)
    finally:
        b.d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert r["rows"] > 0 and r["rowsNotAvoid"] == 0, f"rows without break-inside: avoid in print: {r}"
    assert r["theadNotRepeated"] == 0, f"thead not display: table-header-group in print: {r}"
    assert r["wideNotLandscape"] == 0, f"wide tables not on the landscape page: {r}"
    assert r["scrollBoxesClipping"] == 0, f"scroll boxes still clip in print: {r}"
    assert not r["screenOnlyShown"], f"screen-only parts are printed: {r['screenOnlyShown']}"
    return f"{r['rows']} rows break-inside: avoid; thead repeats; wide tables on `page: wide`; site header, footer, breadcrumbs, toc hidden"


def pdf_pages(pdf: Path) -> list[tuple[float, float]]:
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)]


def pdf_words_outside(pdf: Path) -> list[str]:
    """Words whose box reaches past the edge of their page: text Chromium cut off."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    outside = []
    for n, (width, height, body) in enumerate(re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S), 1):
        for x0, y0, x1, y1, word in re.findall(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([^<]*)</word>', body):
            if float(x0) < -0.5 or float(y0) < -0.5 or float(x1) > float(width) + 0.5 or float(y1) > float(height) + 0.5:
                outside.append(f"p.{n} {word!r} x {float(x0):.0f}–{float(x1):.0f} of {float(width):.0f}")
    return outside


def pdf_text(pdf: Path, page: int | None = None) -> str:
    cmd = ["pdftotext", "-enc", "UTF-8"]
    if page is not None:
        cmd += ["-f", str(page), "-l", str(page)]
    return subprocess.run(cmd + [str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def print_pdf(b: Browser, name: str) -> Path:
    result = b.d.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})
    path = b.artifacts / name
    path.write_bytes(base64.b64decode(result["data"]))
    return path


def check_print_pdf(b: Browser, pdf: Path, titles: dict[str, str], heads: dict[str, list[str]],
                    require_spanning: bool = False) -> str:
    sizes = pdf_pages(pdf)
    assert sizes, "pdfinfo found no pages"
    off = [(i + 1, s) for i, s in enumerate(sizes)
           if not any(abs(s[0] - w) < 1.5 and abs(s[1] - h) < 1.5 for w, h in (A4, A4[::-1]))]
    assert not off, f"pages that are not A4: {off}"
    pages = [squash(pdf_text(pdf, p)) for p in range(1, len(sizes) + 1)]
    whole = "".join(pages)
    missing = [f"{n} {t}" for n, t in titles.items() if squash(n + t) not in whole]
    assert not missing, f"table titles missing from the PDF text: {missing}"
    assert "国有资本经营预算财政拨款" in whole, "公开04表's right-most column header is not in the PDF text (cut off?)"
    outside = pdf_words_outside(pdf)
    assert not outside, f"text past the edge of the page (cut off): {outside[:10]}"
    # where each table starts (its heading), and the page of 第三部分 after the last table
    start = {}
    for n, t in titles.items():
        start[n] = next(i for i, text in enumerate(pages) if squash(n + t) in text)
    ends = sorted(start.values())[1:] + [next((i for i, text in enumerate(pages) if "第三部分" in text and "情况说明" in text and i > max(start.values())), len(pages))]
    landscape = [n for n, i in start.items() if sizes[i][0] > sizes[i][1]]
    assert set(heads["wide"]).issubset(landscape), f"wide tables {heads['wide']} not all on landscape pages (landscape: {landscape})"
    spanning = []
    for (n, first), end in zip(sorted(start.items(), key=lambda kv: kv[1]), ends):
        for page in range(first + 1, end):
            missing = [h for h in heads[n] if squash(h) not in pages[page]]
            assert not missing, f"{n} continues on page {page + 1} without its header row ({missing})"
            spanning.append(f"{n} p.{page + 1}")
    assert spanning or not require_spanning, "no table spans two pages, so header repetition went unchecked"
    return (f"{len(sizes)} A4 pages ({len(landscape)} tables landscape), all 10 titles, 公开04表's last column, no text past a page edge; "
            f"header repeated on {', '.join(spanning) if spanning else 'no continuation page (no table spans pages)'}")


def table_info(b: Browser) -> tuple[dict[str, str], dict[str, list[str]]]:
    info = b.js("""return [...document.querySelectorAll('section.public-table')].map(s => ({
        number: s.querySelector('.form-number').textContent.trim(),
        title: s.querySelector('h3').textContent.replace(s.querySelector('.form-number').textContent, '').trim(),
        wide: s.classList.contains('wide'),
        head: [...(s.querySelector('table.grid thead tr') ? s.querySelector('table.grid thead tr').cells : [])].map(c => c.textContent.trim()).filter(Boolean),
    }));""")
    titles = {t["number"]: t["title"] for t in info}
    heads = {t["number"]: t["head"] for t in info}
    heads["wide"] = [t["number"] for t in info if t["wide"]]
    return titles, heads


def spanning_tables(pdf: Path, titles: dict[str, str]) -> int:
    pages = [squash(pdf_text(pdf, p)) for p in range(1, len(pdf_pages(pdf)) + 1)]
    starts = sorted(next(i for i, t in enumerate(pages) if squash(n + title) in t) for n, title in titles.items())
    return sum(1 for a, b in zip(starts, starts[1:]) if b - a > 1)


# -- 5. phone ---------------------------------------------------------------------------------

PHONE_STATE = """
const doc = document.documentElement;
const boxes = [...document.querySelectorAll('.table-scroll')];
const wide = boxes.filter(b => b.scrollWidth > b.clientWidth + 1);
return {inner: innerWidth, page: doc.scrollWidth, boxes: boxes.length, wide: wide.length,
        overflowing: [...document.body.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > innerWidth + 1
            && !e.closest('.table-scroll') && getComputedStyle(e).position !== 'absolute').slice(0, 5)
            .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))};"""


def check_phone_page(b: Browser, need_wide: bool) -> str:
    r = b.js(PHONE_STATE)
    assert r["inner"] == PHONE[0], f"viewport is {r['inner']} px, expected {PHONE[0]}"
    assert r["page"] <= PHONE[0], f"the page itself scrolls sideways: scrollWidth {r['page']} > {PHONE[0]} ({r['overflowing']})"
    if need_wide:
        assert r["wide"] > 0, f"no table box scrolls at {PHONE[0]} px: {r}"
    return f"page {r['page']} px wide; {r['wide']} of {r['boxes']} table boxes scroll inside"


STICKY = """
const box = document.querySelector(arguments[0]).closest('.table-scroll') || document.querySelector(arguments[0]);
box.scrollIntoView({block: 'start'});
const th = box.querySelector('tbody th[scope=row]');
const before = th.getBoundingClientRect().left;
box.scrollLeft = box.scrollWidth;
const b = box.getBoundingClientRect(), t = th.getBoundingClientRect();
return {position: getComputedStyle(th).position, scrolled: box.scrollLeft, before: before,
        thLeft: t.left, thRight: t.right, boxLeft: b.left, clientLeft: box.clientLeft,
        scrollWidth: box.scrollWidth, clientWidth: box.clientWidth};"""


def check_sticky(b: Browser, selector: str, shot: str) -> str:
    r = b.js(STICKY, selector)
    assert r["scrollWidth"] > r["clientWidth"], f"{selector} does not scroll at {PHONE[0]} px: {r}"
    assert r["position"] == "sticky", f"row headers of {selector} are position: {r['position']}, not sticky"
    assert r["scrolled"] > 0, f"{selector} did not scroll: {r}"
    assert abs(r["thLeft"] - (r["boxLeft"] + r["clientLeft"])) <= 2 and r["thRight"] <= PHONE[0], \
        f"the row header of {selector} left the view when the table scrolled: {r}"
    b.screenshot(shot)
    return f"scrolled {r['scrolled']} px of {r['scrollWidth']}; row header stays at x={r['thLeft']:.0f}"


READING = """
const toc = document.getElementById('toc'), summary = document.querySelector('section.summary');
const tables = [...document.querySelectorAll('section.public-table')];
const back = tables.filter(t => t.querySelector('a.to-toc[href="#toc"]')).length;
const box = document.querySelector('#t02').closest('section').querySelector('.table-scroll');
box.scrollIntoView({block: 'start'});
const head = box.querySelector('thead'), before = head.getBoundingClientRect().top - box.getBoundingClientRect().top;
box.scrollTop = box.scrollHeight;
const after = head.getBoundingClientRect().top - box.getBoundingClientRect().top;
return {summaryFirst: !!summary && !!toc && (summary.compareDocumentPosition(toc) & Node.DOCUMENT_POSITION_FOLLOWING) > 0,
        figures: summary ? summary.querySelectorAll('dt').length : 0, tables: tables.length, back: back,
        position: getComputedStyle(head).position, scrolled: box.scrollTop, before: before, after: after};"""


def check_reading(b: Browser) -> str:
    r = b.js(READING)
    assert r["summaryFirst"] and r["figures"] >= 5, f"no headline summary above the contents: {r}"
    assert r["tables"] >= 9 and r["back"] == r["tables"], f"{r['tables'] - r['back']} tables have no way back to the contents: {r}"
    assert r["position"] == "sticky", f"公开02表's header is position: {r['position']}, not sticky"
    if r["scrolled"] > 0:
        assert abs(r["after"] - r["before"]) <= 2, f"公开02表's header left the view when its box scrolled: {r}"
    return f"summary of {r['figures']} figures above the contents; {r['back']} of {r['tables']} tables link back; header sticky"


STACKED = """
const visible = e => !!e && e.getClientRects().length > 0;
return ['t01', 't04'].map(id => {
  const s = document.getElementById(id), wide = s.querySelector('.side-by-side');
  const halves = [...s.querySelectorAll('.stacked table.grid')];
  const shown = [...s.querySelectorAll('table.grid')].filter(visible);
  const r = halves.map(t => t.closest('.table-scroll').getBoundingClientRect());
  return {id: id, wide: visible(wide), halves: halves.length, shown: shown.length,
          captions: shown.map(t => t.caption.textContent.trim()),
          incomeAbove: r.length === 2 && r[0].bottom <= r[1].top, lefts: r.map(x => Math.round(x.left)),
          rights: r.map(x => Math.round(x.right))};
});"""


def check_stacked(b: Browser, narrow: bool) -> str:
    for r in b.js(STACKED):
        if not narrow:
            assert r["wide"] and r["shown"] == 1, f"{r['id']} at {b.js('return innerWidth')} px: the side-by-side table only: {r}"
            continue
        assert not r["wide"] and r["halves"] == 2 and r["shown"] == 2, f"{r['id']} is not stacked at {PHONE[0]} px: {r}"
        assert "收入" in r["captions"][0] and "支出" in r["captions"][1] and r["incomeAbove"], f"{r['id']}: 收入 not above 支出: {r}"
        assert all(0 <= x and right <= PHONE[0] for x, right in zip(r["lefts"], r["rights"])), f"{r['id']}: a half is off-screen: {r}"
    return "01 and 04: 收入 above 支出, both in view, one reading displayed" if narrow else "01 and 04 side by side, halves not displayed"


CHART_TEXT = """
const sizes = [];
for (const svg of document.querySelectorAll('figure.chart svg')) {
  if (!svg.getClientRects().length) continue;
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  for (const t of svg.querySelectorAll('text')) sizes.push(parseFloat(getComputedStyle(t).fontSize) * scale);
}
return {charts: [...document.querySelectorAll('figure.chart svg')].filter(s => s.getClientRects().length).length,
        figures: document.querySelectorAll('figure.chart').length, min: Math.min(...sizes), texts: sizes.length};"""


def check_chart_text(b: Browser, minimum: float = 11.0) -> str:
    r = b.js(CHART_TEXT)
    assert r["figures"] > 0 and r["charts"] == r["figures"], f"one drawing per chart should be displayed: {r}"
    assert r["min"] >= minimum, f"chart text renders at {r['min']:.1f} px at {b.js('return innerWidth')} px (< {minimum}): {r}"
    return f"{r['charts']} charts, {r['texts']} texts, smallest {r['min']:.1f} px"


ZERO_ROWS = """
const button = [...document.querySelectorAll('.zero-toggle button')].find(x => x.getClientRects().length);
if (!button) return null;
const section = button.closest('section'), shownZero = () => [...section.querySelectorAll('tr.zero')].filter(r => r.getClientRects().length).length;
const before = shownZero(), pressed0 = button.getAttribute('aria-pressed');
button.click();
const hidden = shownZero(), pressed1 = button.getAttribute('aria-pressed');
button.click();
return {table: section.id, before: before, pressed0: pressed0, hidden: hidden, pressed1: pressed1, after: shownZero(),
        pressed2: button.getAttribute('aria-pressed'), buttons: document.querySelectorAll('.zero-toggle').length};"""


def check_zero_rows(b: Browser, site: Path) -> str:
    html = (site / "donghu-sme/2022/index.html").read_text(encoding="utf-8")
    assert '<p class="zero-toggle" hidden>' in html and ' zero"' in html, \
        "without scripts the zero rows must be shown and the button hidden"
    r = b.js(ZERO_ROWS)
    assert r, "no zero-row button shown with scripts"
    assert r["before"] > 0 and r["pressed0"] == "false", f"zero rows not shown at first: {r}"
    assert r["hidden"] == 0 and r["pressed1"] == "true", f"the button did not hide the zero rows: {r}"
    assert r["after"] == r["before"] and r["pressed2"] == "false", f"the button did not show them again: {r}"
    return f"{r['table']}: {r['before']} zero rows hidden and shown again, aria-pressed follows; {r['buttons']} tables have the button"


def check_search(b: Browser, site: str, query: str, shot: str | None = None) -> str:
    b.open(site + "search/index.html")
    box = b.d.find_element(By.ID, "q")
    box.send_keys(query)
    deadline = time.time() + 10
    links: list[str] = []
    while time.time() < deadline and not links:
        links = b.js("return [...document.querySelectorAll('.row-result-list a')].map(a => a.href)")
        time.sleep(0.1)
    status = b.js("return document.getElementById('rows-status').textContent")
    assert links, f"no result in the tables for {query}: {status!r}"
    if shot:
        b.screenshot(shot)
    target = links[0]
    b.open(target)
    r = b.js("""const el = document.getElementById(decodeURIComponent(location.hash.slice(1)));
        return el ? {row: !!el.closest('tr'), grid: !!el.closest('table.grid, section.performance'), text: el.textContent.trim(),
                     seen: el.getBoundingClientRect().top < innerHeight} : null;""")
    assert r and (r["row"] or r["grid"]), f"{target} does not lead to a table row: {r}"
    return f"{len(links)} results; the first, {target.split('/', 3)[-1]}, is the line {r['text']!r}"


# -- main -------------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--example", type=Path, required=True, help="the example site, built")
    parser.add_argument("--fixture", type=Path, required=True, help="the generated site, built")
    parser.add_argument("--broken", type=Path, help="a folder with a deliberately broken index.html: the checks must fail on it")
    parser.add_argument("--artifacts", type=Path, default=Path("ci-artifacts"))
    args = parser.parse_args()
    (args.artifacts / "screenshots").mkdir(parents=True, exist_ok=True)

    example_server, example = serve(args.example)
    fixture_server, fixture = serve(args.fixture)
    driver = make_driver()
    b = Browser(driver, args.artifacts)
    c = Checks()
    print(f"{driver.capabilities.get('browserName')} {driver.capabilities.get('browserVersion')}; "
          f"example at {example}, generated site at {fixture}")
    try:
        disclosure = example + "donghu-sme/2022/index.html"
        department = example + "donghu-sme/index.html"
        compare = example + "compare/jiangxi/2023/index.html"
        fixture_compare = fixture + "compare/region-1/2023/index.html"

        # desktop
        b.viewport(*DESKTOP)
        if args.broken:
            broken_server, broken = serve(args.broken)
            try:
                b.open(broken + "index.html")
                c.run("self-test: the live-DOM and keyboard checks reject the broken page", expect_failure, b,
                      [check_live_structure, check_keyboard])
                b.d.get_log("browser")  # its missing image is not the site's console error
            finally:
                broken_server.shutdown()
        b.open(disclosure)
        c.run("disclosure: tables and rows", check_disclosure_tables, b)
        c.run("disclosure: lang, one h1, captions, th scope, svg title (live DOM)", check_live_structure, b)
        c.run("disclosure: keyboard — skip link first, visible focus", check_keyboard, b)
        b.viewport(1366, 900)
        b.open(disclosure)
        c.run("1366 px: 01 and 04 side by side", check_stacked, b, False)
        c.run("1366 px: chart text ≥ 11 px", check_chart_text, b)
        c.run("1366 px: zero rows hide and show with the button", check_zero_rows, b, args.example)
        c.run("1366 px: search for 办公费 links to a table row", check_search, b, example, "办公费")
        c.run("1366 px: search for 三公 links to a table row", check_search, b, example, "三公")
        b.viewport(*DESKTOP)
        b.open(disclosure)
        b.screenshot("desktop-disclosure")
        c.run("disclosure: no console errors", check_no_console_errors, b)
        c.run("print: computed print styles", check_print_css, b)
        titles, heads = table_info(b)
        pdf = print_pdf(b, "donghu-sme-2022.pdf")
        c.run("print: A4 PDF of the 2022 disclosure", check_print_pdf, b, pdf, titles, heads)
        if spanning_tables(pdf, titles) == 0:
            # The example's tables each fit on a page; a generated disclosure has longer ones.
            b.open(fixture + "xihu-czj/2022/index.html")
            t2, h2 = table_info(b)
            pdf2 = print_pdf(b, "generated-xihu-czj-2022.pdf")
            c.run("print: A4 PDF of a generated disclosure (headers repeat)", check_print_pdf, b, pdf2, t2, h2, True)
            c.run("generated disclosure: no console errors", check_no_console_errors, b)

        b.open(department)
        c.run("department: h1, year cards, trend table, charts", check_department, b)
        c.run("department: lang, one h1, captions, th scope, svg title (live DOM)", check_live_structure, b)
        b.screenshot("desktop-department")
        c.run("department: no console errors", check_no_console_errors, b)

        b.open(compare)
        b.screenshot("desktop-compare")
        c.run("compare (example): click a column header sorts in place", check_sort, b, "income", False)
        c.run("compare (example): no console errors", check_no_console_errors, b)
        b.open(fixture_compare)
        c.run("compare (generated, 10 rows): click sorts in place, both directions", check_sort, b, "expenditure", True)
        b.screenshot("desktop-compare-generated-sorted")
        b.open(fixture_compare)
        c.run("compare (generated): a filter link filters in place, exact total", check_filter, b)
        b.screenshot("desktop-compare-generated-filtered")
        c.run("compare (generated): no console errors", check_no_console_errors, b)

        # phone
        b.viewport(*PHONE, mobile=True)
        b.open(disclosure)
        b.screenshot("phone-disclosure")
        c.run("phone: disclosure does not overflow; wide tables scroll in their box", check_phone_page, b, True)
        c.run("phone: headline summary first, a way back to the contents from every table, sticky headers", check_reading, b)
        b.open(disclosure)
        c.run("phone: 公开02表's row headers stay in view (sticky)", check_sticky, b, "#t02 table.grid", "phone-disclosure-t02-scrolled")
        c.run("phone: 01 and 04 stacked, 收入 above 支出", check_stacked, b, True)
        b.js("document.querySelector('#t01 .stacked').scrollIntoView({block: 'start'})")
        b.screenshot("phone-disclosure-01-stacked")
        b.js("document.querySelector('#chart-classes').scrollIntoView({block: 'start'})")
        b.screenshot("phone-disclosure-chart")
        c.run("phone: chart text ≥ 11 px", check_chart_text, b)
        c.run("phone: zero rows hide and show with the button", check_zero_rows, b, args.example)
        b.open(department)
        c.run("phone: department chart text ≥ 11 px", check_chart_text, b)
        c.run("phone: search for 办公费 links to a table row", check_search, b, example, "办公费", "phone-search")
        b.screenshot("phone-search-result")
        c.run("phone: search for 三公 links to a table row", check_search, b, example, "三公")
        b.open(department)
        b.screenshot("phone-department")
        c.run("phone: department page does not overflow", check_phone_page, b, False)
        b.open(compare)
        b.screenshot("phone-compare")
        c.run("phone: comparison page does not overflow; its table scrolls", check_phone_page, b, True)
        c.run("phone: comparison row headers stay in view (sticky)", check_sticky, b, "table.compare-table", "phone-compare-scrolled")
        b.open(example + "index.html")
        b.screenshot("phone-home")
        c.run("phone: home page does not overflow", check_phone_page, b, False)
        c.run("phone: no console errors", check_no_console_errors, b)
    finally:
        driver.quit()
        example_server.shutdown()
        fixture_server.shutdown()
    print(f"screenshots in {args.artifacts / 'screenshots'}, PDFs in {args.artifacts}")
    print(f"{c.passed} passed, {len(c.failed)} failed")
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
