#!/usr/bin/env python3
"""report.py APPS_CSV: the applications table (markdown) from
guest-apps.sh's runs: per program, whether every run checked out in both
modes, the pairs, ring and TCP-while-paired bytes of a spliced run
(medians), the median seconds of a run off and on, and the speed-up."""
import csv
import statistics
import sys

IO = {
    "nginx": "nginx + curl: epoll, sendfile()",
    "redis": "redis + redis-cli/-benchmark: single-thread epoll",
    "memcached": "memcached + memccp/memccat: worker threads",
    "rsync": "rsync daemon + rsync: process a client, blocking",
    "socat": "socat fork + socat: blocking, echo via cat",
}

runs = {}
with open(sys.argv[1]) as f:
    for r in csv.DictReader(f):
        runs.setdefault(r["app"], {}).setdefault(r["mode"], []).append(r)

print("| program (I/O model) | correct (runs) | pairs / run | ring bytes / run "
      "| TCP bytes while paired / run | s / run, off | s / run, on | speed-up |")
print("|---|---|---|---|---|---|---|---|")
for app, modes in runs.items():
    every = modes.get("tcp", []) + modes.get("splice", [])
    bad = [r["ok"] for r in every if r["ok"] != "ok"]
    on = modes.get("splice", [])
    med = lambda rs, k: statistics.median(float(r[k]) for r in rs) if rs else 0
    off_s, on_s = med(modes.get("tcp", []), "seconds"), med(on, "seconds")
    print(f"| {IO.get(app, app)} | "
          f"{'yes' if not bad else 'NO: ' + '; '.join(sorted(set(bad)))} ({len(every)}) | "
          f"{med(on, 'paired'):g} | {med(on, 'ring_bytes'):,.0f} | "
          f"{med(on, 'tcp_bytes'):,.0f} | {off_s:.2f} | {on_s:.2f} | "
          f"{off_s / on_s if on_s else 0:.2f}x |")
