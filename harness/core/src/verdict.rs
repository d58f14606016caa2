//! Verdicts: whether a measured indicator meets a level, decided by its 95% confidence interval
//! and never by the point estimate alone, with the sample size that would decide when it can't.

use jiebang_scorecard::{Comparison, Verdict, VerdictStatus};

/// Decides `measured <op> threshold` from the interval `ci95`.
///
/// `met` when the whole interval satisfies the comparison, `not-met` when the whole interval
/// violates it, `inconclusive` otherwise. A measurement without an interval can only be
/// `met`/`not-met` when it is exact (`lo == hi`, e.g. a count), so a bare point estimate never
/// decides. `needed_n` is filled for inconclusive proportions by `needed` (samples at the
/// measured rate that would move the interval off the threshold).
pub fn decide(
    measured: Option<f64>,
    ci95: Option<[f64; 2]>,
    comparison: Comparison,
    threshold: f64,
    needed: impl Fn(f64, f64) -> Option<u64>,
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
    if v.status == VerdictStatus::Inconclusive {
        v.needed_n = needed(x, threshold);
    }
    v
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
        decide(Some((ci[0] + ci[1]) / 2.0), Some(ci), op, t, |_, _| Some(7)).status
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
        let v = decide(None, None, Comparison::Gt, 0.9, |_, _| None);
        assert_eq!(v.status, VerdictStatus::NotMeasured);
        let v = decide(Some(0.99), None, Comparison::Gt, 0.9, |_, _| None);
        assert_eq!(v.status, VerdictStatus::Inconclusive);
        let v = decide(
            Some(0.93),
            Some([0.9, 0.97]),
            Comparison::Gt,
            0.95,
            |_, _| Some(400),
        );
        assert_eq!(v.needed_n, Some(400));
    }
}
