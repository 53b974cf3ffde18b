#!/usr/bin/env python3
"""count-results.py LOG: read test_progs output and print one line per
result unit (a subtest, or a test without subtests), then a last line
"PASSED FAILED SKIPPED". A run that never printed its Summary line (crash,
timeout) counts as one more failure."""
import re
import sys

SUB = re.compile(r"^#(\d+)/(\d+)\s+(.+?):(OK|FAIL|SKIP)\s*$")
TEST = re.compile(r"^#(\d+)\s+(.+?):(OK|FAIL|SKIP)\b(.*)$")

units = {}        # test number -> list of (name, verdict)
tests = {}        # test number -> (name, verdict)
summary = False
with open(sys.argv[1], errors="replace") as f:
    for line in f:
        line = line.rstrip("\n")
        m = SUB.match(line)
        if m:
            units.setdefault(m[1], []).append((m[3], m[4]))
            continue
        m = TEST.match(line)
        if m:
            tests[m[1]] = (m[2], m[3])
            continue
        if line.startswith("Summary:"):
            summary = True

counts = {"OK": 0, "FAIL": 0, "SKIP": 0}
for num, (name, verdict) in tests.items():
    subs = units.get(num)
    if subs:
        # Subtest lines appear twice when a failure log is re-printed.
        for sub, v in dict(subs).items():
            counts[v] += 1
            print(f"{v:4} {sub}")
        if verdict == "FAIL" and all(v != "FAIL" for _, v in subs):
            counts["FAIL"] += 1
            print(f"FAIL {name} (outside its subtests)")
    else:
        counts[verdict] += 1
        print(f"{verdict:4} {name}")
if not summary:
    counts["FAIL"] += 1
    print("FAIL test_progs did not finish (no Summary line)")
print(counts["OK"], counts["FAIL"], counts["SKIP"])
