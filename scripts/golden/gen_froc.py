"""Golden vectors for lesion-level FROC following the LUNA16 evaluation script
(noduleCADEvaluationLUNA16.py): the candidate cap, hit rule, duplicate and excluded-finding
handling are transcribed from its evaluateCAD(); the curve comes from its computeFROC()
(scikit-learn roc_curve), sensitivities at the seven FP rates from numpy.interp."""
import numpy as np
import sklearn.metrics as skl_metrics

from common import f, write_fixture

FP_RATES = [0.125, 0.25, 0.5, 1, 2, 4, 8]


def cap(cands, k):
    """LUNA16's maxNumberOfCADMarks filter (dict order = input order)."""
    if len(cands) <= k:
        return cands
    probs = sorted((c["p"] for c in cands), reverse=True)
    thr = probs[k]
    kept = []
    for c in cands:
        if len(kept) >= k:
            break
        if c["p"] > thr:
            kept.append(c)
    return kept


def evaluate(n_cases, lesions, cands, max_marks):
    gt, prob, exclude = [], [], []
    counts = {"detected": 0, "fp": 0, "ignored": 0, "duplicates": 0, "lesions": 0}
    for case in range(n_cases):
        candidates = cap([c for c in cands if c["case"] == case], max_marks)
        remaining = {i: c for i, c in enumerate(candidates)}
        # included findings first, then excluded, as collectNoduleAnnotations orders them
        annots = [a for a in lesions if a["case"] == case and a["kind"] == "included"] + \
                 [a for a in lesions if a["case"] == case and a["kind"] == "excluded"]
        for a in annots:
            if a["kind"] == "included":
                counts["lesions"] += 1
            x, y, z = a["center"]
            diameter = a["diameter"]
            if diameter < 0.0:
                diameter = 10.0
            radius_sq = pow(diameter / 2.0, 2.0)
            matches = []
            for key, c in enumerate(candidates):
                x2, y2, z2 = c["center"]
                dist = np.power(x - x2, 2.) + np.power(y - y2, 2.) + np.power(z - z2, 2.)
                if dist < radius_sq:
                    if a["kind"] == "included":
                        matches.append(c)
                        remaining.pop(key, None)
                    elif key in remaining:
                        counts["ignored"] += 1
                        del remaining[key]
            if len(matches) > 1:
                counts["duplicates"] += len(matches) - 1
            if a["kind"] == "included":
                if matches:
                    gt.append(1.0); prob.append(max(c["p"] for c in matches)); exclude.append(False)
                    counts["detected"] += 1
                else:
                    gt.append(1.0); prob.append(-1000000000.0); exclude.append(True)
        for c in remaining.values():
            counts["fp"] += 1
            gt.append(0.0); prob.append(c["p"]); exclude.append(False)
    return gt, prob, exclude, counts


def compute_froc(gt, prob, n_images, exclude):
    gt_local = [g for g, e in zip(gt, exclude) if not e]
    prob_local = [p for p, e in zip(prob, exclude) if not e]
    detected = sum(gt_local)
    total = sum(gt)
    n_cands = len(prob_local)
    fpr, tpr, thr = skl_metrics.roc_curve(gt_local, prob_local)
    if sum(gt) == len(gt):
        fps = np.zeros(len(fpr))
    else:
        fps = fpr * (n_cands - detected) / n_images
    sens = (tpr * detected) / total
    return fps, sens, thr


def scenario(rng, n_cases, lesions_per_case, fp_per_case, dup_rate, tie_decimals, heavy_case):
    lesions, cands = [], []
    for case in range(n_cases):
        for _ in range(rng.poisson(lesions_per_case)):
            center = rng.uniform(-150, 150, 3)
            d = float(rng.choice([rng.uniform(3, 30), -1.0], p=[0.8, 0.2]))
            kind = "included" if d > 0 and rng.random() < 0.85 else "excluded"
            lesions.append({"case": case, "center": [float(v) for v in center], "diameter": d, "kind": kind})
            eff_r = (10.0 if d < 0 else d) / 2
            if rng.random() < 0.75:
                for _ in range(1 + (rng.random() < dup_rate)):
                    off = rng.normal(0, eff_r / 2.5, 3)
                    cands.append({"case": case, "center": [float(v) for v in center + off],
                                  "p": float(np.round(rng.beta(5, 2), tie_decimals))})
        n_fp = rng.poisson(fp_per_case) + (150 if case == heavy_case else 0)
        for _ in range(n_fp):
            cands.append({"case": case, "center": [float(v) for v in rng.uniform(-150, 150, 3)],
                          "p": float(np.round(rng.beta(2, 5), tie_decimals))})
    return lesions, cands


def overlap_scenario(rng, n_cases):
    """Excluded findings that overlap included lesions and are listed before them (and
    after them), with candidates inside both, inside the excluded finding only, and
    elsewhere: the annotation order the issue found the crate sensitive to."""
    lesions, cands = [], []
    for case in range(n_cases):
        case_lesions = []
        for _ in range(1 + rng.poisson(1.0)):
            center = rng.uniform(-150, 150, 3)
            d = float(rng.uniform(4, 12))
            inc = {"case": case, "center": [float(v) for v in center], "diameter": d,
                   "kind": "included"}
            if rng.random() < 0.7:
                shift = rng.normal(0, d / 4, 3)
                exc = {"case": case, "center": [float(v) for v in center + shift],
                       "diameter": float(rng.choice([2.5 * d, -1.0])), "kind": "excluded"}
                case_lesions += [exc, inc] if rng.random() < 0.7 else [inc, exc]
                for _ in range(rng.integers(1, 4)):
                    off = rng.normal(0, 1.2 * d, 3)
                    cands.append({"case": case, "center": [float(v) for v in center + off],
                                  "p": float(np.round(rng.beta(4, 2), 3))})
            else:
                case_lesions.append(inc)
            if rng.random() < 0.75:
                off = rng.normal(0, d / 5, 3)
                cands.append({"case": case, "center": [float(v) for v in center + off],
                              "p": float(np.round(rng.beta(5, 2), 3))})
        lesions += case_lesions
        for _ in range(rng.poisson(2.0)):
            cands.append({"case": case, "center": [float(v) for v in rng.uniform(-150, 150, 3)],
                          "p": float(np.round(rng.beta(2, 5), 3))})
    return lesions, cands


def add_case(cases, name, n_cases, lesions, cands):
    gt, prob, exclude, counts = evaluate(n_cases, lesions, cands, 100)
    fps, sens, thr = compute_froc(gt, prob, n_cases, exclude)
    at = [f(np.interp(x, fps, sens)) for x in FP_RATES]
    cases.append({"name": name, "cases": n_cases, "lesions": lesions, "candidates": cands,
                  "counts": counts, "sensitivities": at, "cpm": f(np.mean(at)),
                  "curve_fps": [f(v) for v in fps], "curve_sens": [f(v) for v in sens]})


def main():
    rng = np.random.default_rng(16)
    cases = []
    specs = [("luna_like_40", 40, 1.2, 3.0, 0.3, 6, 7),
             ("ties_25", 25, 1.5, 2.0, 0.5, 1, None),
             ("sparse_60", 60, 0.4, 6.0, 0.1, 4, 59)]
    for name, n_cases, lpc, fpc, dup, dec, heavy in specs:
        lesions, cands = scenario(rng, n_cases, lpc, fpc, dup, dec, heavy)
        add_case(cases, name, n_cases, lesions, cands)
    # A separate stream, so the cases above stay as they were.
    overlap_rng = np.random.default_rng(1614)
    for name, n_cases in [("overlap_excluded_first_20", 20), ("overlap_excluded_first_8", 8)]:
        lesions, cands = overlap_scenario(overlap_rng, n_cases)
        add_case(cases, name, n_cases, lesions, cands)
    write_fixture("froc_luna16", "LUNA16 evaluation script (transcribed) + scikit-learn roc_curve "
                  "+ numpy.interp", ["scikit-learn", "numpy"],
                  "maxNumberOfCADMarks=100; hit if squared distance < (diameter/2)^2 (diameter<0 -> 10 "
                  "mm); duplicates and excluded-finding hits ignored (included lesions matched first, "
                  "whatever the annotation order); fps = fpr*(#FP)/cases, sens = "
                  "tpr*detected/lesions; sensitivity at 1/8..8 FP/case by numpy.interp; CPM their "
                  "mean. curve_* is roc_curve's (drop_intermediate=True) curve", cases)


if __name__ == "__main__":
    main()
