#!/usr/bin/env python3
"""Validates every content file of a sitegen content folder against the JSON Schemas in schemas/.

    scripts/validate-schemas.py [CONTENT_DIR] [--schemas DIR] [--verbose]

CONTENT_DIR defaults to content/ (relative to the repository). Checked:

    site.yaml                                  schemas/site.schema.json
    catalogs/<year>/functional.yaml            schemas/catalog.schema.json
    catalogs/<year>/economic.yaml              schemas/catalog.schema.json#/$defs/economic
    departments/<dept>/department.yaml         schemas/department.schema.json
    departments/<dept>/<year>/disclosure.yaml  schemas/disclosure.schema.json
    departments/<dept>/<year>/performance.yaml schemas/performance.schema.json
    departments/<dept>/<year>/reports/*.md     schemas/report-front-matter.schema.json (the front matter)

Each data file may be .yaml, .yml or .json. Problems are printed as `file:line: $.json.path: message`; the
exit status is 1 when any file fails, 2 on usage errors. The schemas describe the shape of the files;
`sitegen build` / `sitegen check` still check what a schema cannot (codes against the catalogue, sums).
"""
import argparse
import json
import os
import re
import subprocess
import sys

try:
    import yaml
    import jsonschema
except ImportError:  # install quietly, then retry
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", "jsonschema", "pyyaml"],
                   check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        import yaml
        import jsonschema
    except ImportError:
        sys.exit("validate-schemas: needs the Python packages jsonschema and pyyaml (pip install jsonschema pyyaml)")

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA_EXTENSIONS = (".yaml", ".yml", ".json")
PLAIN_INT = re.compile(r"^[-+]?[0-9]+$")


# ------------------------------------------------------------------ YAML loading

class ContentLoader(yaml.SafeLoader):
    """PyYAML's safe loader, closer to what sitegen reads.

    sitegen reads every scalar as text, so: decimals stay text ("0.50" keeps its decimals and a 5-decimal amount
    is caught by the schema's pattern), dates stay text, and only plain decimal integers become numbers
    (0x10, 1_000 and 1:30 stay text). Duplicate keys are reported rather than silently overwritten.
    """

    def __init__(self, stream):
        super().__init__(stream)
        self.duplicates = []  # (key node, key text)


def _keep_text(loader, node):
    return loader.construct_scalar(node)


def _int(loader, node):
    text = loader.construct_scalar(node)
    return int(text) if PLAIN_INT.match(text) else text


def key_text(value):
    """Mapping keys as JSON sees them: always text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _mapping(loader, node):
    loader.flatten_mapping(node)
    out = {}
    for key_node, value_node in node.value:
        key = key_text(loader.construct_object(key_node, deep=True))
        if key in out:
            loader.duplicates.append((key_node, key))
        out[key] = loader.construct_object(value_node, deep=True)
    return out


ContentLoader.add_constructor("tag:yaml.org,2002:float", _keep_text)
ContentLoader.add_constructor("tag:yaml.org,2002:timestamp", _keep_text)
ContentLoader.add_constructor("tag:yaml.org,2002:int", _int)
ContentLoader.add_constructor("tag:yaml.org,2002:map", _mapping)


class Document:
    """Parsed data plus a way to find the line of a JSON path."""

    def __init__(self, data, node=None, first_line=1):
        self.data, self.node, self.first_line = data, node, first_line

    def line_of(self, path):
        node = self.node
        if node is None:
            return None
        line = node.start_mark.line
        for step in path:
            child = None
            if isinstance(node, yaml.MappingNode) and isinstance(step, str):
                for k, v in node.value:
                    if isinstance(k, yaml.ScalarNode) and _scalar_key(k) == step:
                        child, line = v, k.start_mark.line
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
                child = node.value[step]
                line = child.start_mark.line
            if child is None:
                break
            node = child
        return line + self.first_line


def _scalar_key(node):
    text = node.value
    if node.tag == "tag:yaml.org,2002:int" and PLAIN_INT.match(text):
        return str(int(text))
    if node.tag == "tag:yaml.org,2002:null":
        return ""
    if node.tag == "tag:yaml.org,2002:bool":
        return "true" if text.lower() in ("yes", "true", "on", "y") else "false"
    return text


class LoadError(Exception):
    def __init__(self, line, message):
        super().__init__(message)
        self.line, self.message = line, message


def read_text(path):
    with open(path, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise LoadError(None, f"not UTF-8 text ({e})")
    return text.replace("\r\n", "\n")


def load_yaml(text, first_line=1):
    loader = ContentLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        raise LoadError(mark.line + first_line if mark else None, f"YAML: {e.problem or e.context}")
    except yaml.YAMLError as e:
        raise LoadError(None, f"YAML: {e}")
    finally:
        loader.dispose()
    doc = Document(data, node, first_line)
    for key_node, key in loader.duplicates:
        raise LoadError(key_node.start_mark.line + first_line, f"key '{key}' appears twice in the same mapping")
    return doc


def load_data_file(path):
    text = read_text(path)
    if path.endswith(".json"):
        try:
            # Decimals stay text, as in the YAML loader.
            return Document(json.loads(text, parse_float=lambda s: s))
        except json.JSONDecodeError as e:
            raise LoadError(e.lineno, f"JSON: {e.msg}")
    return load_yaml(text)


def load_front_matter(path):
    """The front matter of a report, read exactly as sitegen does; None when there is none."""
    text = read_text(path)
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---\n", 4)
    if end < 0:
        return None
    return load_yaml(text[4:end], first_line=2)


# ------------------------------------------------------------------ schemas and checks

def json_path(path):
    out = "$"
    for step in path:
        if isinstance(step, int):
            out += f"[{step}]"
        elif re.match(r"^[^\W\d][\w]*$", step):
            out += "." + step
        else:
            out += "[" + json.dumps(step, ensure_ascii=False) + "]"
    return out


def show(value, limit=100):
    """A value as the editor wrote it (decimals are kept as text, so they print unquoted)."""
    if value is None:
        text = "~"
    elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
        text = str(value)
    else:
        text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def expectation(schema):
    if not isinstance(schema, dict):
        return None
    return schema.get("title") or schema.get("description")


def _walk(error):
    yield error
    for sub in error.context or ():
        yield from _walk(sub)


def describe(error):
    """(path, message) for an error, in the terms of the schema's titles and descriptions where they help."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator in ("anyOf", "oneOf"):
        # A cell or row that fits none of the allowed shapes: say what was expected.
        if expectation(schema) and not isinstance(error.instance, dict):
            return error.absolute_path, f"found {show(error.instance)}; expected {expectation(schema)}"
        for sub in _walk(error):
            sub_schema = sub.schema if isinstance(sub.schema, dict) else {}
            if sub.validator in ("anyOf", "oneOf") and sub_schema.get("title") and not isinstance(sub.instance, (dict, list)):
                return sub.absolute_path, f"found {show(sub.instance)}; expected {sub_schema['title']}"
    if error.validator in ("minItems", "items") and isinstance(error.instance, list) and "prefixItems" in schema:
        return error.absolute_path, (f"found {len(error.instance)} value{'s' if len(error.instance) != 1 else ''} "
                                     f"{show(error.instance)}; expected {len(schema['prefixItems'])}")
    if error.validator == "additionalProperties" and isinstance(error.instance, dict) and schema.get("properties"):
        known = schema["properties"]
        patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
        extra = [k for k in error.instance if k not in known and not any(p.search(k) for p in patterns)]
        if extra:
            names = ", ".join(k for k in known if not (k.isdigit() and len(k) == 3))
            if any(k.isdigit() and len(k) == 3 for k in known):
                names += ", a 类 by code (\"201\") or name"
            if patterns:
                names += " (or the label as printed, or the 行次)"
            return list(error.absolute_path) + [extra[0]], f"unknown key {', '.join(extra)}; expected one of: {names}"
    if error.context:
        best = best_match([error])
        if best is not error:
            return best.absolute_path, best.message
    return error.absolute_path, error.message


def redundant_removed(errors):
    """Drops an anyOf/oneOf error when a more precise error was found at or under the same place.

    (公开09/10表 are matched against both forms with oneOf, and against the form of `form:` with if/then;
    the latter says exactly what is wrong.)
    """
    def vague(e):
        return e.validator in ("anyOf", "oneOf")
    precise = [list(e.absolute_path) for e in errors if not vague(e)]
    return [e for e in errors
            if not (vague(e) and any(p[:len(e.absolute_path)] == list(e.absolute_path) for p in precise))]


def validators(schema_dir):
    def load(name):
        with open(os.path.join(schema_dir, name), encoding="utf-8") as f:
            schema = json.load(f)
        Draft202012Validator.check_schema(schema)
        return schema

    catalog = load("catalog.schema.json")
    economic = dict(catalog["$defs"]["economic"])
    economic["$schema"] = catalog["$schema"]
    return {
        "site": Draft202012Validator(load("site.schema.json")),
        "functional": Draft202012Validator(catalog),
        "economic": Draft202012Validator(economic),
        "department": Draft202012Validator(load("department.schema.json")),
        "disclosure": Draft202012Validator(load("disclosure.schema.json")),
        "performance": Draft202012Validator(load("performance.schema.json")),
        "report": Draft202012Validator(load("report-front-matter.schema.json")),
    }


def data_file(folder, base):
    for ext in DATA_EXTENSIONS:
        p = os.path.join(folder, base + ext)
        if os.path.isfile(p):
            return p
    return None


def subdirs(folder):
    if not os.path.isdir(folder):
        return []
    return sorted(d for d in os.listdir(folder) if not d.startswith(".") and os.path.isdir(os.path.join(folder, d)))


def content_files(root):
    """(kind, path) of every file that has a schema."""
    out = []
    site = data_file(root, "site")
    if site:
        out.append(("site", site))
    for year in subdirs(os.path.join(root, "catalogs")):
        for kind in ("functional", "economic"):
            p = data_file(os.path.join(root, "catalogs", year), kind)
            if p:
                out.append((kind, p))
    for dept in subdirs(os.path.join(root, "departments")):
        ddir = os.path.join(root, "departments", dept)
        p = data_file(ddir, "department")
        if p:
            out.append(("department", p))
        for year in subdirs(ddir):
            ydir = os.path.join(ddir, year)
            for kind in ("disclosure", "performance"):
                p = data_file(ydir, kind)
                if p:
                    out.append((kind, p))
            rdir = os.path.join(ydir, "reports")
            if os.path.isdir(rdir):
                out += [("report", os.path.join(rdir, f)) for f in sorted(os.listdir(rdir)) if f.endswith(".md")]
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description="Validate sitegen content files against schemas/*.schema.json.")
    ap.add_argument("content", nargs="?", default=os.path.join(REPO, "content"), help="content folder (default: content/)")
    ap.add_argument("--schemas", default=os.path.join(REPO, "schemas"), help="schema folder (default: schemas/)")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every file checked")
    ap.add_argument("--findings", help="validate this output of `sitegen check --format json` instead of content")
    args = ap.parse_args(argv)

    if args.findings:
        import json
        import jsonschema
        with open(args.findings, encoding="utf-8") as f:
            doc = json.load(f)
        with open(os.path.join(args.schemas, "findings.schema.json"), encoding="utf-8") as f:
            schema = json.load(f)
        errors = list(jsonschema.Draft202012Validator(schema).iter_errors(doc))
        for e in errors:
            print(f"{args.findings}: {json_path(list(e.absolute_path))}: {e.message}")
        if not errors:
            print(f"{len(doc.get('findings', []))} findings valid against findings.schema.json")
        return 1 if errors else 0

    if not os.path.isdir(args.content):
        print(f"validate-schemas: content folder not found: {args.content}", file=sys.stderr)
        return 2
    checks = validators(args.schemas)
    files = content_files(args.content)
    if not files:
        print(f"validate-schemas: no content files in {args.content}", file=sys.stderr)
        return 2

    failed = 0
    problems = 0
    for kind, path in files:
        rel = os.path.relpath(path, args.content)
        try:
            doc = load_front_matter(path) if kind == "report" else load_data_file(path)
        except LoadError as e:
            print(f"{rel}:{e.line}: {e.message}" if e.line else f"{rel}: {e.message}")
            failed += 1
            problems += 1
            continue
        if doc is None:  # a report without front matter: title defaults to the file name
            if args.verbose:
                print(f"ok    {rel} (no front matter)")
            continue
        errors = redundant_removed(sorted(checks[kind].iter_errors(doc.data), key=lambda e: [str(p) for p in e.absolute_path]))
        if not errors:
            if args.verbose:
                print(f"ok    {rel}")
            continue
        failed += 1
        reports = []
        for error in errors:
            path_, message = describe(error)
            path_ = list(path_)
            line = doc.line_of(path_)
            report = (line or 0, json_path(path_), message)
            if report not in reports:
                reports.append(report)
        for line, where, message in sorted(reports, key=lambda r: r[0]):
            print(f"{rel}:{line}: {where}: {message}" if line else f"{rel}: {where}: {message}")
        problems += len(reports)

    if failed:
        print(f"\n{failed} of {len(files)} files failed ({problems} problem{'s' if problems != 1 else ''})")
        return 1
    print(f"{len(files)} files valid ({args.content})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
