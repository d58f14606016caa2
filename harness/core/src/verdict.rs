//! Verdicts: whether a measured indicator meets a level, decided by its 95% confidence interval
//! and never by the point estimate alone, with the sample size that would decide when it can't.

use jiebang_scorecard::{Comparison, Verdict, VerdictStatus};

/// Decides `measured <op> threshold` from the interval `ci95`.
///
/// `met` when the whole interval satisfies the comparison, `not-met` when the whole interval
/// violates it, `inconclusive` otherwise. A measurement without an interval can only be
/// `met`/`not-met` when it is exact (`lo == hi`, e.g. a count), so a bare point estimate never
/// decides. For an inconclusive proportion, `needed_n` is the sample size at which a Wilson
/// interval around the measured rate would leave the threshold ([`needed_to_decide`]).
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

/// Samples needed for a Wilson 95% interval around rate `p` to exclude `threshold`, were the
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
    sample_size_to_decide(&plan, ProportionInterval::Wilson).ok()
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
}
