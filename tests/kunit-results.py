#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn kunit.py's KernelCI JSON into "ok N name" / "not ok N name" lines,
one per test case (each parameter of a parameterised case counts)."""

import json
import sys


def leaves(group, path):
    for case in group.get("test_cases", []):
        yield path + [case["name"]], case["status"]
    for sub in group.get("sub_groups", []):
        yield from leaves(sub, path + [sub["name"]])


def main():
    with open(sys.argv[1]) as f:
        data = json.load(f)
    n = 0
    for path, status in leaves(data, []):
        n += 1
        name = ".".join(path)
        if status == "PASS":
            print(f"ok {n} {name}")
        elif status == "SKIP":
            print(f"ok {n} {name} # SKIP")
        else:
            print(f"not ok {n} {name} ({status})")
    return 0 if n else 1


if __name__ == "__main__":
    sys.exit(main())
