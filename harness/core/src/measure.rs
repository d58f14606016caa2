//! Metric values built from counts as every direction reports them: a share of trials with its
//! Wilson 95% interval (statsmodels' `proportion_confint(method="wilson")`), or not measured.

use crate::CoreError;
use jiebang_metrics::proportion::wilson_interval;
use jiebang_scorecard::{CiMethod, Metric};

/// `successes / trials` (unit `ratio`) with its Wilson 95% interval, or not measured with
/// `empty_reason` when there were no trials. `id` names the metric in an error.
pub fn share(
    id: &str,
    successes: u64,
    trials: u64,
    empty_reason: &str,
) -> Result<Metric, CoreError> {
    if trials == 0 {
        return Ok(Metric::not_measured(0, "ratio", empty_reason));
    }
    let ci = wilson_interval(successes as f64, trials as f64, 0.95)
        .map_err(|e| CoreError::Other(format!("{id}: {e}")))?;
    Ok(Metric::estimate(
        successes as f64 / trials as f64,
        Some([ci.lo, ci.hi]),
        CiMethod::Wilson,
        trials,
        "ratio",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_share_has_its_wilson_interval_and_no_trials_is_not_measured() {
        let m = share("x", 95, 100, "none").unwrap();
        assert_eq!(m.value, Some(0.95));
        let [lo, hi] = m.ci95.unwrap();
        // The Wilson score formula with z = 1.959963984540054 (checked against statsmodels in
        // jiebang-metrics' golden tests): [0.8882495307681, 0.9784563208456].
        assert!((lo - 0.888_249_530_768).abs() < 1e-9 && (hi - 0.978_456_320_846).abs() < 1e-9);
        assert_eq!(m.ci_method, Some(CiMethod::Wilson));
        let e = share("x", 0, 0, "no samples").unwrap();
        assert_eq!((e.value, e.reason.as_deref()), (None, Some("no samples")));
        assert!(share("x", 5, 3, "").is_err());
    }
}
