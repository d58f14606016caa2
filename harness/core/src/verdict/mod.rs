//! Verdicts: whether a measured indicator meets a level, decided by its 95% confidence interval
//! and never by the point estimate alone, with the sample size that would decide when it can't.
//! Only on intervals that keep their coverage: proportions are decided on the Clopper–Pearson
//! interval, and grid cells of the coverage table (docs/STATISTICS.md) where a method covers
//! under 94% are refused (inconclusive, with the reason).

use jiebang_scorecard::{CiMethod, Comparison, Verdict, VerdictStatus};

mod refusals;
#[cfg(test)]
mod tests;

use refusals::{LEGACY, REFUSALS, Size};

/// A method's standing with the guard: simulated in the coverage table (by its family name
/// there), or sound without simulation (why), for the methods the tasks write today.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Basis {
    /// Decided on the coverage table's family of this name, refusals applied.
    Simulated(&'static str),
    /// Not simulated, and allowed: why its interval needs no table.
    NotSimulated(&'static str),
}

/// The speech tasks' percentile bootstraps over utterances (plain or stratified by scenario,
/// `B` at least the table's 1000), possibly widened to the tokens' Clopper–Pearson interval:
/// exactly the strings tasks write, nothing else.
fn speech_bootstrap(s: &str) -> bool {
    let s = s
        .strip_suffix(" widened to the Clopper-Pearson interval of the tokens")
        .unwrap_or(s);
    let Some(inner) = s
        .strip_prefix("bootstrap-percentile (")
        .and_then(|r| r.strip_suffix(')'))
    else {
        return false;
    };
    let Some((units, b)) = inner.split_once(", B=") else {
        return false;
    };
    let b_ok = !b.is_empty()
        && !b.starts_with('0')
        && b.bytes().all(|c| c.is_ascii_digit())
        && b.parse::<u64>().is_ok_and(|b| b >= 1000);
    b_ok && matches!(units, "utterances" | "utterances stratified by scenario")
}

/// The coverage-table family a verdict on `method` rests on, or why it needs none. A Wilson
/// interval is replaced by Clopper–Pearson's; DeLong and its logit form as they are; LUNA16's
/// case bootstrap and the speech tasks' `bootstrap-percentile (utterances…, B=1000)` as the
/// percentile bootstrap; `bootstrap-bca` as BCa. `exact`, `order-statistic` and nn-chip's
/// `bootstrap-percentile (median of iterations)` are allowed unsimulated. `None`: a method
/// the guard does not know, whose verdicts are inconclusive.
pub fn verdict_basis(method: &CiMethod) -> Option<Basis> {
    use Basis::*;
    Some(match method {
        CiMethod::Wilson | CiMethod::ClopperPearson => Simulated("clopper-pearson"),
        CiMethod::DeLong => Simulated("delong"),
        CiMethod::DeLongLogit => Simulated("delong-logit"),
        CiMethod::BootstrapCasesLuna16 { resamples } if *resamples >= 1000 => {
            Simulated("bootstrap-percentile")
        }
        CiMethod::Other(s) if speech_bootstrap(s) => Simulated("bootstrap-percentile"),
        CiMethod::Other(s) if s == "bootstrap-bca" => Simulated("bootstrap-bca"),
        CiMethod::Exact => NotSimulated("no sampling error: the interval is the value"),
        CiMethod::OrderStatistic => NotSimulated(
            "distribution-free: binomial ranks give at least the nominal coverage by construction",
        ),
        CiMethod::BootstrapMedian => NotSimulated(
            "a timing interval (median of iterations), not a proportion or ratio of counts",
        ),
        _ => return None,
    })
}

/// Why a verdict on an interval of `method` from `n` samples (`smaller_class` of them in the
/// smaller class of an AUC, when known) with this `estimate` is refused: the coverage table
/// shows the method under 94% there. `None` when it may be decided (or the method is not
/// simulated; [`verdict_basis`] says which).
pub fn coverage_refusal(
    method: &CiMethod,
    n: u64,
    smaller_class: Option<u64>,
    estimate: f64,
) -> Option<String> {
    let Some(Basis::Simulated(family)) = verdict_basis(method) else {
        return None;
    };
    REFUSALS
        .iter()
        .chain(LEGACY)
        .find(|r| {
            let size = match (r.size, smaller_class) {
                (Size::All, _) | (Size::AllWithoutSmaller, None) => Some(n),
                (Size::SmallerClass, m) => m,
                (Size::AllWithoutSmaller, Some(_)) => None,
            };
            r.family == family
                && size.is_some_and(|m| r.below.is_none_or(|b| m < b))
                && (r.lo..=r.hi).contains(&estimate)
        })
        .map(|r| {
            let what = match r.size {
                Size::All | Size::AllWithoutSmaller => "n",
                Size::SmallerClass => "the smaller class",
            };
            let sizes = match r.below {
                Some(b) => format!("{what} < {b}"),
                None => format!("any {what} (under 94% up to the largest simulated)"),
            };
            format!(
                "refused: the {family} interval covers under 94% with {sizes} and estimates \
                 in [{}, {}] ({}; docs/STATISTICS.md)",
                r.lo, r.hi, r.why
            )
        })
}

/// Decides `measured <op> threshold` from a metric's interval, its method and sample size
/// ([`decide`] on an interval that keeps its coverage).
///
/// Only methods the guard knows decide ([`verdict_basis`]): an interval with an unknown method
/// or none is inconclusive, with the reason. A Wilson interval of a proportion is replaced by
/// the Clopper–Pearson interval of the same count (`round(measured·n)` of `n`), which covers at
/// least 95% everywhere, while Wilson's falls to 90% near 0 and 1 at small `n` (Brown, Cai &
/// DasGupta 2001); the reason says so when that changes the outcome; a Wilson rate outside
/// [0, 1] or with `n = 0` has no count to do that with and is inconclusive. A met or not-met
/// outcome on a method and region where the coverage table shows under 94% becomes
/// inconclusive, with the reason. `smaller_class`: an AUC's smaller class, when known.
#[allow(clippy::too_many_arguments)]
pub fn decide_metric(
    measured: Option<f64>,
    ci95: Option<[f64; 2]>,
    method: Option<&CiMethod>,
    n: u64,
    smaller_class: Option<u64>,
    comparison: Comparison,
    threshold: f64,
    proportion: bool,
) -> Verdict {
    let shown = decide(measured, ci95, comparison, threshold, proportion);
    let (Some(x), Some(_)) = (measured, ci95) else {
        return shown;
    };
    if shown.reason.is_some() {
        // Not a number: nothing to guard.
        return shown;
    }
    let decided = matches!(shown.status, VerdictStatus::Met | VerdictStatus::NotMet);
    let refuse = |why: String| {
        let mut v = shown.clone();
        if decided {
            v.status = VerdictStatus::Inconclusive;
            v.reason = Some(why);
        }
        v
    };
    let Some(method) = method else {
        return refuse("refused: the interval names no method, so its coverage is unknown".into());
    };
    let Some(basis) = verdict_basis(method) else {
        return refuse(format!(
            "refused: interval method `{}` is not one the verdict guard knows (docs/STATISTICS.md \
             lists them)",
            method.to_string().escape_debug()
        ));
    };
    if *method == CiMethod::Wilson {
        if n == 0 || !(0.0..=1.0).contains(&x) {
            return refuse(format!(
                "refused: a Wilson interval needs a rate in [0, 1] of n > 0 cases to be decided \
                 on Clopper-Pearson's, and this is {x} of n = {n}"
            ));
        }
        let k = (x * n as f64).round();
        return match jiebang_metrics::proportion::clopper_pearson_interval(k, n as f64, 0.95) {
            Ok(cp) => {
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
                v
            }
            Err(e) => refuse(format!(
                "refused: no Clopper-Pearson interval of {k}/{n} to decide on ({e})"
            )),
        };
    }
    match (basis, coverage_refusal(method, n, smaller_class, x)) {
        (Basis::Simulated(_), Some(why)) => refuse(why),
        _ => shown,
    }
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
    if !x.is_finite() || lo.is_nan() || hi.is_nan() || lo > hi {
        v.status = VerdictStatus::Inconclusive;
        v.reason = Some(format!(
            "not decided: the estimate {x} with the interval [{lo}, {hi}] is not a finite value \
             inside an ordered interval"
        ));
        return v;
    }
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
