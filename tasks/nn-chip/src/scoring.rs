//! Metrics from decided workloads: per workload the median reported iteration time (bootstrap
//! 95% CI) and the rate from it, labelled self-reported and credited only when checked against
//! the harness's observation, the harness-observed lower bound on the rate, the relative error,
//! the correctness verdict and the energy efficiency; across workloads the best rates by
//! precision (checked and observed), the fraction of the theoretical peak, the best efficiency,
//! the share of accepted outputs and CNN/RNN/LSTM support.

use crate::answer::KernelAnswer;
use crate::catalogue::{self as cat, workload_metric};
use crate::check::Verdict;
use crate::spec::{Family, Precision, WorkloadSpec};
use crate::timing::Check;
use jiebang_accel::seeded::sub_seed;
use jiebang_core::{CoreError, Scores};
use jiebang_metrics::bootstrap::{
    BootstrapMethod, BootstrapSettings, Units, bootstrap, quantile_linear,
};
use jiebang_scorecard::{CiMethod, Metric};

/// Bootstrap resamples for the interval of a median iteration time.
pub const RESAMPLES: usize = 2000;

/// One workload of the run with what became of its two queries (`crate::pairs`).
#[derive(Debug, Clone)]
pub struct Scored<'a> {
    /// The workload.
    pub spec: &'a WorkloadSpec,
    /// Its position in the dataset (seeds the bootstrap).
    pub index: usize,
    /// The short query's answer, when well-formed (shape and timing).
    pub answer: Option<KernelAnswer>,
    /// The harness's decision on the workload's outputs; `None` for a technical failure.
    pub verdict: Option<Verdict>,
    /// Why there is no verdict (the technical failure).
    pub failure: Option<String>,
    /// The check of the reported seconds against the observed wall times.
    pub timing: Check,
    /// The harness-observed lower bound on the rate, operations per second, or why none.
    pub rate_observed: Result<f64, String>,
}

/// Median of `seconds` and its bootstrap percentile 95% interval (none for one iteration).
fn median_with_ci(seconds: &[f64], seed: u64) -> Result<(f64, Option<[f64; 2]>), CoreError> {
    let err = |e: jiebang_metrics::MetricError| CoreError::Other(format!("scoring: {e}"));
    let median = quantile_linear(seconds, 0.5).map_err(err)?;
    if seconds.len() < 2 {
        return Ok((median, None));
    }
    let settings = BootstrapSettings {
        resamples: RESAMPLES,
        seed,
        confidence: 0.95,
        method: BootstrapMethod::Percentile,
    };
    let mut buf = Vec::with_capacity(seconds.len());
    let r = bootstrap(
        &Units::samples(seconds.len()),
        |idx| {
            buf.clear();
            buf.extend(idx.iter().map(|&i| seconds[i]));
            quantile_linear(&buf, 0.5)
        },
        &settings,
    )
    .map_err(err)?;
    Ok((median, Some([r.interval.lo, r.interval.hi])))
}

/// What an energy figure rests on.
const ENERGY_LABEL: &str = "energy_j reported by the system for its timed iterations; the harness \
     observes no energy, so it is not checked";

/// Per-workload results kept for the aggregates.
struct Row {
    precision: Precision,
    family: Family,
    correct: bool,
    rate: Option<Metric>,
    rate_observed: Option<Metric>,
    efficiency: Option<f64>,
    energy_reason: Option<String>,
    peak: Option<f64>,
    peak_basis: Option<String>,
}

/// Scores the decided workloads. `listed` is the suite's metric list: aggregates not in it
/// are not written. `seed` seeds the bootstrap.
pub fn score(items: &[Scored<'_>], listed: &[String], seed: u64) -> Result<Scores, CoreError> {
    let mut s = Scores::default();
    let mut rows = Vec::with_capacity(items.len());
    for it in items {
        let id = &it.spec.id;
        let m = |suffix: &str| workload_metric(id, suffix);
        let precision = it.spec.precision();
        let unit = precision.rate_unit();
        let correct = it.verdict.as_ref().is_some_and(|v| v.correct);
        let mut row = Row {
            precision,
            family: it.spec.family(),
            correct,
            rate: None,
            rate_observed: None,
            efficiency: None,
            energy_reason: None,
            peak: None,
            peak_basis: None,
        };
        let technical = it.verdict.is_none().then(|| {
            format!(
                "no well-formed answer (technical failure; counted as incorrect): {}",
                it.failure.as_deref().unwrap_or("no answer")
            )
        });
        let mut verdict = Metric::exact(if correct { 1.0 } else { 0.0 }, 1, "bool");
        if !correct {
            // Says why the harness rejected the output (the value itself is 0).
            verdict.reason = Some(match (&it.verdict, &technical) {
                (Some(v), _) => v.detail.clone(),
                (None, Some(t)) => t.clone(),
                (None, None) => "no well-formed answer (technical failure)".into(),
            });
        }
        s.metrics.insert(m("correct"), verdict);
        if let Some(a) = &it.answer {
            s.digests
                .insert(format!("output.{id}"), a.output_digest.clone());
        }
        let observed = match (&technical, &it.rate_observed) {
            (Some(t), _) => Metric::not_measured(0, unit, t.clone()),
            (None, Ok(r)) => Metric::point(r / 1e12, 1, unit),
            (None, Err(why)) => Metric::not_measured(0, unit, why.clone()),
        };
        row.rate_observed = Some(observed.clone());
        s.metrics.insert(m("rate_observed"), observed);
        let Some(a) = it.answer.as_ref().filter(|_| technical.is_none()) else {
            let why = technical.clone().unwrap_or_else(|| match &it.timing {
                Check::Unchecked(w) | Check::Contradicted(w) => w.clone(),
                Check::Consistent(_) => "the short query has no well-formed answer".into(),
            });
            s.metrics
                .insert(m("latency"), Metric::not_measured(0, "s", why.clone()));
            s.metrics
                .insert(m("rate"), Metric::not_measured(0, unit, why.clone()));
            s.metrics
                .insert(m("rel_error"), rel_error(it.verdict.as_ref(), &why));
            s.metrics.insert(
                m("efficiency"),
                Metric::not_measured(0, "TOPS/W", why.clone()),
            );
            row.energy_reason = Some(why);
            rows.push(row);
            continue;
        };
        let n = a.seconds.len() as u64;
        s.metrics
            .insert(m("rel_error"), rel_error(it.verdict.as_ref(), "no verdict"));
        let ops = it.spec.ops() as f64;
        match &it.timing {
            Check::Consistent(label) => {
                let (median, ci) = median_with_ci(&a.seconds, sub_seed(seed, it.index as u64))?;
                let method = CiMethod::BootstrapMedian;
                let latency = Metric::estimate(median, ci, method.clone(), n, "s")
                    .with_self_reported(label.clone());
                s.metrics.insert(m("latency"), latency);
                s.samples.insert(m("latency"), a.seconds.clone());
                let tera = |secs: f64| ops / secs / 1e12;
                let rate = Metric::estimate(
                    tera(median),
                    ci.map(|[lo, hi]| [tera(hi), tera(lo)]),
                    method,
                    n,
                    unit,
                )
                .with_self_reported(label.clone());
                s.metrics.insert(m("rate"), rate.clone());
                row.rate = Some(rate);
            }
            Check::Unchecked(why) | Check::Contradicted(why) => {
                s.metrics
                    .insert(m("latency"), Metric::not_measured(n, "s", why.clone()));
                let rate = Metric::not_measured(n, unit, why.clone());
                s.metrics.insert(m("rate"), rate.clone());
                row.rate = Some(rate);
            }
        }
        let efficiency = match a.energy_j {
            Some(j) if j > 0.0 => {
                let v = ops * n as f64 / j / 1e12;
                row.efficiency = Some(v);
                Metric::point(v, n, "TOPS/W").with_self_reported(ENERGY_LABEL)
            }
            Some(_) => Metric::not_measured(
                n,
                "TOPS/W",
                "the energy counter did not advance during the timed iterations (too short to measure)",
            ),
            None => Metric::not_measured(
                n,
                "TOPS/W",
                a.energy_reason
                    .clone()
                    .unwrap_or_else(|| "the system reported no energy reading".into()),
            ),
        };
        if row.efficiency.is_none() {
            row.energy_reason = efficiency.reason.clone();
        }
        s.metrics.insert(m("efficiency"), efficiency);
        row.peak = a.peak_ops_per_second;
        row.peak_basis = a.peak_basis.clone();
        rows.push(row);
    }
    aggregates(&rows, listed, &mut s)?;
    Ok(s)
}

/// The relative error of a verdict, or `null` with `why` when there is none.
fn rel_error(verdict: Option<&Verdict>, why: &str) -> Metric {
    match verdict {
        None => Metric::not_measured(0, "ratio", why),
        Some(v) => match v.rel_error {
            Some(e) => Metric::exact(e, 1, "ratio"),
            None => Metric::not_measured(1, "ratio", "a probed output value is not finite"),
        },
    }
}

fn aggregates(rows: &[Row], listed: &[String], s: &mut Scores) -> Result<(), CoreError> {
    let want = |id: &str| listed.iter().any(|m| m == id);
    let n_all = rows.len() as u64;
    for p in [Precision::F32, Precision::F16, Precision::Int8] {
        let of_p: Vec<&Row> = rows.iter().filter(|r| r.precision == p).collect();
        let best = best_rate(&of_p, |r| r.rate.as_ref());
        let id = cat::throughput_metric(p);
        if want(id) {
            s.metrics
                .insert(id.into(), best_or_why(best, &of_p, p, |r| r.rate.as_ref()));
        }
        let id = cat::observed_throughput_metric(p);
        if want(id) {
            let observed = best_rate(&of_p, |r| r.rate_observed.as_ref());
            s.metrics.insert(
                id.into(),
                best_or_why(observed, &of_p, p, |r| r.rate_observed.as_ref()),
            );
        }
        if p == Precision::F32 && (want(cat::PEAK_F32) || want(cat::PEAK_FRACTION_F32)) {
            let (peak, fraction) = peak_metrics(best);
            s.metrics.insert(cat::PEAK_F32.into(), peak);
            s.metrics.insert(cat::PEAK_FRACTION_F32.into(), fraction);
        }
    }
    if want(cat::EFFICIENCY_BEST) {
        let best = rows
            .iter()
            .filter(|r| r.correct)
            .filter_map(|r| r.efficiency)
            .fold(None, |b: Option<f64>, e| Some(b.map_or(e, |b| b.max(e))));
        let m = match best {
            Some(v) => Metric::point(v, n_all, "TOPS/W").with_self_reported(ENERGY_LABEL),
            None => Metric::not_measured(
                n_all,
                "TOPS/W",
                rows.iter()
                    .find_map(|r| r.energy_reason.clone())
                    .unwrap_or_else(|| "no correct workload has an energy reading".into()),
            ),
        };
        s.metrics.insert(cat::EFFICIENCY_BEST.into(), m);
    }
    if want(cat::CORRECTNESS) {
        let ok = rows.iter().filter(|r| r.correct).count() as u64;
        let m = jiebang_core::measure::share(cat::CORRECTNESS, ok, n_all, "no workloads")?;
        s.metrics.insert(cat::CORRECTNESS.into(), m);
    }
    let mut families = Vec::new();
    for (id, f, name) in [
        (cat::SUPPORT_CNN, Family::Cnn, "convolution"),
        (cat::SUPPORT_RNN, Family::Rnn, "RNN"),
        (cat::SUPPORT_LSTM, Family::Lstm, "LSTM"),
    ] {
        let of_f: Vec<&Row> = rows.iter().filter(|r| r.family == f).collect();
        let m = if of_f.is_empty() {
            Metric::not_measured(0, "bool", format!("no {name} workload in this run"))
        } else {
            let all = of_f.iter().all(|r| r.correct);
            Metric::exact(if all { 1.0 } else { 0.0 }, of_f.len() as u64, "bool")
        };
        families.push(m.clone());
        if want(id) {
            s.metrics.insert(id.into(), m);
        }
    }
    if want(cat::SUPPORT_ALL) {
        let m = if families.iter().any(|m| m.value == Some(0.0)) {
            Metric::exact(0.0, n_all, "bool")
        } else if let Some(missing) = families.iter().find(|m| m.value.is_none()) {
            Metric::not_measured(n_all, "bool", missing.reason.clone().unwrap_or_default())
        } else {
            Metric::exact(1.0, n_all, "bool")
        };
        s.metrics.insert(cat::SUPPORT_ALL.into(), m);
    }
    Ok(())
}

/// The correct workload with the highest rate of `rate`'s kind.
fn best_rate<'r>(
    rows: &[&'r Row],
    rate: impl Fn(&'r Row) -> Option<&'r Metric>,
) -> Option<(&'r Row, &'r Metric)> {
    rows.iter()
        .filter(|r| r.correct)
        .filter_map(|r| rate(r).map(|m| (*r, m)))
        .filter(|(_, m)| m.value.is_some())
        .max_by(|a, b| {
            a.1.value
                .unwrap_or(0.0)
                .total_cmp(&b.1.value.unwrap_or(0.0))
        })
}

/// The best rate's metric, or `null` saying why there is none.
fn best_or_why<'r>(
    best: Option<(&Row, &Metric)>,
    of_p: &[&'r Row],
    p: Precision,
    rate: impl Fn(&'r Row) -> Option<&'r Metric>,
) -> Metric {
    if let Some((_, m)) = best {
        return m.clone();
    }
    let n = of_p.len() as u64;
    if of_p.is_empty() {
        return Metric::not_measured(
            0,
            p.rate_unit(),
            format!("no {} workload in this run", p.as_str()),
        );
    }
    let unrated = of_p
        .iter()
        .filter(|r| r.correct)
        .find_map(|r| rate(r).and_then(|m| m.reason.clone()));
    Metric::not_measured(
        n,
        p.rate_unit(),
        match unrated {
            Some(why) => format!("no correct {} workload has a rate: {why}", p.as_str()),
            None => format!("no {} workload produced a correct output", p.as_str()),
        },
    )
}

fn peak_metrics(best: Option<(&Row, &Metric)>) -> (Metric, Metric) {
    let Some((row, rate)) = best else {
        let why = "no correct f32 workload has a checked rate";
        return (
            Metric::not_measured(0, "TFLOPS", why),
            Metric::not_measured(0, "ratio", why),
        );
    };
    let Some(peak) = row.peak else {
        let why = row
            .peak_basis
            .clone()
            .map(|b| format!("theoretical peak unknown: {b}"))
            .unwrap_or_else(|| "the system stated no theoretical peak".into());
        return (
            Metric::not_measured(1, "TFLOPS", why.clone()),
            Metric::not_measured(rate.n, "ratio", why),
        );
    };
    let peak_t = peak / 1e12;
    let stated = format!(
        "theoretical peak stated by the system ({}); the harness does not check it",
        row.peak_basis.as_deref().unwrap_or("no basis given")
    );
    // The rate's interval and method, scaled: the peak is a constant of the device.
    let fraction = Metric {
        value: rate.value.map(|v| v / peak_t),
        ci95: rate.ci95.map(|[lo, hi]| [lo / peak_t, hi / peak_t]),
        ci_method: rate.ci_method.clone(),
        n: rate.n,
        unit: "ratio".into(),
        reason: None,
        self_reported: None,
        convention: None,
        n_smaller_class: None,
    }
    .with_self_reported(format!(
        "throughput.f32 over the stated peak. Rate: {}. Peak: {stated}",
        rate.self_reported.as_deref().unwrap_or("harness-observed")
    ));
    (
        Metric::point(peak_t, 1, "TFLOPS").with_self_reported(stated),
        fraction,
    )
}
