//! Golden tests: ROC curve, AUC and confusion rates vs scikit-learn; threshold targets and
//! DeLong intervals vs the numpy references (fixtures from scripts/golden/gen_detection.py).

mod common;
use common::{assert_close, cases, num, nums};
use jiebang_metrics::detection::{
    ConfusionCounts, ThresholdTarget, logit_delong_interval, roc_auc, roc_auc_delong, roc_curve,
    threshold_for_target,
};
use serde_json::Value;

fn threshold_value(v: &Value) -> f64 {
    if v.as_str() == Some("inf") {
        f64::INFINITY
    } else {
        v.as_f64().expect("threshold")
    }
}

fn inputs(c: &Value) -> (Vec<f64>, Vec<bool>) {
    let labels = c["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_bool().unwrap())
        .collect();
    (nums(c, "scores"), labels)
}

#[test]
fn roc_curves_match_sklearn() {
    for c in cases("detection") {
        let (scores, labels) = inputs(&c);
        let name = c["name"].as_str().unwrap();
        for (key, drop) in [("roc_full", false), ("roc_drop", true)] {
            let curve = roc_curve(&scores, &labels, drop).unwrap();
            let want = &c[key];
            let fpr = nums(want, "fpr");
            let tpr = nums(want, "tpr");
            let thr: Vec<f64> = want["thresholds"]
                .as_array()
                .unwrap()
                .iter()
                .map(threshold_value)
                .collect();
            assert_eq!(
                curve.points.len(),
                fpr.len(),
                "{name} {key}: number of points"
            );
            for (i, p) in curve.points.iter().enumerate() {
                let ctx = format!("{name} {key} point {i}");
                assert_close(p.fpr, fpr[i], &ctx);
                assert_close(p.tpr, tpr[i], &ctx);
                assert_eq!(p.threshold, thr[i], "{ctx}");
            }
        }
    }
}

#[test]
fn auc_matches_sklearn_and_delong_reference() {
    for c in cases("detection") {
        let (scores, labels) = inputs(&c);
        let name = c["name"].as_str().unwrap();
        assert_close(roc_auc(&scores, &labels).unwrap(), num(&c, "auc"), name);
        let curve = roc_curve(&scores, &labels, true).unwrap();
        assert_close(curve.trapezoid_area(), num(&c, "auc"), name);
        let d = roc_auc_delong(&scores, &labels, 0.95).unwrap();
        let want = &c["delong"];
        assert_close(d.auc, num(want, "auc"), &format!("{name} delong auc"));
        assert_close(
            d.variance,
            num(want, "variance"),
            &format!("{name} delong variance"),
        );
        assert_close(d.interval.lo, num(want, "lo"), &format!("{name} delong lo"));
        assert_close(d.interval.hi, num(want, "hi"), &format!("{name} delong hi"));
        // The logit-transformed interval that verdicts use, at 95% (as the estimate carries
        // it) and at 99% (from the golden AUC and variance).
        let logit = d.logit_interval.expect("AUC inside (0, 1)");
        let want95 = &want["logit_95"];
        assert_close(logit.lo, num(want95, "lo"), &format!("{name} logit lo"));
        assert_close(logit.hi, num(want95, "hi"), &format!("{name} logit hi"));
        let want99 = &want["logit_99"];
        let l99 = logit_delong_interval(num(want, "auc"), num(want, "variance"), 0.99)
            .unwrap()
            .unwrap();
        assert_close(l99.lo, num(want99, "lo"), &format!("{name} logit99 lo"));
        assert_close(l99.hi, num(want99, "hi"), &format!("{name} logit99 hi"));
    }
}

#[test]
fn confusion_rates_match_sklearn() {
    for c in cases("detection") {
        let (scores, labels) = inputs(&c);
        for op in c["operating_points"].as_array().unwrap() {
            let ctx = format!("{} {op}", c["name"]);
            let k = ConfusionCounts::at_threshold(&scores, &labels, num(op, "threshold")).unwrap();
            assert_eq!(k.true_positives, op["tp"].as_u64().unwrap(), "{ctx}");
            assert_eq!(k.false_positives, op["fp"].as_u64().unwrap(), "{ctx}");
            assert_eq!(k.true_negatives, op["tn"].as_u64().unwrap(), "{ctx}");
            assert_eq!(k.false_negatives, op["fn"].as_u64().unwrap(), "{ctx}");
            assert_close(k.sensitivity().unwrap(), num(op, "sensitivity"), &ctx);
            assert_close(k.specificity().unwrap(), num(op, "specificity"), &ctx);
            assert_close(k.ppv().unwrap(), num(op, "ppv"), &ctx);
            assert_close(
                k.false_negative_rate().unwrap(),
                1.0 - num(op, "sensitivity"),
                &ctx,
            );
            assert_close(
                k.false_positive_rate().unwrap(),
                1.0 - num(op, "specificity"),
                &ctx,
            );
        }
    }
}

#[test]
fn threshold_targets_match_reference() {
    for c in cases("detection") {
        let (scores, labels) = inputs(&c);
        for t in c["targets"].as_array().unwrap() {
            let ctx = format!("{} {t}", c["name"]);
            let target = match t["kind"].as_str().unwrap() {
                "min_sensitivity" => ThresholdTarget::MinSensitivity(num(t, "target")),
                _ => ThresholdTarget::MaxFalsePositiveRate(num(t, "target")),
            };
            let p = threshold_for_target(&scores, &labels, target).unwrap();
            assert_eq!(p.threshold, threshold_value(&t["threshold"]), "{ctx}");
            assert_close(p.tpr, num(t, "tpr"), &ctx);
            assert_close(p.fpr, num(t, "fpr"), &ctx);
        }
    }
}
