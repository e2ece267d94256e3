#!/usr/bin/env python3
"""Prints the SQL blocks of README.md that the tests run as written: each
```sql block right after a line <!-- run by the tests: sql/readme.sql -->,
in order, with its indentation (inside a list item) removed.

Usage: readme_sql.py README.md > FILE
"""
import re
import sys

MARK = "<!-- run by the tests: sql/readme.sql -->"


def blocks(lines):
    i = 0
    while i < len(lines):
        if lines[i].strip() == MARK:
            fence = lines[i + 1]
            indent = len(fence) - len(fence.lstrip())
            if fence.strip() != "```sql":
                sys.exit(f"line {i + 2}: a marked block must start with ```sql")
            i += 2
            body = []
            while lines[i].strip() != "```":
                body.append(lines[i][indent:] if lines[i][:indent].strip() == "" else lines[i])
                i += 1
            yield "\n".join(body)
        i += 1


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        lines = f.read().split("\n")
    found = list(blocks(lines))
    if not found:
        sys.exit("no marked SQL block in " + sys.argv[1])
    for b in found:
        print(re.sub(r"\s+$", "", b, flags=re.M))


if __name__ == "__main__":
    main()
