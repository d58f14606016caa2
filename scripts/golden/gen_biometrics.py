"""Golden vectors for biometrics: DET curve and ROC points from scikit-learn (det_curve,
roc_curve), rank-k identification rates from scikit-learn's top_k_accuracy_score, and numpy
references (written from the definitions) for EER, FNMR@FMR, FNIR@FPIR and face detection
rate with greedy IoU matching."""
import numpy as np
from sklearn.metrics import det_curve, roc_curve, top_k_accuracy_score

from common import f, write_fixture


def jnum(x):
    return "inf" if np.isinf(x) else f(x)


def eer_reference(genuine, impostor):
    y = np.r_[np.ones(len(genuine)), np.zeros(len(impostor))]
    s = np.r_[genuine, impostor]
    fpr, tpr, thr = roc_curve(y, s, drop_intermediate=False)
    fnr = 1 - tpr
    for i in range(len(fpr) - 1):
        da = fnr[i] - fpr[i]
        db = fnr[i + 1] - fpr[i + 1]
        if da == 0:
            return fpr[i]
        if db <= 0:
            t = da / (da - db)
            return fpr[i] + t * (fpr[i + 1] - fpr[i])
    raise AssertionError


def fnmr_at_fmr_reference(genuine, impostor, target):
    y = np.r_[np.ones(len(genuine)), np.zeros(len(impostor))]
    s = np.r_[genuine, impostor]
    fpr, tpr, thr = roc_curve(y, s, drop_intermediate=False)
    i = np.nonzero(fpr <= target)[0][-1]
    return thr[i], 1 - tpr[i], fpr[i]


def verification():
    rng = np.random.default_rng(19795)
    cases = []
    specs = [("normal_300x3000", rng.normal(2.0, 1.0, 300), rng.normal(0.0, 1.0, 3000)),
             ("ties_200x800", np.round(rng.normal(0.7, 0.1, 200), 2), np.round(rng.normal(0.5, 0.1, 800), 2)),
             ("separable_20x30", rng.uniform(0.6, 1.0, 20), rng.uniform(0.0, 0.5, 30)),
             ("small_5x6", np.array([0.9, 0.7, 0.7, 0.4, 0.2]), np.array([0.8, 0.7, 0.3, 0.2, 0.1, 0.05]))]
    for name, gen, imp in specs:
        y = np.r_[np.ones(len(gen)), np.zeros(len(imp))]
        s = np.r_[gen, imp]
        fmr, fnmr, thr = det_curve(y, s)
        entry = {"name": name, "genuine": [f(v) for v in gen], "impostor": [f(v) for v in imp],
                 "det": {"fmr": [f(v) for v in fmr], "fnmr": [f(v) for v in fnmr],
                         "thresholds": [jnum(v) for v in thr]},
                 "eer": f(eer_reference(gen, imp))}
        targets = []
        for t in [0.0, 0.001, 0.01, 0.1, 0.5]:
            thr_t, fnmr_t, fmr_t = fnmr_at_fmr_reference(gen, imp, t)
            targets.append({"target_fmr": t, "threshold": jnum(thr_t), "fnmr": f(fnmr_t), "fmr": f(fmr_t)})
        entry["fnmr_at_fmr"] = targets
        cases.append(entry)
    write_fixture("biometrics_verification", "scikit-learn det_curve/roc_curve; numpy (EER, "
                  "FNMR@FMR from the definitions)", ["scikit-learn", "numpy"],
                  "match if score >= threshold; DET as sklearn.metrics.det_curve (>= 1.7); EER: "
                  "first segment (by decreasing threshold) where fnmr - fmr reaches <= 0, linear "
                  "interpolation; FNMR@FMR: lowest ROC threshold with fmr <= target", cases)


def identification():
    rng = np.random.default_rng(1)
    cases = []
    for name, probes, gallery, sep in [("closed_200x50", 200, 50, 1.5), ("closed_120x8", 120, 8, 0.5)]:
        mates = rng.integers(0, gallery, probes)
        scores = rng.normal(0, 1, (probes, gallery))
        scores[np.arange(probes), mates] += sep
        rates = [f(top_k_accuracy_score(mates, scores, k=k, labels=np.arange(gallery)))
                 for k in range(1, 6)]
        cases.append({"kind": "closed", "name": name, "gallery": gallery, "mates": [int(m) for m in mates],
                      "scores": [f(v) for v in scores.ravel()], "rank_rates": rates})
    # open set: mated searches (mate score or None when off the candidate list) and
    # non-mated top scores; FNIR at the lowest threshold with FPIR <= target
    for name, m, n, dec in [("open_300x400", 300, 400, 6), ("open_ties_80x50", 80, 50, 1)]:
        mated = [None if rng.random() < 0.1 else float(np.round(rng.normal(2.0, 1.0), dec)) for _ in range(m)]
        nonmated = np.round(rng.normal(0.0, 1.0, n), dec)
        points = []
        for target in [0.0, 0.01, 0.1, 0.3, 1.0]:
            nm = np.sort(nonmated)[::-1]
            k = int(np.floor(target * n + 1))
            k = min(k, n)
            while k > 0 and k / n > target:
                k -= 1
            cands = [s for s in mated if s is not None] + list(nonmated) + [np.inf]
            if k < n:
                cands = [t for t in cands if t > nm[k]]
            thr = min(cands)
            fpir = np.mean(nonmated >= thr)
            fnir = np.mean([s is None or s < thr for s in mated])
            points.append({"target": target, "threshold": jnum(thr), "fpir": f(fpir), "fnir": f(fnir)})
        cases.append({"kind": "open", "name": name, "mated": mated, "nonmated": [f(v) for v in nonmated],
                      "points": points})
    write_fixture("biometrics_identification", "scikit-learn top_k_accuracy_score; numpy (FNIR@FPIR "
                  "from the NIST FRVT 1:N definitions)", ["scikit-learn", "numpy"],
                  "rank-k rate = fraction of probes whose mate is among the k highest scores "
                  "(continuous scores, no ties); FNIR@FPIR: lowest observed-score threshold with "
                  "FPIR <= target, FNIR = (mate off list or score < threshold)/mated", cases)


def iou(a, b):
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = w * h
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def greedy_match(faces, dets, thr, min_score):
    dets = [d for d in dets if d[4] >= min_score]
    order = sorted(range(len(dets)), key=lambda i: -dets[i][4])  # stable: ties keep input order
    taken = [False] * len(faces)
    matched = false = 0
    for i in order:
        best, best_v = None, None
        for j, face in enumerate(faces):
            if taken[j]:
                continue
            v = iou(dets[i], face)
            if v >= thr and (best_v is None or v > best_v):
                best, best_v = j, v
        if best is None:
            false += 1
        else:
            taken[best] = True
            matched += 1
    return {"faces": len(faces), "detected_faces": matched, "detections": len(dets), "false_detections": false}


def faces():
    rng = np.random.default_rng(97)
    images = []
    for _ in range(60):
        fs = []
        for _ in range(rng.integers(0, 6)):
            x, y = rng.uniform(0, 600, 2)
            w = rng.uniform(12, 120)
            fs.append([float(x), float(y), float(x + w), float(y + w * rng.uniform(1.0, 1.4))])
        ds = []
        for face in fs:
            for _ in range(rng.integers(0, 3)):
                jit = rng.normal(0, 0.12 * (face[2] - face[0]), 4)
                box = [face[0] + jit[0], face[1] + jit[1], face[2] + jit[2], face[3] + jit[3]]
                box = [min(box[0], box[2]), min(box[1], box[3]), max(box[0], box[2]), max(box[1], box[3])]
                ds.append([float(v) for v in box] + [float(np.round(rng.uniform(0.3, 1.0), 2))])
        for _ in range(rng.integers(0, 3)):
            x, y = rng.uniform(0, 600, 2)
            ds.append([float(x), float(y), float(x + 40), float(y + 50), float(np.round(rng.uniform(0, 0.8), 2))])
        images.append({"faces": fs, "detections": ds})
    cases = []
    for thr in [0.5, 0.3, 0.7]:
        for min_score in [0.0, 0.5]:
            totals = {"faces": 0, "detected_faces": 0, "detections": 0, "false_detections": 0}
            per_image = []
            for im in images:
                c = greedy_match(im["faces"], im["detections"], thr, min_score)
                per_image.append(c)
                for k in totals:
                    totals[k] += c[k]
            cases.append({"iou_threshold": thr, "min_score": min_score, "totals": totals,
                          "per_image": per_image})
    write_fixture("face_detection", "numpy reference (greedy IoU matching by descending score)",
                  ["numpy"], "boxes [x_min, y_min, x_max, y_max] (+ score for detections); "
                  "detections below min_score dropped; by descending score (stable) each detection "
                  "takes the unmatched face of highest IoU >= threshold (ties: lower index)",
                  [{"images": images, "runs": cases}])


def main():
    verification()
    identification()
    faces()


if __name__ == "__main__":
    main()
