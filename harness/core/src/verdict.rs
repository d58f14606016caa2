//! Verdicts: whether a measured indicator meets a level, decided by its 95% confidence interval
//! and never by the point estimate alone, with the sample size that would decide when it can't.
//! Only on intervals that keep their coverage: proportions are decided on the Clopper–Pearson
//! interval, and grid cells of the coverage table (docs/STATISTICS.md) where a method covers
//! under 94% are refused (inconclusive, with the reason).

use jiebang_scorecard::{CiMethod, Comparison, Verdict, VerdictStatus};

/// A region where an interval method covers under 94% in the coverage table
/// (docs/statistics/coverage.csv): verdicts on that method with `n <= max_n` and an estimate
/// in `[lo, hi]` are refused.
struct Refusal {
    /// The method as the coverage table names it.
    family: &'static str,
    max_n: u64,
    lo: f64,
    hi: f64,
    why: &'static str,
}

/// The refusals, read off the committed coverage table (each failing cell's sample size and
/// true value, extended to the next passing grid point); a test checks every cell under 94%.
const REFUSALS: &[Refusal] = &[
    // DeLong's Wald interval: under 94% everywhere at n <= 50 and from AUC 0.75 up to n = 500
    // (the truth below the interval); mirrored for AUCs near 0.
    Refusal {
        family: "delong",
        max_n: 50,
        lo: 0.0,
        hi: 1.0,
        why: "DeLong's Wald interval at small samples",
    },
    Refusal {
        family: "delong",
        max_n: 500,
        lo: 0.675,
        hi: 1.0,
        why: "DeLong's Wald interval near AUC = 1",
    },
    Refusal {
        family: "delong",
        max_n: 500,
        lo: 0.0,
        hi: 0.325,
        why: "DeLong's Wald interval near AUC = 0",
    },
    // The logit form: 93.1-93.9% at true AUC 0.961-0.99 with 20-500 cases.
    Refusal {
        family: "delong-logit",
        max_n: 500,
        lo: 0.955,
        hi: 1.0,
        why: "the logit DeLong interval at AUC >= 0.961 (93.1-93.9%)",
    },
    Refusal {
        family: "delong-logit",
        max_n: 500,
        lo: 0.0,
        hi: 0.045,
        why: "the logit DeLong interval at AUC <= 0.039, mirrored",
    },
    // Percentile bootstrap of a mean over cases or a ratio of sums over clusters: under 94%
    // at every value with 30 units or fewer, and near 0 and 1 with 100.
    Refusal {
        family: "bootstrap-percentile",
        max_n: 30,
        lo: f64::NEG_INFINITY,
        hi: f64::INFINITY,
        why: "the percentile bootstrap over 30 units or fewer",
    },
    Refusal {
        family: "bootstrap-percentile",
        max_n: 100,
        lo: f64::NEG_INFINITY,
        hi: 0.275,
        why: "the percentile bootstrap near 0",
    },
    Refusal {
        family: "bootstrap-percentile",
        max_n: 100,
        lo: 0.85,
        hi: 1.0,
        why: "the percentile bootstrap near 1",
    },
    // BCa: as the percentile bootstrap, and at 0.95 with 300 clusters (93.95%).
    Refusal {
        family: "bootstrap-bca",
        max_n: 30,
        lo: f64::NEG_INFINITY,
        hi: f64::INFINITY,
        why: "the BCa bootstrap over 30 units or fewer",
    },
    Refusal {
        family: "bootstrap-bca",
        max_n: 100,
        lo: f64::NEG_INFINITY,
        hi: 0.275,
        why: "the BCa bootstrap near 0",
    },
    Refusal {
        family: "bootstrap-bca",
        max_n: 300,
        lo: 0.85,
        hi: 1.0,
        why: "the BCa bootstrap near 1",
    },
];

/// The coverage-table method a verdict on `method` rests on: a Wilson interval is replaced
/// by Clopper–Pearson's; DeLong and its logit form as they are; LUNA16's case bootstrap and
/// the tasks' `bootstrap-percentile (…)` methods as the percentile bootstrap. `None`: a method
/// the table does not simulate (exact, order statistics, the median bootstrap of timings).
pub fn verdict_basis(method: &CiMethod) -> Option<&'static str> {
    match method {
        CiMethod::Wilson | CiMethod::ClopperPearson => Some("clopper-pearson"),
        CiMethod::DeLong => Some("delong"),
        CiMethod::DeLongLogit => Some("delong-logit"),
        CiMethod::BootstrapCasesLuna16 { .. } => Some("bootstrap-percentile"),
        CiMethod::Other(s) if s.starts_with("bootstrap-percentile") => Some("bootstrap-percentile"),
        CiMethod::Other(s) if s.starts_with("bootstrap-bca") => Some("bootstrap-bca"),
        _ => None,
    }
}

/// Why a verdict on an interval of `method` from `n` samples with this `estimate` is refused:
/// the coverage table shows the method under 94% there. `None` when it may be decided.
pub fn coverage_refusal(method: &CiMethod, n: u64, estimate: f64) -> Option<String> {
    let family = verdict_basis(method)?;
    REFUSALS
        .iter()
        .find(|r| r.family == family && n <= r.max_n && (r.lo..=r.hi).contains(&estimate))
        .map(|r| {
            format!(
                "refused: the {family} interval covers under 94% with n <= {} and estimates \
                 in [{}, {}] ({}; docs/STATISTICS.md)",
                r.max_n, r.lo, r.hi, r.why
            )
        })
}

/// Decides `measured <op> threshold` from a metric's interval, its method and sample size
/// ([`decide`] on an interval that keeps its coverage).
///
/// A Wilson interval of a proportion is replaced by the Clopper–Pearson interval of the same
/// count (`round(measured·n)` of `n`), which covers at least 95% everywhere, while Wilson's
/// falls to 90% near 0 and 1 at small `n` (Brown, Cai & DasGupta 2001); the reason says so
/// when that changes the outcome. A met or not-met outcome on a method and region where the
/// coverage table shows under 94% becomes inconclusive, with the reason.
pub fn decide_metric(
    measured: Option<f64>,
    ci95: Option<[f64; 2]>,
    method: Option<&CiMethod>,
    n: u64,
    comparison: Comparison,
    threshold: f64,
    proportion: bool,
) -> Verdict {
    let shown = decide(measured, ci95, comparison, threshold, proportion);
    let (Some(x), Some(_), Some(method)) = (measured, ci95, method) else {
        return shown;
    };
    if *method == CiMethod::Wilson && n > 0 && (0.0..=1.0).contains(&x) {
        let k = (x * n as f64).round();
        if let Ok(cp) = jiebang_metrics::proportion::clopper_pearson_interval(k, n as f64, 0.95) {
            let mut v = decide(
                measured,
                Some([cp.lo, cp.hi]),
                comparison,
                threshold,
                proportion,
            );
            if v.status != shown.status {
                v.reason = Some(format!(
                    "decided on the Clopper-Pearson interval [{:.4}, {:.4}] of {k}/{n}: the \
                     Wilson interval shown covers under 94% in places, down to 90% near 0 \
                     and 1 at small n (docs/STATISTICS.md)",
                    cp.lo, cp.hi
                ));
            }
            return v;
        }
    }
    let mut v = shown;
    if matches!(v.status, VerdictStatus::Met | VerdictStatus::NotMet)
        && let Some(why) = coverage_refusal(method, n, x)
    {
        v.status = VerdictStatus::Inconclusive;
        v.reason = Some(why);
    }
    v
}

/// Decides `measured <op> threshold` from the interval `ci95`.
///
/// `met` when the whole interval satisfies the comparison, `not-met` when the whole interval
/// violates it, `inconclusive` otherwise. A measurement without an interval can only be
/// `met`/`not-met` when it is exact (`lo == hi`, e.g. a count), so a bare point estimate never
/// decides. For an inconclusive proportion, `needed_n` is the sample size at which a
/// Clopper–Pearson interval around the measured rate would leave the threshold
/// ([`needed_to_decide`]). [`decide_metric`] is the entry point that also checks the
/// interval's coverage.
pub fn decide(
    measured: Option<f64>,
    ci95: Option<[f64; 2]>,
    comparison: Comparison,
    threshold: f64,
    proportion: bool,
) -> Verdict {
    let mut v = Verdict {
        status: VerdictStatus::NotMeasured,
        threshold,
        comparison,
        needed_n: None,
        reason: None,
    };
    let Some(x) = measured else {
        return v;
    };
    let [lo, hi] = match ci95 {
        Some(ci) => ci,
        None => {
            v.status = VerdictStatus::Inconclusive;
            return v;
        }
    };
    let (all_ok, all_bad) = (
        comparison.holds(lo, threshold) && comparison.holds(hi, threshold),
        !comparison.holds(lo, threshold) && !comparison.holds(hi, threshold),
    );
    v.status = if all_ok {
        VerdictStatus::Met
    } else if all_bad {
        VerdictStatus::NotMet
    } else {
        VerdictStatus::Inconclusive
    };
    if v.status == VerdictStatus::Inconclusive && proportion {
        v.needed_n = needed_to_decide(x, threshold);
    }
    v
}

/// Samples needed for a Clopper–Pearson 95% interval (the one proportion verdicts are decided
/// on) around rate `p` to exclude `threshold`, were the
/// rate to stay at `p` (about 50% power; see `jiebang_metrics::sample_size_to_decide`). A rate
/// of exactly 0 or 1 is planned as 1e-9 from the edge (the count stays 0 or n). `None` when
/// `p` equals the threshold (no sample size decides).
pub fn needed_to_decide(p: f64, threshold: f64) -> Option<u64> {
    use jiebang_metrics::proportion::{
        ProportionInterval, RatePlan, TargetSide, sample_size_to_decide,
    };
    if p == threshold {
        return None;
    }
    let plan = RatePlan {
        expected: p.clamp(1e-9, 1.0 - 1e-9),
        target: threshold,
        side: if p > threshold {
            TargetSide::Above
        } else {
            TargetSide::Below
        },
        confidence: 0.95,
    };
    sample_size_to_decide(&plan, ProportionInterval::ClopperPearson).ok()
}

/// The comparison a declared level implies: at least as good as the level.
pub fn at_least_as_good(better: jiebang_scorecard::Better) -> Comparison {
    match better {
        jiebang_scorecard::Better::Higher => Comparison::Ge,
        jiebang_scorecard::Better::Lower => Comparison::Le,
    }
}

#[cfg(test)]
mod tests {
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
            Comparison::Ge,
            2.0,
            false,
        );
        assert_eq!(v.status, VerdictStatus::Met);
    }

    /// Every grid cell of the committed coverage table where the interval a verdict rests on
    /// covers under 94% is refused by the guard (the cell's true value taken as the estimate).
    #[test]
    fn every_cell_under_94_percent_of_a_verdict_method_is_refused() {
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
        let (cm, ct, cn, cc) = (col("method"), col("true_value"), col("n"), col("coverage"));
        let rows: Vec<(String, f64, u64, f64)> = lines
            .enumerate()
            .map(|(i, l)| {
                let f: Vec<&str> = l.split(',').collect();
                let num = |c: usize| {
                    f[c].parse::<f64>()
                        .unwrap_or_else(|e| panic!("{path}:{}: column {c}: {e}", i + 2))
                };
                (f[cm].to_string(), num(ct), num(cn) as u64, num(cc))
            })
            .collect();
        let methods = [
            CiMethod::Wilson,
            CiMethod::ClopperPearson,
            CiMethod::DeLong,
            CiMethod::DeLongLogit,
            CiMethod::BootstrapCasesLuna16 { resamples: 1000 },
            CiMethod::Other("bootstrap-percentile (WER, B=1000)".into()),
            CiMethod::Other("bootstrap-bca".into()),
        ];
        let mut failing = 0;
        for method in &methods {
            let basis = verdict_basis(method).unwrap();
            let cells: Vec<_> = rows.iter().filter(|r| r.0 == basis).collect();
            assert!(
                cells.len() >= 20,
                "{basis}: {} cells in {path}",
                cells.len()
            );
            for (_, truth, n, coverage) in cells {
                if *coverage < 0.94 {
                    failing += 1;
                    assert!(
                        coverage_refusal(method, *n, *truth).is_some(),
                        "{method}: {basis} covers {coverage} at true value {truth}, n {n}, \
                         and the guard does not refuse it"
                    );
                }
            }
        }
        assert!(
            failing > 0,
            "the table has no cell under 94%: is it the real one?"
        );
        // Wilson itself is under 94% in places: that is why its verdicts rest on C-P.
        assert!(rows.iter().any(|r| r.0 == "wilson"
            && r.3 < 0.94
            && verdict_basis(&CiMethod::Wilson) != Some("wilson")));
    }
}
