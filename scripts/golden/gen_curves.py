"""Golden vectors for the operating curves a scorecard carries: ROC points from scikit-learn
roc_curve (drop_intermediate=True), DET points from det_curve, FROC points from roc_curve
(drop_intermediate=False) over the transcribed LUNA16 matching of gen_froc, CMC from
top_k_accuracy_score; and the thinning to at most 200 points by a plain reference
implementation of the rule in harness/metrics/src/curve.rs (written separately, O(n * kept))."""
import math

import numpy as np
from sklearn.metrics import det_curve, roc_curve, top_k_accuracy_score

import gen_froc
from common import f, write_fixture

MAX_POINTS = 200
ON_SEGMENT_SQ = 1e-18  # a point this close (squared, drawing space) lies on its segment


def drawing_axis(values, log):
    """Rule 2: log10 at the smallest positive value for a log axis, then scaled to [0, 1]."""
    positive = [v for v in values if v > 0.0]
    if log and positive:
        floor = min(positive)
        drawn = [math.log10(max(v, floor)) for v in values]
    else:
        drawn = list(values)
    lo, hi = min(drawn), max(drawn)
    rng = hi - lo
    return [(t - lo) / rng if rng > 0.0 else 0.0 for t in drawn]


def dist_sq(p, a, b):
    dx, dy = b[0] - a[0], b[1] - a[1]
    len_sq = dx * dx + dy * dy
    if len_sq > 0.0:
        s = ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len_sq
        s = min(max(s, 0.0), 1.0)
        qx, qy = a[0] + s * dx, a[1] + s * dy
    else:
        qx, qy = a[0], a[1]
    return (p[0] - qx) * (p[0] - qx) + (p[1] - qy) * (p[1] - qy)


def thin_indices(points, max_points, log_x, log_y):
    """Rule 3 by brute force: each round, scan every stretch for the farthest inner point."""
    n = len(points)
    if n <= max_points:
        return list(range(n))
    xs = drawing_axis([p[0] for p in points], log_x)
    ys = drawing_axis([p[1] for p in points], log_y)
    drawn = list(zip(xs, ys))
    kept = [0, n - 1]
    while len(kept) < max_points:
        best = None  # (distance, index)
        for i, j in zip(kept, kept[1:]):
            for k in range(i + 1, j):
                d = dist_sq(drawn[k], drawn[i], drawn[j])
                if best is None or d > best[0] or (d == best[0] and k < best[1]):
                    best = (d, k)
        if best is None or best[0] <= ON_SEGMENT_SQ:
            break
        kept = sorted(kept + [best[1]])
    return kept


def case(name, kind, points, log_x, log_y, **inputs):
    points = [(f(x), f(y)) for x, y in points]
    kept = thin_indices(points, MAX_POINTS, log_x, log_y)
    # as text (repr round-trips exactly), so that the thinning test reads the very same bits
    return dict(name=name, kind=kind, **inputs, points=[[repr(x), repr(y)] for x, y in points],
                log_x=log_x, log_y=log_y, max_points=MAX_POINTS, kept=kept)


def roc_cases(rng):
    out = []
    for name, n, prevalence, decimals in [("roc_continuous_1500", 1500, 0.3, None),
                                         ("roc_ties_2500", 2500, 0.1, 2),
                                         ("roc_small_40", 40, 0.5, None)]:
        y = rng.random(n) < prevalence
        s = rng.normal(loc=np.where(y, 1.2, 0.0), scale=1.0)
        if decimals is not None:
            s = np.round(s, decimals)
        fpr, tpr, _ = roc_curve(y, s, drop_intermediate=True)
        out.append(case(name, "roc", list(zip(fpr, tpr)), False, False,
                        scores=[f(v) for v in s], labels=[bool(v) for v in y]))
    return out


def det_cases(rng):
    out = []
    for name, g, i in [("det_normal_300x3000", 300, 3000), ("det_small_30x60", 30, 60)]:
        genuine = np.round(rng.normal(2.5, 1.0, g), 4)
        impostor = np.round(rng.normal(0.0, 1.0, i), 4)
        y = np.r_[np.ones(g, dtype=bool), np.zeros(i, dtype=bool)]
        fmr, fnmr, _ = det_curve(y, np.r_[genuine, impostor])
        out.append(case(name, "det", list(zip(fmr, fnmr)), True, True,
                        genuine=[f(v) for v in genuine], impostor=[f(v) for v in impostor]))
    return out


def froc_cases(rng):
    lesions, cands = gen_froc.scenario(rng, 100, 1.2, 4.0, 0.3, 4, 7)
    gt, prob, exclude, counts = gen_froc.evaluate(100, lesions, cands, 100)
    g = [v for v, e in zip(gt, exclude) if not e]
    p = [v for v, e in zip(prob, exclude) if not e]
    fpr, tpr, _ = roc_curve(g, p, drop_intermediate=False)
    negatives = len(g) - int(sum(g))
    detected = int(sum(g))
    # back to the integer counts, then the rates as fp / cases and tp / lesions
    fp = np.rint(fpr * negatives).astype(np.int64)
    tp = np.rint(tpr * detected).astype(np.int64)
    points = [(int(a) / 100, int(b) / counts["lesions"]) for a, b in zip(fp, tp)]
    return [case("froc_100", "froc", points, True, False, cases=100, lesions=lesions,
                 candidates=cands)]


def cmc_cases(rng):
    out = []
    for name, probes, gallery, max_rank in [("cmc_120x30", 120, 30, 15), ("cmc_50x12", 50, 12, 12)]:
        mates = rng.integers(0, gallery, probes)
        scores = rng.normal(0.0, 1.0, (probes, gallery))
        scores[np.arange(probes), mates] += 1.5
        points = [(k, top_k_accuracy_score(mates, scores, k=k, labels=np.arange(gallery)))
                  for k in range(1, max_rank + 1)]
        out.append(case(name, "cmc", points, False, False, gallery=gallery,
                        mates=[int(m) for m in mates],
                        scores=[f(v) for v in scores.ravel()], max_rank=max_rank))
    return out


def main():
    rng = np.random.default_rng(2013)
    cases = roc_cases(rng) + det_cases(rng) + froc_cases(rng) + cmc_cases(rng)
    write_fixture("curves", "scikit-learn roc_curve/det_curve/top_k_accuracy_score; LUNA16 "
                  "matching transcribed in gen_froc.py; thinning by the brute-force reference "
                  "in gen_curves.py", ["scikit-learn", "numpy"],
                  "points: ROC roc_curve(drop_intermediate=True) (fpr, tpr); DET det_curve "
                  "(fmr, fnmr), both axes log; FROC (fp/cases, tp/lesions) at every distinct "
                  "probability from roc_curve(drop_intermediate=False), x log; CMC (k, rank-k "
                  "rate) for k = 1..max_rank. kept: indices kept when thinning to max_points "
                  "(drawing space: log10 at the smallest positive value on log axes, each axis "
                  "scaled to [0, 1]; ends kept, then the farthest inner point from its segment "
                  "first, lowest index on ties, until the limit or squared distance <= 1e-18). "
                  "points are decimal strings (Python repr) so they parse to the exact bits", cases)


if __name__ == "__main__":
    main()
