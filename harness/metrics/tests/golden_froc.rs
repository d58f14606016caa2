//! Golden tests: lesion-level FROC vs the transcribed LUNA16 evaluation script
//! (fixtures from scripts/golden/gen_froc.py).

mod common;
use common::{assert_close, cases, froc_input as load, nums};
use jiebang_metrics::froc::{FrocSettings, froc, froc_bootstrap, sensitivity_at};

#[test]
fn froc_matches_luna16_script() {
    for c in cases("froc_luna16") {
        let name = c["name"].as_str().unwrap();
        let (n, lesions, candidates) = load(&c);
        let r = froc(n, &lesions, &candidates, &FrocSettings::default()).unwrap();
        let counts = &c["counts"];
        assert_eq!(
            r.lesions as u64,
            counts["lesions"].as_u64().unwrap(),
            "{name}"
        );
        assert_eq!(
            r.detected as u64,
            counts["detected"].as_u64().unwrap(),
            "{name}"
        );
        assert_eq!(
            r.false_positives as u64,
            counts["fp"].as_u64().unwrap(),
            "{name}"
        );
        assert_eq!(
            r.ignored_candidates as u64,
            counts["ignored"].as_u64().unwrap(),
            "{name}"
        );
        assert_eq!(
            r.duplicate_hits as u64,
            counts["duplicates"].as_u64().unwrap(),
            "{name}"
        );
        let want = nums(&c, "sensitivities");
        for (k, (rate, s)) in r.sensitivities.iter().enumerate() {
            assert_close(*s, want[k], &format!("{name} sensitivity at {rate}"));
        }
        assert_close(r.cpm, c["cpm"].as_f64().unwrap(), &format!("{name} CPM"));
        // Every point of the script's (intermediate-dropped) curve lies on ours.
        let fps = nums(&c, "curve_fps");
        let sens = nums(&c, "curve_sens");
        for (x, y) in fps.iter().zip(&sens) {
            let on_curve = r.curve.iter().any(|p| {
                (p.fps_per_case - x).abs() <= 1e-12 * x.max(1.0)
                    && (p.sensitivity - y).abs() <= 1e-12
            });
            assert!(
                on_curve || (sensitivity_at(&r.curve, *x) - y).abs() <= 1e-12,
                "{name}: ({x}, {y}) not on curve"
            );
        }
    }
}

#[test]
fn froc_bootstrap_is_seeded_and_brackets_the_cpm() {
    let c = &cases("froc_luna16")[0];
    let (n, lesions, candidates) = load(c);
    let s = FrocSettings::default();
    let a = froc_bootstrap(n, &lesions, &candidates, &s, 200, 5, 0.95).unwrap();
    let b = froc_bootstrap(n, &lesions, &candidates, &s, 200, 5, 0.95).unwrap();
    assert_eq!(a, b);
    let cpm = froc(n, &lesions, &candidates, &s).unwrap().cpm;
    assert!(
        a.cpm_interval.lo < cpm && cpm < a.cpm_interval.hi,
        "{:?} vs {cpm}",
        a.cpm_interval
    );
    assert_eq!(a.replicates + a.failed, 200);
}
