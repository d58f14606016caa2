"""Derives the verdict guard's refusal regions (REFUSALS in harness/core/src/verdict/refusals.rs) from
docs/statistics/coverage.csv; prints the Rust entries to paste there. Python 3, no packages.

Per method family and true value t with a cell under 94%: sizes below the smallest grid size,
above every failing one, at which t's cells pass (none when the largest simulated size fails:
every size); values from the midpoint towards the next lower grid value to the midpoint towards
the next higher one (the ends open), mirrored at 0.5 for the AUC. AUC rules twice: by all cases
(`n`, for cards that do not give the smaller class) and by the smaller class
(`n_smaller_class`). `--markdown` prints the table for docs/STATISTICS.md instead. The refusals of the first table (LEGACY in verdict/refusals.rs) stay as they
were, so the guard never refuses less than it did. Usage: python3 refusals.py [--markdown] [coverage.csv]
"""
import csv
import sys

FAMILIES = ["delong", "delong-logit", "bootstrap-percentile", "bootstrap-bca"]


def size_keys(row):
    n = int(row["n"])
    if "+" in row["design"]:
        a, b = (int(x) for x in row["design"].split("+"))
        return {"All": n, "SmallerClass": min(a, b)}
    return {"All": n}


def fmt(x):
    if x == float("inf"):
        return "f64::INFINITY"
    if x == float("-inf"):
        return "f64::NEG_INFINITY"
    s = repr(round(x, 6))
    return s if "." in s else s + ".0"


def main(path, markdown):
    rows = list(csv.DictReader(open(path)))
    out = []
    table = ["| method | size counted | true value (band) | refused at | failing cells (worst; largest failing size) |", "|---|---|---|---|---|"]
    for fam in FAMILIES:
        cells = [r for r in rows if r["method"] == fam]
        auc = any("+" in r["design"] for r in cells)
        truths = sorted({float(r["true_value"]) for r in cells})
        for size in (["All", "SmallerClass"] if auc else ["All"]):
            for i, t in enumerate(truths):
                at = [r for r in cells if float(r["true_value"]) == t]
                failing = [r for r in at if float(r["coverage"]) < 0.94]
                if not failing:
                    continue
                worst = min(float(r["coverage"]) for r in failing)
                m = max(size_keys(r)[size] for r in failing)
                above = sorted(size_keys(r)[size] for r in at if size_keys(r)[size] > m)
                below = f"Some({above[0]})" if above else "None"
                if auc:
                    prev = truths[i - 1] if i > 0 else 1.0 - t
                    nxt = truths[i + 1] if i + 1 < len(truths) else None
                    lo = (prev + t) / 2
                    hi = (t + nxt) / 2 if nxt is not None else 1.0
                    bands = [(lo, hi), (1.0 - hi, 1.0 - lo)]
                else:
                    lo = (truths[i - 1] + t) / 2 if i > 0 else float("-inf")
                    hi = (t + truths[i + 1]) / 2 if i + 1 < len(truths) else float("inf")
                    bands = [(lo, hi)]
                size_name = {"All": "n", "SmallerClass": "smaller class"}[size]
                if auc and size == "All":
                    size_name = "n (no smaller class given)"
                band = f"{t} ({fmt(bands[0][0])} – {fmt(bands[0][1])}" + (", mirrored)" if auc else ")")
                band = band.replace("f64::NEG_INFINITY", "−∞").replace("f64::INFINITY", "∞")
                at_size = f"{size_name.split(' ')[0] if size != 'SmallerClass' else 'smaller class'} < {above[0]}" if above else "**every size**"
                table.append(f"| `{fam}` | {size_name} | {band} | {at_size} | down to {100 * worst:.1f}%; up to {size_name.split(' (')[0]} {m} |")
                for k, (lo, hi) in enumerate(bands):
                    mirror = ", mirrored" if k else ""
                    where = "smaller class" if size == "SmallerClass" else "n"
                    kind = "AllWithoutSmaller" if auc and size == "All" else size
                    out.append(
                        f"    Refusal {{ family: \"{fam}\", size: Size::{kind}, below: {below}, "
                        f"lo: {fmt(lo)}, hi: {fmt(hi)}, why: \"true value {t}: down to "
                        f"{100 * worst:.1f}% up to {where} {m}{mirror}\" }},"
                    )
    print("\n".join(table if markdown else out))


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--markdown"]
    main(args[0] if args else "docs/statistics/coverage.csv", "--markdown" in sys.argv[1:])
