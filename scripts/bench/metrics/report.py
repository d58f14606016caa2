"""Combine the outputs of scripts/bench/metrics.sh into one table: compute time, process
wall time and peak RSS of jiebang vs the reference tool, with ratios and both values."""
import json
import re
import sys


def parse(prefix):
    out = json.loads(open(prefix + ".json").read().strip().splitlines()[-1])
    timing = open(prefix + ".time").read()
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", timing).group(1))
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", timing).group(1)
    parts = [float(p) for p in wall.split(":")]
    seconds = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    out.update({"rss_mb": rss_kb / 1024, "wall_seconds": seconds})
    return out


def main(work, metrics):
    rows = []
    print(f"{'metric':6} {'side':9} {'compute s':>10} {'wall s':>8} {'peak RSS MB':>12}  value")
    for m in metrics:
        j, r = parse(f"{work}/{m}.jiebang"), parse(f"{work}/{m}.reference")
        for side, d in (("jiebang", j), ("reference", r)):
            print(f"{m:6} {side:9} {d['compute_seconds']:10.3f} {d['wall_seconds']:8.2f} {d['rss_mb']:12.1f}  {d['value']!r}")
        rel = abs(j["value"] - r["value"]) / max(abs(r["value"]), 1e-300)
        rows.append((m, r["compute_seconds"] / j["compute_seconds"], r["wall_seconds"] / j["wall_seconds"],
                     j["rss_mb"], r["rss_mb"], rel))
    print()
    print(f"{'metric':6} {'compute speedup':>16} {'wall speedup':>13} {'RSS jiebang/ref':>16} {'value rel diff':>15}")
    for m, cs, ws, jr, rr, rel in rows:
        print(f"{m:6} {cs:15.1f}x {ws:12.1f}x {jr:7.1f}/{rr:<7.1f} {rel:15.2e}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
