//! Golden tests: DET and identification rates vs scikit-learn; EER, FNMR@FMR, FNIR@FPIR and
//! face detection matching vs numpy references (fixtures from scripts/golden/gen_biometrics.py).

mod common;
use common::{assert_close, cases, num, nums};
use jiebang_metrics::biometrics::{
    BoundingBox, Detection, det_curve, eer, fnir_at_fpir, fnmr_at_fmr, identification_ranks,
    match_detections, rank_k_rate,
};
use serde_json::Value;

fn threshold_value(v: &Value) -> f64 {
    if v.as_str() == Some("inf") {
        f64::INFINITY
    } else {
        v.as_f64().expect("threshold")
    }
}

#[test]
fn verification_matches_sklearn_and_reference() {
    for c in cases("biometrics_verification") {
        let name = c["name"].as_str().unwrap();
        let (genuine, imp) = (nums(&c, "genuine"), nums(&c, "impostor"));
        let det = det_curve(&genuine, &imp).unwrap();
        let want = &c["det"];
        let (fmr, fnmr) = (nums(want, "fmr"), nums(want, "fnmr"));
        let thr: Vec<f64> = want["thresholds"]
            .as_array()
            .unwrap()
            .iter()
            .map(threshold_value)
            .collect();
        assert_eq!(det.len(), fmr.len(), "{name}: DET length");
        for (i, p) in det.iter().enumerate() {
            assert_close(p.fmr, fmr[i], &format!("{name} DET {i} fmr"));
            assert_close(p.fnmr, fnmr[i], &format!("{name} DET {i} fnmr"));
            assert_eq!(p.threshold, thr[i], "{name} DET {i} threshold");
        }
        assert_close(
            eer(&genuine, &imp).unwrap().rate,
            num(&c, "eer"),
            &format!("{name} EER"),
        );
        for t in c["fnmr_at_fmr"].as_array().unwrap() {
            let r = fnmr_at_fmr(&genuine, &imp, num(t, "target_fmr")).unwrap();
            let ctx = format!("{name} {t}");
            assert_eq!(r.threshold, threshold_value(&t["threshold"]), "{ctx}");
            assert_close(r.fnmr, num(t, "fnmr"), &ctx);
            assert_close(r.fmr, num(t, "fmr"), &ctx);
        }
    }
}

#[test]
fn identification_matches_sklearn_and_reference() {
    for c in cases("biometrics_identification") {
        let name = c["name"].as_str().unwrap();
        if c["kind"] == "closed" {
            let mates: Vec<usize> = c["mates"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m.as_u64().unwrap() as usize)
                .collect();
            let gallery = c["gallery"].as_u64().unwrap() as usize;
            let ranks = identification_ranks(&nums(&c, "scores"), gallery, &mates).unwrap();
            for (k, want) in nums(&c, "rank_rates").iter().enumerate() {
                assert_close(
                    rank_k_rate(&ranks, k + 1).unwrap(),
                    *want,
                    &format!("{name} rank {}", k + 1),
                );
            }
        } else {
            let mated: Vec<Option<f64>> = c["mated"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64())
                .collect();
            let nonmated = nums(&c, "nonmated");
            for p in c["points"].as_array().unwrap() {
                let got = fnir_at_fpir(&mated, &nonmated, num(p, "target")).unwrap();
                let ctx = format!("{name} {p}");
                assert_eq!(got.threshold, threshold_value(&p["threshold"]), "{ctx}");
                assert_close(got.fpir, num(p, "fpir"), &ctx);
                assert_close(got.fnir, num(p, "fnir"), &ctx);
            }
        }
    }
}

fn bbox(v: &[f64]) -> BoundingBox {
    BoundingBox {
        x_min: v[0],
        y_min: v[1],
        x_max: v[2],
        y_max: v[3],
    }
}

#[test]
fn face_detection_matches_reference() {
    let fixture = &cases("face_detection")[0];
    let images: Vec<(Vec<BoundingBox>, Vec<Detection>)> = fixture["images"]
        .as_array()
        .unwrap()
        .iter()
        .map(|im| {
            let list = |key: &str| -> Vec<Vec<f64>> {
                im[key]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|b| {
                        b.as_array()
                            .unwrap()
                            .iter()
                            .map(|x| x.as_f64().unwrap())
                            .collect()
                    })
                    .collect()
            };
            let faces = list("faces").iter().map(|b| bbox(b)).collect();
            let dets = list("detections")
                .iter()
                .map(|d| Detection {
                    bbox: bbox(d),
                    score: d[4],
                })
                .collect();
            (faces, dets)
        })
        .collect();
    for run in fixture["runs"].as_array().unwrap() {
        let (thr, min_score) = (num(run, "iou_threshold"), num(run, "min_score"));
        for (i, ((faces, dets), want)) in images
            .iter()
            .zip(run["per_image"].as_array().unwrap())
            .enumerate()
        {
            let got = match_detections(faces, dets, thr, min_score).unwrap();
            let ctx = format!("image {i} iou {thr} min score {min_score}");
            assert_eq!(got.faces, want["faces"].as_u64().unwrap(), "{ctx}");
            assert_eq!(
                got.detected_faces,
                want["detected_faces"].as_u64().unwrap(),
                "{ctx}"
            );
            assert_eq!(
                got.detections,
                want["detections"].as_u64().unwrap(),
                "{ctx}"
            );
            assert_eq!(
                got.false_detections,
                want["false_detections"].as_u64().unwrap(),
                "{ctx}"
            );
        }
    }
}
