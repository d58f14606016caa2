"""Golden vectors for case-level detection: ROC curve, AUC, confusion rates (scikit-learn),
threshold targets (numpy over scikit-learn's curve) and DeLong's AUC interval (the 1988
definition written out pairwise in numpy, O(m*n))."""
import numpy as np
from scipy import special, stats
from sklearn.metrics import (confusion_matrix, precision_score, recall_score, roc_auc_score,
                             roc_curve)

from common import f, write_fixture


def datasets():
    rng = np.random.default_rng(20201)
    out = []
    # continuous scores, 300 cases
    y = rng.random(300) < 0.3
    s = rng.normal(loc=np.where(y, 1.0, 0.0), scale=1.0)
    out.append(("continuous_300", s, y))
    # heavy ties: scores rounded to one decimal, 400 cases
    y = rng.random(400) < 0.5
    s = np.round(rng.normal(loc=np.where(y, 0.6, 0.4), scale=0.15), 1)
    out.append(("ties_400", s, y))
    # tiny, hand-sized
    out.append(("small_10", np.array([0.9, 0.8, 0.8, 0.7, 0.6, 0.55, 0.5, 0.5, 0.3, 0.1]),
                np.array([1, 1, 0, 1, 0, 1, 0, 0, 1, 0], dtype=bool)))
    # imbalanced, integer-valued scores (as from a 5-point reader scale), 2000 cases
    y = rng.random(2000) < 0.05
    s = np.clip(np.round(rng.normal(loc=np.where(y, 3.5, 2.0), scale=1.0)), 1, 5)
    out.append(("reader_scale_2000", s, y))
    # near AUC = 1 (binormal, true AUC 0.961), 30 + 70 cases: where the logit interval matters
    near = np.random.default_rng(20261)
    y = np.arange(100) < 30
    s = near.normal(loc=np.where(y, np.sqrt(2) * stats.norm.ppf(0.961), 0.0), scale=1.0)
    out.append(("near_one_100", s, y))
    return out


def delong(scores, labels, confidence):
    x = scores[labels]
    yv = scores[~labels]
    psi = (x[:, None] > yv[None, :]).astype(float) + 0.5 * (x[:, None] == yv[None, :])
    v10 = psi.mean(axis=1)
    v01 = psi.mean(axis=0)
    auc = v10.mean()
    var = v10.var(ddof=1) / len(x) + v01.var(ddof=1) / len(yv)
    z = stats.norm.ppf(1 - (1 - confidence) / 2)
    return auc, var, max(0.0, auc - z * np.sqrt(var)), min(1.0, auc + z * np.sqrt(var))


def logit_delong(auc, var, confidence):
    """Logit-transformed DeLong interval: logistic(logit(AUC) +- z * SE / (AUC (1 - AUC)))."""
    z = stats.norm.ppf(1 - (1 - confidence) / 2)
    logit = np.log(auc / (1 - auc))
    half = z * np.sqrt(var) / (auc * (1 - auc))
    return float(special.expit(logit - half)), float(special.expit(logit + half))


def jnum(x):
    return "inf" if np.isinf(x) else f(x)


def main():
    cases = []
    for name, s, y in datasets():
        case = {"name": name, "scores": [f(v) for v in s], "labels": [bool(v) for v in y]}
        for drop in [False, True]:
            fpr, tpr, thr = roc_curve(y, s, drop_intermediate=drop)
            case["roc_drop" if drop else "roc_full"] = {
                "fpr": [f(v) for v in fpr], "tpr": [f(v) for v in tpr],
                "thresholds": [jnum(v) for v in thr]}
        case["auc"] = f(roc_auc_score(y, s))
        # confusion rates at a few thresholds (score >= t is positive)
        ops = []
        for t in sorted(set(np.quantile(s, [0.2, 0.5, 0.8]).tolist())):
            pred = s >= t
            tn, fp, fn, tp = confusion_matrix(y, pred, labels=[False, True]).ravel()
            ops.append({"threshold": f(t), "tp": int(tp), "fp": int(fp), "tn": int(tn), "fn": int(fn),
                        "sensitivity": f(recall_score(y, pred)),
                        "specificity": f(recall_score(~y, ~pred)),
                        "ppv": f(precision_score(y, pred, zero_division=np.nan))})
        case["operating_points"] = ops
        # threshold targets on the full curve
        fpr, tpr, thr = roc_curve(y, s, drop_intermediate=False)
        targets = []
        for t in [0.5, 0.9, 0.95]:
            idx = np.nonzero((tpr >= t) & np.isfinite(thr))[0][0]
            targets.append({"kind": "min_sensitivity", "target": t, "threshold": f(thr[idx]),
                            "tpr": f(tpr[idx]), "fpr": f(fpr[idx])})
        for t in [0.0, 0.05, 0.2]:
            idx = np.nonzero(fpr <= t)[0][-1]
            targets.append({"kind": "max_fpr", "target": t, "threshold": jnum(thr[idx]),
                            "tpr": f(tpr[idx]), "fpr": f(fpr[idx])})
        case["targets"] = targets
        auc, var, lo, hi = delong(s, y, 0.95)
        case["delong"] = {"auc": f(auc), "variance": f(var), "lo": f(lo), "hi": f(hi)}
        for conf in [0.95, 0.99]:
            llo, lhi = logit_delong(auc, var, conf)
            case["delong"][f"logit_{round(conf * 100)}"] = {"lo": f(llo), "hi": f(lhi)}
        cases.append(case)
    write_fixture("detection", "scikit-learn roc_curve/roc_auc_score/confusion_matrix; numpy "
                  "(DeLong 1988 pairwise definition)", ["scikit-learn", "numpy", "scipy"],
                  "score >= threshold is positive; roc_curve with drop_intermediate False/True; "
                  "min_sensitivity = first point of the full curve with tpr >= target and a finite "
                  "threshold; max_fpr = last point with fpr <= target; DeLong variance "
                  "S10/m + S01/n with ddof=1 placement-value variances, 95% normal interval "
                  "clipped to [0, 1]; logit_95/logit_99 = scipy.special.expit(logit(AUC) +- "
                  "z * sqrt(variance) / (AUC (1 - AUC)))", cases)


if __name__ == "__main__":
    main()
