#!/usr/bin/env python3
"""Read a PostgreSQL server log and make sure no secret is in it.

The secrets are the values of the environment variables named on the
command line (secret keys, session tokens, and the contents of token files
given as @VAR).  Entries of the user mapping DDL itself (CREATE/ALTER USER
MAPPING statements, logged by log_statement = all) are left out: they are
the administrator's own words.  Prints a closing line "log secrets: N passed,
N failed" and, for a failure, the offending entries with the secret masked.

Usage: check_log_secrets.py LOGDIR VAR [@VAR ...]
"""
import os
import re
import sys


def main():
    logdir, names = sys.argv[1], sys.argv[2:]
    secrets = set()
    for name in names:
        if name.startswith("@"):
            value = open(os.environ[name[1:]]).read().strip()
        else:
            value = os.environ.get(name, "")
        if len(value) >= 8:
            secrets.add(value)
    text = ""
    for f in sorted(os.listdir(logdir)):
        text += open(os.path.join(logdir, f), errors="replace").read()
    entries = re.split(r"\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)", text)
    ddl = re.compile(r"(CREATE|ALTER)\s+USER\s+MAPPING", re.I)
    checked = bad = 0
    for entry in entries:
        if ddl.search(entry):
            continue
        checked += 1
        found = [s for s in secrets if s in entry]
        if found:
            bad += 1
            for s in found:
                entry = entry.replace(s, "<secret>")
            print("secret in log entry:", entry[:300], file=sys.stderr)
    print(f"log: {len(entries)} entries, {checked} checked for {len(secrets)} secrets")
    print(f"log secrets: {1 if checked and not bad else 0} passed, {1 if bad or not checked else 0} failed")


if __name__ == "__main__":
    main()
