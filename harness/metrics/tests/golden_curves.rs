//! Golden tests of the curves a scorecard carries (fixtures from scripts/golden/gen_curves.py):
//! ROC, DET, FROC and CMC points vs scikit-learn before thinning, and the thinning to at most
//! 200 points vs the brute-force reference implementation of the same rule.

mod common;
use common::{assert_close, cases, froc_input, int, nums};
use jiebang_metrics::biometrics::{cmc, det_curve, identification_ranks};
use jiebang_metrics::curve::{AxisScale, thin, thin_indices};
use jiebang_metrics::detection::roc_curve;
use jiebang_metrics::froc::{FrocSettings, froc};
use serde_json::Value;

fn points(c: &Value) -> Vec<[f64; 2]> {
    c["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            // Decimal strings: Rust's parser rounds exactly, so these are the reference's bits.
            let v = |i: usize| p[i].as_str().unwrap().parse::<f64>().unwrap();
            [v(0), v(1)]
        })
        .collect()
}

fn scales(c: &Value) -> [AxisScale; 2] {
    let scale = |key: &str| match c[key].as_bool().unwrap() {
        true => AxisScale::Log,
        false => AxisScale::Linear,
    };
    [scale("log_x"), scale("log_y")]
}

fn kept(c: &Value) -> Vec<usize> {
    c["kept"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_u64().unwrap() as usize)
        .collect()
}

/// The curve our metric functions compute from the case's inputs, before thinning.
fn computed(c: &Value) -> Vec<[f64; 2]> {
    match c["kind"].as_str().unwrap() {
        "roc" => {
            let labels: Vec<bool> = c["labels"]
                .as_array()
                .unwrap()
                .iter()
                .map(|b| b.as_bool().unwrap())
                .collect();
            roc_curve(&nums(c, "scores"), &labels, true)
                .unwrap()
                .points
                .iter()
                .map(|p| [p.fpr, p.tpr])
                .collect()
        }
        "det" => det_curve(&nums(c, "genuine"), &nums(c, "impostor"))
            .unwrap()
            .iter()
            .map(|p| [p.fmr, p.fnmr])
            .collect(),
        "froc" => {
            let (n, lesions, candidates) = froc_input(c);
            froc(n, &lesions, &candidates, &FrocSettings::default())
                .unwrap()
                .curve
                .iter()
                .map(|p| [p.fps_per_case, p.sensitivity])
                .collect()
        }
        "cmc" => {
            let mates: Vec<usize> = c["mates"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m.as_u64().unwrap() as usize)
                .collect();
            let ranks =
                identification_ranks(&nums(c, "scores"), int(c, "gallery") as usize, &mates)
                    .unwrap();
            cmc(&ranks, int(c, "max_rank") as usize)
                .unwrap()
                .into_iter()
                .enumerate()
                .map(|(k, rate)| [(k + 1) as f64, rate])
                .collect()
        }
        other => panic!("unknown curve kind {other}"),
    }
}

#[test]
fn curve_points_match_the_reference_before_thinning() {
    for c in cases("curves") {
        let name = c["name"].as_str().unwrap();
        let want = points(&c);
        let got = computed(&c);
        assert_eq!(got.len(), want.len(), "{name}: number of points");
        for (i, (g, w)) in got.iter().zip(&want).enumerate() {
            // Same rates to the last bits or nearly: scikit-learn divides in its own order.
            assert_close(g[0], w[0], &format!("{name} point {i} x"));
            assert_close(g[1], w[1], &format!("{name} point {i} y"));
        }
    }
}

#[test]
fn thinning_matches_the_reference_implementation() {
    let mut thinned = 0;
    for c in cases("curves") {
        let name = c["name"].as_str().unwrap();
        let p = points(&c);
        let max = int(&c, "max_points") as usize;
        let idx = thin_indices(&p, max, scales(&c)).unwrap();
        assert_eq!(idx, kept(&c), "{name}: kept indices");
        assert!(idx.len() <= max && idx[0] == 0 && idx[idx.len() - 1] == p.len() - 1);
        let t = thin(&p, max, scales(&c)).unwrap();
        assert_eq!(t, idx.iter().map(|&i| p[i]).collect::<Vec<_>>(), "{name}");
        thinned += usize::from(idx.len() < p.len());
    }
    // The fixture exercises the thinning itself, not only curves short enough to pass through.
    assert!(thinned >= 4, "only {thinned} cases were thinned");
}
