//! Binomial proportions: Wilson and Clopper–Pearson confidence intervals, and sample-size
//! planning for showing that a rate beats (or stays below) a target.

use crate::error::{MetricError, Result, check_open_unit};
use crate::estimate::{Estimate, Interval};
use crate::special::{beta_inc_inv, beta_inc_inv_upper, normal_quantile};

/// How a confidence interval for a binomial proportion is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProportionInterval {
    /// Wilson score interval (Wilson 1927): inverts the score test; good coverage, never
    /// leaves [0, 1]. Same formula as statsmodels' `proportion_confint(method="wilson")`.
    Wilson,
    /// Clopper–Pearson "exact" interval (1934): beta quantiles; guaranteed coverage at least
    /// the nominal level, conservative. Same as statsmodels' `method="beta"`.
    ClopperPearson,
}

fn check_counts(successes: f64, trials: f64) -> Result<()> {
    if trials.is_nan() || trials <= 0.0 || !trials.is_finite() {
        return Err(MetricError::Undefined {
            metric: "proportion interval",
            reason: "no trials",
        });
    }
    if !(successes >= 0.0 && successes <= trials) {
        return Err(MetricError::InvalidInput {
            what: "successes",
            detail: format!("{successes} successes out of {trials} trials"),
        });
    }
    Ok(())
}

/// Wilson score interval for `successes` out of `trials` at the given two-sided
/// `confidence` (e.g. 0.95).
///
/// With `z = Φ⁻¹(1 - α/2)`, `p̂ = x/n`:
/// centre `(p̂ + z²/2n) / (1 + z²/n)`, half-width `z/(1 + z²/n) · sqrt(p̂(1-p̂)/n + z²/4n²)`.
/// The counts may be non-integer (used by sample-size planning). The ends are clamped to
/// [0, 1]; at `x = 0` the lower end is exactly 0 and at `x = n` the upper end is exactly 1.
pub fn wilson_interval(successes: f64, trials: f64, confidence: f64) -> Result<Interval> {
    check_counts(successes, trials)?;
    check_open_unit("confidence", confidence)?;
    let z = normal_quantile(1.0 - (1.0 - confidence) / 2.0)?;
    let n = trials;
    let p = successes / n;
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    let lo = if successes == 0.0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let hi = if successes == trials {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    Ok(Interval { lo, hi })
}

/// Clopper–Pearson interval for `successes` out of `trials` at the two-sided `confidence`.
///
/// Lower end: the `α/2` quantile of Beta(x, n - x + 1) (0 when x = 0); upper end: the
/// `1 - α/2` quantile of Beta(x + 1, n - x) (1 when x = n). Non-integer counts are allowed.
pub fn clopper_pearson_interval(successes: f64, trials: f64, confidence: f64) -> Result<Interval> {
    check_counts(successes, trials)?;
    check_open_unit("confidence", confidence)?;
    let alpha = 1.0 - confidence;
    let lo = if successes == 0.0 {
        0.0
    } else {
        beta_inc_inv(successes, trials - successes + 1.0, alpha / 2.0)?
    };
    let hi = if successes == trials {
        1.0
    } else {
        beta_inc_inv_upper(successes + 1.0, trials - successes, alpha / 2.0)?
    };
    Ok(Interval { lo, hi })
}

/// A confidence interval for a proportion with the chosen method.
pub fn proportion_interval(
    successes: f64,
    trials: f64,
    confidence: f64,
    method: ProportionInterval,
) -> Result<Interval> {
    match method {
        ProportionInterval::Wilson => wilson_interval(successes, trials, confidence),
        ProportionInterval::ClopperPearson => {
            clopper_pearson_interval(successes, trials, confidence)
        }
    }
}

/// The rate `successes / trials` as an [`Estimate`] with its 95% interval.
pub fn rate_estimate(successes: u64, trials: u64, method: ProportionInterval) -> Result<Estimate> {
    let interval = proportion_interval(successes as f64, trials as f64, 0.95, method)?;
    Ok(Estimate::with_interval(
        successes as f64 / trials as f64,
        interval,
        trials,
    ))
}

/// Which side of the target a rate must be shown to lie on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetSide {
    /// The rate must exceed the target (detection rate > 95%): the interval's lower end
    /// must lie above it.
    Above,
    /// The rate must stay below the target (false-negative rate < 1%): the interval's upper
    /// end must lie below it.
    Below,
}

/// What a sample-size plan asks for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RatePlan {
    /// The rate the system is expected to achieve.
    pub expected: f64,
    /// The threshold the rate has to be shown to beat.
    pub target: f64,
    /// Whether the rate has to be above or below the target.
    pub side: TargetSide,
    /// Two-sided confidence level of the interval that decides (0.95 in jiebang verdicts).
    pub confidence: f64,
}

impl RatePlan {
    fn validate(&self) -> Result<()> {
        check_open_unit("expected rate", self.expected)?;
        check_open_unit("target rate", self.target)?;
        check_open_unit("confidence", self.confidence)?;
        let right_side = match self.side {
            TargetSide::Above => self.expected > self.target,
            TargetSide::Below => self.expected < self.target,
        };
        if right_side {
            Ok(())
        } else {
            Err(MetricError::Undefined {
                metric: "sample size",
                reason: "the expected rate is not on the required side of the target, so no \
                         sample size can show it",
            })
        }
    }
}

const MAX_PLANNED_SAMPLES: u64 = 1 << 40;

/// The smallest number of samples `n` such that, if the observed rate equals the expected
/// rate exactly (count `expected · n`, not rounded), the two-sided interval of `method`
/// excludes the target on the required side.
///
/// This is the size at which the verdict "met" is reached when the system performs exactly
/// as expected (about 50% power: a system that is exactly as good as expected decides in
/// roughly half of the runs). Use [`sample_size_for_power`] for a size with higher power.
pub fn sample_size_to_decide(plan: &RatePlan, method: ProportionInterval) -> Result<u64> {
    plan.validate()?;
    let decides = |n: u64| -> Result<bool> {
        let trials = n as f64;
        let interval =
            proportion_interval(plan.expected * trials, trials, plan.confidence, method)?;
        Ok(match plan.side {
            TargetSide::Above => interval.lo > plan.target,
            TargetSide::Below => interval.hi < plan.target,
        })
    };
    // Exponential search for an upper bound, then bisection (the interval narrows
    // monotonically around the fixed rate as n grows).
    let mut hi = 1u64;
    while !decides(hi)? {
        if hi >= MAX_PLANNED_SAMPLES {
            return Err(MetricError::Undefined {
                metric: "sample size",
                reason: "more than 2^40 samples would be needed",
            });
        }
        hi *= 2;
    }
    let mut lo = hi / 2; // decides(lo) is false (or lo == 0)
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if decides(mid)? {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Ok(hi)
}

/// Sample size for a one-sided test of the rate against the target with the given power,
/// by the normal approximation on the arcsine scale (Cohen's effect size
/// `h = |2 asin √expected − 2 asin √target|`):
/// `n = ⌈((z_{1-α} + z_{power}) / h)²⌉` with `α = (1 - confidence)/2`, so the one-sided test
/// has the same level as one end of the two-sided interval.
///
/// This is what statsmodels' `NormalIndPower(ratio=0)` solves for a one-sample proportion
/// with `proportion_effectsize`.
pub fn sample_size_for_power(plan: &RatePlan, power: f64) -> Result<u64> {
    plan.validate()?;
    check_open_unit("power", power)?;
    let alpha = (1.0 - plan.confidence) / 2.0;
    let z_alpha = normal_quantile(1.0 - alpha)?;
    let z_power = normal_quantile(power)?;
    let h = (2.0 * plan.expected.sqrt().asin() - 2.0 * plan.target.sqrt().asin()).abs();
    let n = ((z_alpha + z_power) / h).powi(2);
    if !(n.is_finite()) || n > MAX_PLANNED_SAMPLES as f64 {
        return Err(MetricError::Undefined {
            metric: "sample size",
            reason: "more than 2^40 samples would be needed",
        });
    }
    Ok(n.ceil() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_contain_the_rate_and_stay_in_unit_range() {
        for method in [
            ProportionInterval::Wilson,
            ProportionInterval::ClopperPearson,
        ] {
            for n in [1u64, 2, 7, 50, 1000] {
                for x in 0..=n.min(60) {
                    let i = proportion_interval(x as f64, n as f64, 0.95, method).unwrap();
                    let p = x as f64 / n as f64;
                    assert!(i.lo <= p && p <= i.hi, "{method:?} {x}/{n}: {i:?}");
                    assert!(i.lo >= 0.0 && i.hi <= 1.0);
                }
            }
        }
    }

    #[test]
    fn clopper_pearson_is_wider_than_wilson_here() {
        let w = wilson_interval(95.0, 100.0, 0.95).unwrap();
        let c = clopper_pearson_interval(95.0, 100.0, 0.95).unwrap();
        assert!(c.lo < w.lo && c.hi > w.hi);
    }

    #[test]
    fn bad_counts_are_errors() {
        assert!(wilson_interval(1.0, 0.0, 0.95).is_err());
        assert!(wilson_interval(5.0, 4.0, 0.95).is_err());
        assert!(clopper_pearson_interval(-1.0, 4.0, 0.95).is_err());
        assert!(wilson_interval(1.0, 4.0, 1.0).is_err());
    }

    #[test]
    fn planned_size_is_the_smallest_that_decides() {
        let plan = RatePlan {
            expected: 0.98,
            target: 0.95,
            side: TargetSide::Above,
            confidence: 0.95,
        };
        for method in [
            ProportionInterval::Wilson,
            ProportionInterval::ClopperPearson,
        ] {
            let n = sample_size_to_decide(&plan, method).unwrap();
            let at = |n: u64| proportion_interval(0.98 * n as f64, n as f64, 0.95, method).unwrap();
            assert!(at(n).lo > 0.95);
            assert!(at(n - 1).lo <= 0.95);
        }
        let below = RatePlan {
            expected: 0.002,
            target: 0.01,
            side: TargetSide::Below,
            confidence: 0.95,
        };
        let n = sample_size_to_decide(&below, ProportionInterval::Wilson).unwrap();
        assert!(
            wilson_interval(0.002 * n as f64, n as f64, 0.95)
                .unwrap()
                .hi
                < 0.01
        );
        let wrong = RatePlan {
            expected: 0.9,
            target: 0.95,
            side: TargetSide::Above,
            confidence: 0.95,
        };
        assert!(sample_size_to_decide(&wrong, ProportionInterval::Wilson).is_err());
        assert!(sample_size_for_power(&wrong, 0.8).is_err());
    }
}
