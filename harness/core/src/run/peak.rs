//! Peak search for the server scenario: the highest Poisson arrival rate whose latency percentile
//! still meets its bound (LoadGen's "find peak performance" mode, run by the harness itself).
//! A pure planner: it proposes the next rate from the trials so far; the caller runs each trial.

use std::fmt;

/// One finished trial: a server run at `qps` and whether it met the latency bound.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Trial {
    /// Target arrival rate of the run, queries per second.
    pub qps: f64,
    /// The bound was met (and shown with early stopping); `false` also when it could not be shown.
    pub passed: bool,
}

/// Why a search ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PeakEnd {
    /// The highest passing and lowest failing rates are within the precision of each other.
    Converged,
    /// Even `floor` qps failed.
    NothingPassed {
        /// The lowest rate tried.
        floor: f64,
    },
    /// The trial budget ran out first.
    OutOfTrials,
    /// The trial at `qps` could show neither a pass nor a failure (too few queries for early
    /// stopping) before any rate had passed; halving the rate would not help, so the search
    /// stops. (After a pass, such a trial counts as not met.)
    Undecided {
        /// The undecided trial's rate.
        qps: f64,
    },
}

impl fmt::Display for PeakEnd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PeakEnd::Converged => write!(f, "converged"),
            PeakEnd::NothingPassed { floor } => {
                write!(f, "no rate met the bound, down to {}", qps_label(*floor))
            }
            PeakEnd::OutOfTrials => write!(f, "stopped after the last allowed trial"),
            PeakEnd::Undecided { qps } => write!(
                f,
                "the trial at {} qps could not decide the bound either way",
                qps_label(*qps)
            ),
        }
    }
}

/// The search: double from the start rate until a run fails (halve until one passes), then
/// bisect between the highest pass and the lowest failure above it until they are within
/// `precision` (relative) of each other.
#[derive(Debug, Clone)]
pub struct PeakSearch {
    start: f64,
    precision: f64,
    max_trials: usize,
    floor: f64,
    trials: Vec<Trial>,
}

/// Rates are rounded to this many significant digits, so trials have readable names.
const DIGITS: i32 = 4;

fn round_sig(x: f64) -> f64 {
    if x <= 0.0 || !x.is_finite() {
        return x;
    }
    let scale = 10f64.powi(DIGITS - 1 - x.log10().floor() as i32);
    (x * scale).round() / scale
}

/// A rate as trials and file names show it: up to four significant digits, no exponent.
pub fn qps_label(qps: f64) -> String {
    let s = format!("{:.6}", round_sig(qps));
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

impl PeakSearch {
    /// A search starting at `start` qps; `precision` in (0, 1), e.g. 0.05 for 5 %;
    /// `max_trials` ≥ 1. Halving stops below `start / 1024`.
    pub fn new(start: f64, precision: f64, max_trials: usize) -> Result<Self, String> {
        if !(start.is_finite() && start > 0.0) {
            return Err(format!(
                "start rate {start}: expected a positive number of qps"
            ));
        }
        if !(precision > 0.0 && precision < 1.0) {
            return Err(format!(
                "precision {precision}: expected a fraction between 0 and 1, e.g. 0.05"
            ));
        }
        if max_trials == 0 {
            return Err("trials: expected at least 1".into());
        }
        Ok(PeakSearch {
            start: round_sig(start),
            precision,
            max_trials,
            floor: start / 1024.0,
            trials: Vec::new(),
        })
    }

    /// Records a finished trial.
    pub fn record(&mut self, qps: f64, passed: bool) {
        self.trials.push(Trial { qps, passed });
    }

    /// The trials so far, in the order they ran.
    pub fn trials(&self) -> &[Trial] {
        &self.trials
    }

    /// The highest rate that passed.
    pub fn best(&self) -> Option<f64> {
        self.trials
            .iter()
            .filter(|t| t.passed)
            .map(|t| t.qps)
            .max_by(f64::total_cmp)
    }

    /// The lowest failing rate above the best pass (above nothing when none passed).
    pub fn lowest_failure(&self) -> Option<f64> {
        let best = self.best().unwrap_or(0.0);
        self.trials
            .iter()
            .filter(|t| !t.passed && t.qps > best)
            .map(|t| t.qps)
            .min_by(f64::total_cmp)
    }

    /// Failures at or below a passing rate: the system's own noise, shown to the user.
    pub fn non_monotone(&self) -> Vec<f64> {
        let best = self.best().unwrap_or(0.0);
        self.trials
            .iter()
            .filter(|t| !t.passed && t.qps <= best)
            .map(|t| t.qps)
            .collect()
    }

    /// The next rate to try, or why the search is over.
    pub fn next(&self) -> Result<f64, PeakEnd> {
        let proposal = match (self.best(), self.lowest_failure()) {
            (None, None) => self.start,
            (Some(pass), None) => round_sig(pass * 2.0),
            (None, Some(fail)) => {
                let half = round_sig(fail / 2.0);
                if half < self.floor {
                    return Err(PeakEnd::NothingPassed { floor: fail });
                }
                half
            }
            (Some(pass), Some(fail)) => {
                if (fail - pass) / pass <= self.precision {
                    return Err(PeakEnd::Converged);
                }
                let mid = round_sig((pass + fail) / 2.0);
                if mid <= pass || mid >= fail {
                    // Four digits cannot split them further.
                    return Err(PeakEnd::Converged);
                }
                mid
            }
        };
        if self.trials.len() >= self.max_trials {
            return Err(PeakEnd::OutOfTrials);
        }
        Ok(proposal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs a search against a system whose true peak is `peak` (passes iff qps ≤ peak).
    fn search(start: f64, peak: f64, precision: f64, trials: usize) -> (PeakSearch, PeakEnd) {
        let mut s = PeakSearch::new(start, precision, trials).unwrap();
        loop {
            match s.next() {
                Ok(q) => s.record(q, q <= peak),
                Err(end) => return (s, end),
            }
        }
    }

    #[test]
    fn finds_the_peak_within_the_precision_from_below_and_above() {
        for (start, peak) in [
            (10.0, 137.0),
            (1000.0, 137.0),
            (137.0, 137.0),
            (1.0, 5000.0),
        ] {
            let (s, end) = search(start, peak, 0.05, 40);
            assert_eq!(end, PeakEnd::Converged, "{start} {peak}");
            let best = s.best().unwrap();
            let fail = s.lowest_failure().unwrap();
            assert!(best <= peak && fail > peak, "{best} {fail} {peak}");
            assert!((fail - best) / best <= 0.05, "{best} {fail}");
            assert!(s.non_monotone().is_empty());
        }
    }

    #[test]
    fn doubles_then_bisects() {
        let (s, _) = search(10.0, 35.0, 0.1, 40);
        let rates: Vec<f64> = s.trials().iter().map(|t| t.qps).collect();
        assert_eq!(&rates[..4], &[10.0, 20.0, 40.0, 30.0]);
    }

    #[test]
    fn reports_nothing_passed_and_the_trial_budget() {
        let (s, end) = search(100.0, 0.0, 0.05, 40);
        assert!(matches!(end, PeakEnd::NothingPassed { .. }), "{end:?}");
        assert!(s.best().is_none());
        assert!(end.to_string().contains("no rate met the bound"));
        let (s, end) = search(1.0, 1e9, 0.05, 3);
        assert_eq!(end, PeakEnd::OutOfTrials);
        assert_eq!(s.trials().len(), 3);
        assert_eq!(s.best(), Some(4.0));
    }

    #[test]
    fn a_noisy_failure_below_a_pass_is_shown_not_used() {
        let mut s = PeakSearch::new(10.0, 0.05, 10).unwrap();
        s.record(10.0, false);
        s.record(5.0, true);
        s.record(7.5, true);
        s.record(20.0, true);
        assert_eq!(s.best(), Some(20.0));
        assert_eq!(s.non_monotone(), vec![10.0]);
        assert_eq!(s.next(), Ok(40.0));
    }

    #[test]
    fn rejects_bad_parameters_and_labels_rates() {
        assert!(PeakSearch::new(0.0, 0.05, 5).is_err());
        assert!(PeakSearch::new(10.0, 1.5, 5).is_err());
        assert!(PeakSearch::new(10.0, 0.05, 0).is_err());
        assert_eq!(qps_label(137.0), "137");
        assert_eq!(qps_label(12.3456), "12.35");
        assert_eq!(qps_label(0.0123456), "0.01235");
        assert_eq!(qps_label(123456.0), "123500");
    }
}
