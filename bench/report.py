#!/usr/bin/env python3
"""report.py DIR: turn DIR/bench.csv (guest-bench.sh) and DIR/host.csv
(the calibration run on the host) into the table on stdout, DIR/bench.json
(medians, spreads and every run) and DIR/bench.png (ratios to TCP against
message size, one panel per workload)."""
import csv
import json
import statistics
import sys
from collections import defaultdict

NAMES = {"tcp": "TCP", "idle": "TCP+prog", "splice": "splice",
         "busy": "splice+bp", "unix": "AF_UNIX", "redir": "sk_msg redir",
         "smc": "SMC-D"}
WORKLOADS = ["rr", "stream", "self"]
ORDER = ["tcp", "idle", "splice", "busy", "redir", "smc", "unix"]


def load(path):
    runs = defaultdict(list)
    failed = []
    with open(path) as f:
        for topo, var, wl, size, nodelay, rep, value in csv.reader(f):
            key = (topo, var, wl, int(size), int(nodelay))
            if value == "fail":
                failed.append(key)
                continue
            runs[key].append(float(value))
    return runs, failed


def summary(values):
    med = statistics.median(values)
    spread = max(abs(v - med) for v in values) / med * 100 if med else 0
    return med, spread


def workload_name(wl, size, nodelay):
    if wl == "rr":
        return f"RR {size} B"
    if wl == "self":
        return f"1 thread {size} B"
    return f"STREAM {size} B" + (" nodelay" if nodelay else "")


def fmt(v, wl):
    if wl == "stream":
        return f"{v:.0f} Mb/s"
    return f"{v / 1000:.1f}k/s"


# Memory workloads: what memory.current grew by per connection, right
# after the round trips and once the connections were idle for 3 s.
MEM = {"mem": "two round trips of SIZE, all read",
       "memidle": "the same, then 3 s idle"}


def memory(w, when, med, runs, result):
    mem = sorted({k[3] for k in med if k[2] == w})
    if not mem:
        return
    print("\n### Memory per connection, both ends (memory.current of the "
          f"cgroup; 400 connections, {when})\n")
    print("| size | TCP | splice | AF_UNIX | splice - TCP |")
    print("|---|---|---|---|---|")
    for size in mem:
        row = [f"{size} B"]
        for v in ("tcp", "splice", "unix"):
            m = med.get(("lo4", v, w, size, 0))
            row.append(f"{m[0] / 1024:.1f} KiB ±{m[1]:.0f}%" if m else "-")
        t = med.get(("lo4", "tcp", w, size, 0))
        sp = med.get(("lo4", "splice", w, size, 0))
        row.append(f"{(sp[0] - t[0]) / 1024:+.1f} KiB" if t and sp else "-")
        print("| " + " | ".join(row) + " |")
        for v in ("tcp", "splice", "unix"):
            m = med.get(("lo4", v, w, size, 0))
            if m:
                result["medians"].append({
                    "topo": "lo4", "variant": v, "workload": w,
                    "size": size, "nodelay": 0, "median": m[0],
                    "spread_pct": m[1], "runs": runs[("lo4", v, w, size, 0)]})


def main():
    out = sys.argv[1]
    runs, failed = load(f"{out}/bench.csv")
    med = {k: summary(v) for k, v in runs.items()}
    topos = sorted({k[0] for k in med if k[1] != "pipe"},
                   key=["lo4", "lo6", "veth"].index)
    result = {"medians": [], "failed": [list(k) for k in failed]}
    for topo in topos:
        keys = sorted({k[2:] for k in med if k[0] == topo and
                       k[1] != "pipe" and k[2] not in MEM},
                      key=lambda k: (WORKLOADS.index(k[0]), k[1], k[2]))
        print(f"\n### {topo}: medians of {len(next(iter(runs.values())))}"
              " runs (± = largest deviation from the median)\n")
        cols = [v for v in ORDER if any((topo, v) + k in med for k in keys)]
        print("| workload | " + " | ".join(NAMES[v] for v in cols) +
              " | splice/TCP | splice/UNIX | bp/TCP | redir/TCP | prog/TCP |"
              " splice/SMC-D |")
        print("|---" * (len(cols) + 7) + "|")
        for k in keys:
            row = [workload_name(*k)]
            for v in cols:
                m = med.get((topo, v) + k)
                row.append(f"{fmt(m[0], k[0])} ±{m[1]:.0f}%" if m else "-")

            def ratio(a, b):
                ma = med.get((topo, a) + k)
                # AF_UNIX does not depend on the topology: lo4's serves all
                mb = med.get((topo, b) + k)
                if not mb and b == "unix":
                    mb = med.get(("lo4", b) + k)
                return f"{ma[0] / mb[0]:.2f}x" if ma and mb else "-"
            row += [ratio("splice", "tcp"), ratio("splice", "unix"),
                    ratio("busy", "tcp"), ratio("redir", "tcp"),
                    ratio("idle", "tcp"), ratio("splice", "smc")]
            print("| " + " | ".join(row) + " |")
            for v in cols:
                m = med.get((topo, v) + k)
                if m:
                    result["medians"].append({
                        "topo": topo, "variant": v, "workload": k[0],
                        "size": k[1], "nodelay": k[2], "median": m[0],
                        "spread_pct": m[1], "runs": runs[(topo, v) + k]})
    if any(k[2] == "self" for k in med):
        print("\n1 thread SIZE: one process writes SIZE bytes on one end and "
              "reads them on the other, again and again (write+read pairs/s):"
              " the send and receive paths without a wake-up or a context "
              "switch.")
    for w, when in MEM.items():
        memory(w, when, med, runs, result)
    pipe = med.get(("lo4", "pipe", "rr", 4, 0))
    tcp14 = med.get(("lo4", "tcp", "rr", 14, 1))
    unix14 = med.get(("lo4", "unix", "rr", 14, 1))
    print("\n### Calibration (RR 14 B, round trips/s; TCG slows every "
          "variant, not by the same factor)\n")
    print("| | TCP | AF_UNIX | pipe | AF_UNIX/TCP | pipe/TCP |")
    print("|---|---|---|---|---|---|")
    cal = {}
    if pipe and tcp14 and unix14:
        cal["guest"] = (tcp14[0], unix14[0], pipe[0])
    try:
        with open(f"{out}/host.csv") as f:
            h = {r[0]: float(r[1]) for r in csv.reader(f)}
        cal["host"] = (h["tcp"], h["unix"], h["pipe"])
    except (OSError, KeyError, ValueError):
        pass
    for where, (t, u, p) in cal.items():
        print(f"| {where} | {t / 1000:.1f}k | {u / 1000:.1f}k | "
              f"{p / 1000:.1f}k | {u / t:.2f}x | {p / t:.2f}x |")
    result["calibration"] = cal
    copies, fsrm = {}, False
    for where, path in (("guest", f"{out}/copy.csv"),
                        ("host", f"{out}/host.csv")):
        try:
            with open(path) as f:
                c = {r[0]: float(r[1]) for r in csv.reader(f)}
            copies[where] = (c["movsb"], c["movsq"])
            if where == "guest":
                fsrm = c.get("fsrm", 0) > 0
        except (OSError, KeyError, ValueError):
            pass
    if copies:
        print("\n### Copies (4 KB, ns per byte: the kernel copies user data "
              "by rep movsb where the CPU has FSRM)\n")
        print("| | rep movsb | rep movsq | movsb/movsq |")
        print("|---|---|---|---|")
        for where, (b, q) in copies.items():
            print(f"| {where} | {b:.3f} | {q:.3f} | {b / q:.1f}x |")
        if "guest" in copies:
            print("\nThe guest's CPU " + ("has FSRM: its kernel copied by rep "
                  "movsb." if fsrm else "has no FSRM: its kernel copied by "
                  "rep_movs_alternative (rep movsb with ERMS, else rep "
                  "movsq)."))
    result["copies_ns_per_byte"] = copies
    try:
        with open(f"{out}/clocksource") as f:
            cs = f.read().strip()
        result["clocksource"] = cs
        print(f"\nGuest clocksource: {cs}" +
              ("" if cs in ("tsc", "kvm-clock") else
               " (WARNING: coarse; the figures are not comparable with "
               "runs on tsc)"))
    except OSError:
        pass
    if failed:
        print(f"\n{len(failed)} runs FAILED: {sorted(set(failed))}")
    with open(f"{out}/bench.json", "w") as f:
        json.dump(result, f, indent=1)
    plot(med, topos, f"{out}/bench.png")
    return 1 if failed else 0


def plot(med, topos, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("no matplotlib: no plot")
        return
    panels = [("rr", 1), ("stream", 1), ("stream", 0), ("self", 0)]
    fig, axes = plt.subplots(len(topos), len(panels), squeeze=False,
                             figsize=(5 * len(panels), 3.5 * len(topos)))
    for i, topo in enumerate(topos):
        for j, (wl, nd) in enumerate(panels):
            ax = axes[i][j]
            drawn = False
            for v in ORDER[1:]:
                pts = sorted((k[3], m[0] / med[(topo, "tcp") + k[2:]][0])
                             for k, m in med.items()
                             if k[:3] == (topo, v, wl) and k[4] == nd and
                             (topo, "tcp") + k[2:] in med)
                if pts:
                    ax.plot(*zip(*pts), marker="o", label=NAMES[v])
                    drawn = True
            if not drawn:
                # a workload this topology does not run (1 thread: lo4)
                ax.axis("off")
                continue
            ax.axhline(1, color="grey", lw=0.5)
            ax.set_xscale("log", base=2)
            ax.set_title(f"{topo}: {workload_name(wl, 0, nd).replace(' 0 B', '')}")
            ax.set_xlabel("message size (bytes)")
            ax.set_ylabel("x TCP")
            ax.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=80)


if __name__ == "__main__":
    sys.exit(main())
