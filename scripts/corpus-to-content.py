#!/usr/bin/env python3
"""Turn a corpus case with printed tables (corpus/<case>/printed.yaml) into a content folder that
`sitegen check` reads, to measure the checker on real documents (docs/quality.md).

    scripts/corpus-to-content.py <case> <out>      # writes <out>/content
    .build/debug/sitegen check --content <out>/content --explain

Written for the Shanghai Putuo 2025 cases (2023-form tables, 类/款/项 rows, totals entered as
printed, 06 in column blocks); the 情况说明 is the case's `prose:` sentences, one a line, under
their section headings. Needs PyYAML.
"""
import yaml, sys, re, os, json
case, out = sys.argv[1], sys.argv[2]
d = yaml.safe_load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'corpus', case, 'printed.yaml')))
year = d['year']
def num(v):
    v = (v or '').replace(',', '').strip()
    if v in ('', '-', '--', '——'): return None
    try: float(v); return v
    except: return None
def strip_num(name):
    return re.sub(r'^[一二三四五六七八九十]+、', '', name or '').strip()
tables = {t['title']: t for t in d['tables']}
def find(*keys):
    for k, t in tables.items():
        if all(x in k for x in keys): return t
func, econ = {}, {}
y = {'year': year, 'form': 2023, 'published': f'{year+1}-09-01', 'tables': {}}
T = y['tables']
t = find('收入支出决算总表')
t01 = t if t and '财政拨款' not in t['title'] else None
for k, t in tables.items():
    if k == '收入支出决算总表': t01 = t
if t01:
    inc, exp = {}, {}
    for r in t01['rows']:
        n = strip_num(r[0]); v = num(r[1])
        if n in ('一般公共预算财政拨款收入','政府性基金预算财政拨款收入','国有资本经营预算财政拨款收入','上级补助收入','事业收入','经营收入','附属单位上缴收入','其他收入','使用非财政拨款结余','年初结转和结余'):
            inc[n] = v
        n2 = strip_num(r[2]); v2 = num(r[3])
        if n2 in ('结余分配','年末结转和结余','本年支出合计','总计'): exp[n2] = v2
        if n in ('本年收入合计','总计'): inc[n] = v
    T['01'] = {'收入': inc, '支出': exp}
def classif(title, ncols, keep=7):
    t = tables.get(title)
    if not t: return None
    rows = []
    for r in t['rows']:
        code = (r[0] or '').strip()
        if code.isdigit():
            func.setdefault(code, r[1])
            rows.append([int(code)] + [num(x) for x in r[2:2+ncols]])
        elif code == '合计' or (r[1] or '').strip() == '合计' and not code:
            vals = [num(x) for x in r[2:2+ncols]]
            if any(vals): rows.insert(0, ['合计'] + vals)
    return {'rows': rows}
for title, key, n in (('收入决算表','02',7),('支出决算表','03',6),('一般公共预算财政拨款支出决算表','05',3)):
    c = classif(title, n)
    if c: T[key] = c
t = find('基本支出决算')
if t:
    rows = []
    # Blocks of 3 (编码, 名称, 决算数) or 4 (类, 款, 名称, 决算数).
    split = any('款' in h for h in t['header'][-1])
    width = 4 if split else 3
    for r in t['rows']:
        for off in range(0, len(r) - width + 1, width):
            code = (r[off] or '').strip() + ((r[off+1] or '').strip() if split else '')
            name, value = (r[off+2], r[off+3]) if split else (r[off+1], r[off+2])
            if code.isdigit():
                econ[code] = name
                if len(code) in (3, 5): rows.append([int(code), num(value)])
    T['06'] = {'rows': rows}
t = find('政府性基金')
if t:
    c = classif(t['title'], 6)
    if c and c['rows']: T['07'] = c
t = find('三公')
if t and t['rows']:
    r = t['rows'][0]
    v = [num(x) for x in r]
    T['09'] = {'经费': {'因公出国（境）费': [v[2], v[3]], '公务用车购置费': [v[6], v[7]], '公务用车运行维护费': [v[8], v[9]], '公务接待费': [v[10], v[11]]}}
# catalogs: add parents
for code in list(func):
    for l in (3, 5):
        func.setdefault(code[:l], code[:l])
base = f'{out}/content'
os.makedirs(f'{base}/catalogs/{year}', exist_ok=True)
os.makedirs(f'{base}/departments/case/{year}', exist_ok=True)
json.dump({k: func[k] for k in sorted(func)}, open(f'{base}/catalogs/{year}/functional.yaml', 'w'), ensure_ascii=False, indent=1)
for l in list(econ):
    econ.setdefault(l[:3], l[:3])
json.dump({k: econ[k] for k in sorted(econ)}, open(f'{base}/catalogs/{year}/economic.yaml', 'w'), ensure_ascii=False, indent=1)
open(f'{base}/site.yaml','w').write('title: t\nregion: r\nbase_url: https://example.gov.cn/\nlanguage: zh-CN\ntheme: default\nchecks:\n  errors_stop_build: false\n')
open(f'{base}/departments/case/department.yaml','w').write(f'name: "{d["unit"]}"\nkind: 行政单位\n')
json.dump(y, open(f'{base}/departments/case/{year}/disclosure.yaml','w'), ensure_ascii=False, indent=1)
lines = []; last = None
for p in d.get('prose') or []:
    s = p.get('sentence') or p.get('text')
    if not s: continue
    if p.get('section') != last:
        last = p.get('section'); lines.append('\n## ' + (last or '') + '\n')
    lines.append(s.replace('\n', ' ') + '\n')
open(f'{base}/departments/case/{year}/explanation.md','w').write('\n'.join(lines))
