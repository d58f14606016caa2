//! Tests of the verdict rules and the coverage guard, including the check that every cell of
//! the committed coverage table under 94% is refused.

use super::*;

fn status(ci: [f64; 2], op: Comparison, t: f64) -> VerdictStatus {
    decide(Some((ci[0] + ci[1]) / 2.0), Some(ci), op, t, true).status
}

#[test]
fn interval_decides_not_point() {
    use Comparison::*;
    assert_eq!(status([0.96, 0.99], Gt, 0.95), VerdictStatus::Met);
    assert_eq!(status([0.90, 0.94], Gt, 0.95), VerdictStatus::NotMet);
    assert_eq!(status([0.94, 0.99], Gt, 0.95), VerdictStatus::Inconclusive);
    assert_eq!(status([0.95, 0.99], Gt, 0.95), VerdictStatus::Inconclusive);
    assert_eq!(status([0.95, 0.99], Ge, 0.95), VerdictStatus::Met);
    assert_eq!(status([0.001, 0.009], Lt, 0.01), VerdictStatus::Met);
    assert_eq!(status([0.005, 0.02], Lt, 0.01), VerdictStatus::Inconclusive);
    assert_eq!(status([0.02, 0.05], Lt, 0.01), VerdictStatus::NotMet);
}

#[test]
fn missing_measurement_or_interval() {
    let v = decide(None, None, Comparison::Gt, 0.9, true);
    assert_eq!(v.status, VerdictStatus::NotMeasured);
    let v = decide(Some(0.99), None, Comparison::Gt, 0.9, true);
    assert_eq!(v.status, VerdictStatus::Inconclusive);
}

#[test]
fn needed_samples_for_inconclusive_proportions() {
    // 0.97 measured against > 0.95: Wilson needs a few hundred samples at that rate.
    let v = decide(Some(0.97), Some([0.93, 0.99]), Comparison::Gt, 0.95, true);
    let n = v.needed_n.unwrap();
    assert!((200..2000).contains(&n), "{n}");
    // No misses yet against FNR < 1%: close to the rule of three, 3/0.01.
    let n = needed_to_decide(0.0, 0.01).unwrap();
    assert!((250..500).contains(&n), "{n}");
    let v = decide(Some(0.97), Some([0.93, 0.99]), Comparison::Gt, 0.95, false);
    assert_eq!(v.needed_n, None);
    assert_eq!(needed_to_decide(0.95, 0.95), None);
}

#[test]
fn wilson_verdicts_are_decided_on_clopper_pearson() {
    // 10 of 10 against >= 0.7: Wilson's lower end 0.722 would say met; Clopper–Pearson's
    // 0.692 does not.
    let wilson = [0.7224598312333834, 1.0];
    assert_eq!(
        decide(Some(1.0), Some(wilson), Comparison::Ge, 0.7, true).status,
        VerdictStatus::Met
    );
    let v = decide_metric(
        Some(1.0),
        Some(wilson),
        Some(&CiMethod::Wilson),
        10,
        None,
        Comparison::Ge,
        0.7,
        true,
    );
    assert_eq!(v.status, VerdictStatus::Inconclusive);
    assert!(
        v.reason
            .unwrap()
            .contains("Clopper-Pearson interval [0.6915, 1.0000] of 10/10")
    );
    // Where both agree the verdict carries no reason.
    let v = decide_metric(
        Some(1.0),
        Some(wilson),
        Some(&CiMethod::Wilson),
        10,
        None,
        Comparison::Ge,
        0.6,
        true,
    );
    assert_eq!((v.status, v.reason), (VerdictStatus::Met, None));
}

#[test]
fn uncovered_regions_are_refused_with_the_reason() {
    let logit = CiMethod::DeLongLogit;
    let v = decide_metric(
        Some(0.98),
        Some([0.95, 0.99]),
        Some(&logit),
        100,
        None,
        Comparison::Ge,
        0.9,
        false,
    );
    assert_eq!(v.status, VerdictStatus::Inconclusive);
    assert!(
        v.reason
            .unwrap()
            .contains("delong-logit interval covers under 94%")
    );
    // Far from the boundary with many cases it decides.
    let v = decide_metric(
        Some(0.8),
        Some([0.77, 0.83]),
        Some(&logit),
        1000,
        None,
        Comparison::Ge,
        0.7,
        false,
    );
    assert_eq!((v.status, v.reason), (VerdictStatus::Met, None));
    // An inconclusive outcome stays so without a refusal reason; exact values decide.
    let v = decide_metric(
        Some(0.98),
        Some([0.85, 0.99]),
        Some(&logit),
        100,
        None,
        Comparison::Ge,
        0.9,
        false,
    );
    assert_eq!((v.status, v.reason), (VerdictStatus::Inconclusive, None));
    let v = decide_metric(
        Some(3.0),
        Some([3.0, 3.0]),
        Some(&CiMethod::Exact),
        1,
        None,
        Comparison::Ge,
        2.0,
        false,
    );
    assert_eq!(v.status, VerdictStatus::Met);
}

/// The committed coverage table's cells: (method, true value, n, smaller class, coverage).
fn table() -> Vec<(String, f64, u64, Option<u64>, f64)> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/statistics/coverage.csv"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("{path}: no column {name}"))
    };
    let (cm, ct, cn, cd, cc) = (
        col("method"),
        col("true_value"),
        col("n"),
        col("design"),
        col("coverage"),
    );
    lines
        .enumerate()
        .map(|(i, l)| {
            let f: Vec<&str> = l.split(',').collect();
            let num = |c: usize| {
                f[c].parse::<f64>()
                    .unwrap_or_else(|e| panic!("{path}:{}: column {c}: {e}", i + 2))
            };
            // An AUC design is `positives+negatives`.
            let smaller = f[cd].split_once('+').map(|(a, b)| {
                let k = |s: &str| s.parse::<u64>().expect("design count");
                k(a).min(k(b))
            });
            (f[cm].to_string(), num(ct), num(cn) as u64, smaller, num(cc))
        })
        .collect()
}

/// The methods verdicts rest on, as the tasks write them.
fn simulated_methods() -> Vec<CiMethod> {
    vec![
        CiMethod::Wilson,
        CiMethod::ClopperPearson,
        CiMethod::DeLong,
        CiMethod::DeLongLogit,
        CiMethod::BootstrapCasesLuna16 { resamples: 1000 },
        CiMethod::Other("bootstrap-percentile (utterances, B=1000)".into()),
        CiMethod::Other(
            "bootstrap-percentile (utterances stratified by scenario, B=1000) widened to \
             the Clopper-Pearson interval of the tokens"
                .into(),
        ),
        CiMethod::Other("bootstrap-bca".into()),
    ]
}

fn family(method: &CiMethod) -> &'static str {
    match verdict_basis(method) {
        Some(Basis::Simulated(f)) => f,
        other => panic!("{method}: {other:?}"),
    }
}

/// Every grid cell of the committed coverage table where the interval a verdict rests on
/// covers under 94% is refused by the guard (the cell's true value taken as the estimate),
/// whether or not the card gives an AUC's smaller class.
#[test]
fn every_cell_under_94_percent_of_a_verdict_method_is_refused() {
    let rows = table();
    let mut failing = 0;
    for method in &simulated_methods() {
        let basis = family(method);
        let cells: Vec<_> = rows.iter().filter(|r| r.0 == basis).collect();
        assert!(cells.len() >= 20, "{basis}: {} cells", cells.len());
        for (_, truth, n, smaller, coverage) in cells {
            if *coverage < 0.94 {
                failing += 1;
                for m in [None, *smaller] {
                    assert!(
                        coverage_refusal(method, *n, m, *truth).is_some(),
                        "{method}: {basis} covers {coverage} at true value {truth}, n {n} \
                         (smaller class {m:?}), and the guard does not refuse it"
                    );
                }
            }
        }
    }
    assert!(
        failing > 0,
        "the table has no cell under 94%: is it the real one?"
    );
    // Wilson itself is under 94% in places: that is why its verdicts rest on C-P.
    assert!(rows.iter().any(|r| r.0 == "wilson"
        && r.4 < 0.94
        && verdict_basis(&CiMethod::Wilson) == Some(Basis::Simulated("clopper-pearson"))));
}

/// Where the largest simulated size of a family still fails at a true value, the refusal
/// has no upper bound (audit: AUC 0.99 logit at 501 cases, BCa 0.95 at 301 units were met).
#[test]
fn a_failing_largest_size_is_refused_at_every_size() {
    let rows = table();
    let mut unbounded = 0;
    for method in &simulated_methods() {
        let basis = family(method);
        let cells: Vec<_> = rows.iter().filter(|r| r.0 == basis).collect();
        let largest = cells.iter().map(|r| r.2).max().unwrap();
        for (_, truth, n, _, coverage) in cells {
            if *n == largest && *coverage < 0.94 {
                unbounded += 1;
                for big in [n + 1, 10 * n, 1_000_000] {
                    assert!(
                        coverage_refusal(method, big, None, *truth).is_some(),
                        "{method}: {coverage} at {truth}, n {n} (the largest), decided at {big}"
                    );
                }
            }
        }
    }
    // The audit's two cases, whatever the table says about larger sizes.
    let v = decide_metric(
        Some(0.99),
        Some([0.975, 0.996]),
        Some(&CiMethod::DeLongLogit),
        501,
        None,
        Comparison::Ge,
        0.9,
        false,
    );
    assert_eq!(v.status, VerdictStatus::Inconclusive, "{v:?} ({unbounded})");
    let bca = CiMethod::Other("bootstrap-bca".into());
    assert!(coverage_refusal(&bca, 301, None, 0.95).is_some());
}

/// An AUC with few studies in its smaller class is refused by that count (5 positives of
/// 1000 studies), and a card without the count is judged by `n` as before.
#[test]
fn auc_refusals_follow_the_smaller_class() {
    let logit = CiMethod::DeLongLogit;
    assert!(coverage_refusal(&logit, 1000, Some(5), 0.9).is_some());
    assert!(coverage_refusal(&logit, 1000, Some(5), 0.75).is_some());
    let v = decide_metric(
        Some(0.9),
        Some([0.85, 0.94]),
        Some(&logit),
        1000,
        Some(5),
        Comparison::Ge,
        0.8,
        false,
    );
    assert_eq!(v.status, VerdictStatus::Inconclusive);
    assert!(v.reason.unwrap().contains("smaller class"));
    // Old cards: no smaller class, decided on n as before.
    let v = decide_metric(
        Some(0.8),
        Some([0.77, 0.83]),
        Some(&logit),
        5000,
        None,
        Comparison::Ge,
        0.7,
        false,
    );
    assert_eq!((v.status, v.reason), (VerdictStatus::Met, None));
}

/// Only methods the guard knows decide: variants of the known strings, unknown methods
/// and intervals without a method are inconclusive with a reason (audit: all were met).
#[test]
fn unknown_or_missing_methods_do_not_decide() {
    let ci = Some([0.5, 0.6]);
    let decide_on = |m: Option<&CiMethod>| {
        decide_metric(
            Some(0.55),
            ci,
            m,
            5000,
            Some(2500),
            Comparison::Ge,
            0.2,
            false,
        )
    };
    for s in [
        "Bootstrap-percentile (utterances, B=1000)",
        " bootstrap-percentile (utterances, B=1000)",
        "bootstrap-BCa",
        "delong ",
        "DeLong-logit",
        "bootstrap-cases-luna16 (B=01000)",
        "bootstrap-percentile (utterances, B=10)",
        "bootstrap-percentile (utterances, B=01000)",
        "bootstrap-percentile (WER, B=1000)",
        "wald",
        "",
    ] {
        let m = CiMethod::from(s);
        let v = decide_on(Some(&m));
        assert_eq!(v.status, VerdictStatus::Inconclusive, "{s:?}");
        assert!(
            v.reason
                .unwrap()
                .contains("not one the verdict guard knows")
        );
    }
    let v = decide_on(None);
    assert_eq!(v.status, VerdictStatus::Inconclusive);
    assert!(v.reason.unwrap().contains("names no method"));
    // What the tasks write decides.
    for m in simulated_methods().iter().skip(2).chain(&[
        CiMethod::Exact,
        CiMethod::OrderStatistic,
        CiMethod::BootstrapMedian,
        CiMethod::BootstrapCasesLuna16 { resamples: 2000 },
    ]) {
        let v = decide_on(Some(m));
        assert_eq!((v.status, &v.reason), (VerdictStatus::Met, &None), "{m}");
    }
    assert!(speech_bootstrap(
        "bootstrap-percentile (utterances, B=1000) widened to the Clopper-Pearson interval \
         of the tokens"
    ));
}

/// Not a number never decides (audit: a NaN estimate was met, a NaN interval not-met).
#[test]
fn nan_is_never_decided() {
    for (x, ci) in [
        (f64::NAN, [0.8, 0.9]),
        (0.85, [f64::NAN, f64::NAN]),
        (0.85, [0.8, f64::NAN]),
        (f64::INFINITY, [0.8, 0.9]),
        (0.85, [0.9, 0.8]),
    ] {
        for m in [CiMethod::DeLongLogit, CiMethod::Exact, CiMethod::Wilson] {
            let v = decide_metric(
                Some(x),
                Some(ci),
                Some(&m),
                1000,
                None,
                Comparison::Ge,
                0.5,
                true,
            );
            assert_eq!(v.status, VerdictStatus::Inconclusive, "{x} {ci:?} {m}");
            assert!(v.reason.unwrap().contains("not a finite value"));
        }
    }
}

/// A Wilson interval with no count to replace it by (a rate in percent, n = 0) is
/// inconclusive (audit: 90.0 with [72.3, 97.2] of 10 against >= 70 was met).
#[test]
fn wilson_without_a_count_is_refused() {
    for (x, ci, n, t) in [
        (90.0, [72.3, 97.2], 10, 70.0),
        (0.9, [0.8, 0.95], 0, 0.5),
        (-0.1, [-0.2, -0.05], 10, 0.0),
    ] {
        let v = decide_metric(
            Some(x),
            Some(ci),
            Some(&CiMethod::Wilson),
            n,
            None,
            Comparison::Ge,
            t,
            true,
        );
        assert_eq!(v.status, VerdictStatus::Inconclusive, "{x} of {n}");
        assert!(v.reason.unwrap().contains("rate in [0, 1]"));
    }
}
