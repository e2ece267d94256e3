#!/usr/bin/env python3
"""Prints the SQL blocks of README.md that a test runs as written: each
```sql block right after a line such as

    <!-- run by the tests: sql/readme.sql -->
    <!-- run by the tests: sql/readme.sql, sql/readonly.sql -->
    <!-- run by the tests: sql/readme.sql; output not compared -->
    <!-- run by the tests: sql/readme.sql; then :readme_local_s3 -->

that names the test, in order, with its indentation (inside a list item)
removed.  After "run by the tests:" come the tests that run the block
(comma-separated), then, after semicolons, what else the test does with it:

  output not compared   the block's output goes to /dev/null (it holds
                        times, dates or signatures); its errors still show
  then :NAME            after the block, the SQL in the psql variable NAME
                        runs, when the test set it (e.g. to point the
                        server the README created at the local S3)

Usage: readme_sql.py README.md [TEST]     (TEST defaults to sql/readme.sql)
"""
import re
import sys

PREFIX = "<!-- run by the tests:"


def parse_mark(line):
    """(tests, flags) of a mark line, or None."""
    s = line.strip()
    if not (s.startswith(PREFIX) and s.endswith("-->")):
        return None
    parts = [p.strip() for p in s[len(PREFIX):-3].split(";")]
    tests = [t.strip() for t in parts[0].split(",") if t.strip()]
    return tests, [p for p in parts[1:] if p]


def blocks(lines, test):
    i = 0
    while i < len(lines):
        mark = parse_mark(lines[i])
        if mark is None:
            i += 1
            continue
        tests, flags = mark
        fence = lines[i + 1]
        indent = len(fence) - len(fence.lstrip())
        if fence.strip() != "```sql":
            sys.exit(f"line {i + 2}: a marked block must start with ```sql")
        for f in flags:
            if f != "output not compared" and not re.fullmatch(r"then :[A-Za-z_][A-Za-z0-9_]*", f):
                sys.exit(f"line {i + 1}: unknown flag {f!r}")
        i += 2
        body = []
        while lines[i].strip() != "```":
            body.append(lines[i][indent:] if lines[i][:indent].strip() == "" else lines[i])
            i += 1
        if test in tests:
            quiet = "output not compared" in flags
            text = "\n".join(body)
            if quiet:
                text = "\\o /dev/null\n" + text + "\n\\o"
            for f in flags:
                if f.startswith("then :"):
                    name = f[len("then :"):]
                    text += f"\n\\if :{{?{name}}}\n:{name}\n\\endif"
            yield text
        i += 1


def main():
    test = sys.argv[2] if len(sys.argv) > 2 else "sql/readme.sql"
    with open(sys.argv[1], encoding="utf-8") as f:
        lines = f.read().split("\n")
    found = list(blocks(lines, test))
    if not found:
        sys.exit(f"no SQL block of {sys.argv[1]} is marked as run by {test}")
    for b in found:
        print(re.sub(r"\s+$", "", b, flags=re.M))


if __name__ == "__main__":
    main()
