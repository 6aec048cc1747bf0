#!/usr/bin/env python3
"""Swift functions longer than 100 lines and source files longer than 500 lines.

Usage: scripts/long-functions.py [--function-lines N] [--file-lines N] [PATH ...]
(default: Sources/ of the repository). Prints one line per finding, compiler style
(`path:line: func name is N lines; at most 100`), and exits 1 when there is any, 0 otherwise.

A function is a `func`, `init`, `deinit` or `subscript` with a body; its length is counted from
the line of its keyword to the line of its closing brace. Bodies are found by matching braces
after comments and string literals (with their interpolations) are blanked out, so braces in
text do not count. Nested functions count on their own, and inside the function around them.
Closures and computed properties are not functions here.
"""
import argparse
import os
import re
import sys

KEYWORD = re.compile(r"\b(func\s+(?:[A-Za-z_][A-Za-z0-9_]*|`[^`]+`|[^\sA-Za-z0-9_(<]+)|init\b[?!]?|deinit\b|subscript\b)")


def blank(text):
    """The text with comments and string literals replaced by spaces (newlines kept), so that
    only code is left to match braces in. Interpolations in strings are kept as code."""
    out = list(text)
    n = len(text)
    i = 0
    # Each open string: (delimiter, raw hashes, paren depth of the interpolation being read or None).
    stack = []

    def wipe(a, b):
        for k in range(a, b):
            if out[k] != "\n":
                out[k] = " "

    def read_string(i):
        """i at the opening quote(s) (after any #s); returns the index after the string."""
        hashes = 0
        j = i
        while j > 0 and text[j - 1] == "#":
            hashes += 1
            j -= 1
        start = j
        multi = text.startswith('"""', i)
        quote = '"""' if multi else '"'
        k = i + len(quote)
        close = quote + "#" * hashes
        escape = "\\" + "#" * hashes
        while k < n:
            if text.startswith(escape + "(", k):
                # Interpolation: code up to the matching parenthesis (it may hold strings itself).
                wipe(start, k + len(escape) + 1)
                k = read_code(k + len(escape) + 1, until_paren=True)
                start = k
                continue
            if text.startswith(escape, k):
                k += len(escape) + 1
                continue
            if text.startswith(close, k):
                k += len(close)
                wipe(start, k)
                return k
            if not multi and text[k] == "\n":
                break  # unterminated: stop at the end of the line
            k += 1
        wipe(start, min(k, n))
        return k

    def read_code(i, until_paren=False):
        depth = 0
        while i < n:
            c = text[i]
            if text.startswith("//", i):
                j = text.find("\n", i)
                j = n if j < 0 else j
                wipe(i, j)
                i = j
                continue
            if text.startswith("/*", i):
                level, j = 1, i + 2
                while j < n and level:
                    if text.startswith("/*", j):
                        level, j = level + 1, j + 2
                    elif text.startswith("*/", j):
                        level, j = level - 1, j + 2
                    else:
                        j += 1
                wipe(i, j)
                i = j
                continue
            if c == '"':
                i = read_string(i)
                continue
            if c == "#":
                j = i
                while j < n and text[j] == "#":
                    j += 1
                if j < n and text[j] == '"':
                    i = read_string(j)
                    continue
            if until_paren:
                if c == "(":
                    depth += 1
                elif c == ")":
                    if depth == 0:
                        return i + 1
                    depth -= 1
            i += 1
        return i

    read_code(0)
    return "".join(out)


def functions(code):
    """(name, first line, last line) of every function with a body in blanked code."""
    line_starts = [0]
    for m in re.finditer("\n", code):
        line_starts.append(m.end())

    def line_of(pos):
        lo, hi = 0, len(line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if line_starts[mid] <= pos:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1

    # The matching brace of every {.
    match = {}
    opened = []
    for i, c in enumerate(code):
        if c == "{":
            opened.append(i)
        elif c == "}" and opened:
            match[opened.pop()] = i

    found = []
    for m in KEYWORD.finditer(code):
        name = m.group(1).split()[-1] if m.group(1).startswith("func") else m.group(1)
        # The body: the first { at bracket depth 0 after the signature. A declaration without one
        # (a protocol requirement) ends at a } or at the next declaration keyword.
        depth = 0
        i = m.end()
        body = None
        while i < len(code):
            c = code[i]
            if c in "([":
                depth += 1
            elif c in ")]":
                depth -= 1
            elif depth == 0 and c == "{":
                body = i
                break
            elif depth == 0 and c == "}":
                break
            elif depth == 0 and re.match(r"\b(func|var|let|init|case|subscript|deinit|typealias|associatedtype)\b", code[i:i + 16]) \
                    and not code[i - 1].isalnum() and code[i - 1] != "_":
                break
            i += 1
        if body is None or body not in match:
            continue
        found.append((name, line_of(m.start()), line_of(match[body])))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--function-lines", type=int, default=100)
    parser.add_argument("--file-lines", type=int, default=500)
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    paths = args.paths or [os.path.join(root, "Sources")]
    files = []
    for p in paths:
        if os.path.isfile(p):
            files.append(p)
        for folder, dirs, names in os.walk(p):
            dirs.sort()
            files += [os.path.join(folder, f) for f in sorted(names) if f.endswith(".swift")]
    findings = 0
    for path in files:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        shown = os.path.relpath(path)
        lines = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
        if lines > args.file_lines:
            print(f"{shown}: the file is {lines} lines; at most {args.file_lines}")
            findings += 1
        for name, first, last in functions(blank(text)):
            length = last - first + 1
            if length > args.function_lines:
                print(f"{shown}:{first}: {name} is {length} lines; at most {args.function_lines}")
                findings += 1
    if findings:
        print(f"{findings} over the limits", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
