//! `jiebang run --find-peak`: repeated server runs at rising, then bisected, arrival rates until
//! the highest rate whose latency percentile meets its bound is known within a precision.
//! Every trial is an ordinary run with its own log and scorecard; the best one is copied out.

use super::run::{Args, Written, execute};
use crate::context::Registry;
use crate::peak_chart::{self, ChartTrial};
use crate::request::RunRequest;
use anyhow::{Context as _, Result, anyhow, bail};
use jiebang_core::run::peak::{PeakEnd, PeakSearch, qps_label};
use jiebang_core::run::{Mode, Scenario, latency_metric_id};
use jiebang_scorecard::Scorecard;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Start rate when neither `--target-qps` nor the suite gives one.
const DEFAULT_START_QPS: f64 = 10.0;

/// One trial as the summary reports it.
#[derive(Serialize)]
struct Row {
    qps: f64,
    passed: bool,
    /// `perf.server.bound_met`'s reason when it could not be shown either way.
    reason: Option<String>,
    percentile: f64,
    latency_s: Option<f64>,
    latency_ci95: Option<[f64; 2]>,
    achieved_qps: Option<f64>,
    over_bound: Option<f64>,
    queries: u64,
    failures: u64,
    scorecard: PathBuf,
    id: String,
}

/// The search summary written as `<stem>.peak.json`.
#[derive(Serialize)]
struct Summary<'a> {
    suite: String,
    sut: String,
    backend: String,
    latency_bound_s: f64,
    percentile: f64,
    precision: f64,
    /// Highest passing rate, `null` when none passed.
    peak_qps: Option<f64>,
    /// Lowest failing rate above it, `null` when none failed.
    lowest_failing_qps: Option<f64>,
    end: String,
    /// Failures at or below a passing rate: the system's run-to-run noise.
    non_monotone_qps: Vec<f64>,
    best_scorecard: Option<&'a Path>,
    trials: &'a [Row],
}

fn setting_f64(sc: &Scorecard, key: &str) -> Result<f64> {
    sc.pins
        .settings
        .get(key)
        .and_then(serde_json::Value::as_f64)
        .ok_or_else(|| anyhow!("the trial's scorecard has no setting `{key}`"))
}

fn row(w: &Written, qps: f64) -> Result<Row> {
    let sc = &w.scorecard;
    let p = setting_f64(sc, "server_percentile")?;
    let bound = sc.metrics.get("perf.server.bound_met");
    let lat = sc.metrics.get(&latency_metric_id(p));
    let value = |id: &str| sc.metrics.get(id).and_then(|m| m.value);
    Ok(Row {
        qps,
        passed: bound.and_then(|m| m.value) == Some(1.0),
        reason: bound.and_then(|m| m.reason.clone()),
        percentile: p,
        latency_s: lat.and_then(|m| m.value),
        latency_ci95: lat.and_then(|m| m.ci95),
        achieved_qps: value("perf.server.achieved_qps"),
        over_bound: value("perf.server.over_bound"),
        queries: sc.run.queries.issued,
        failures: sc.run.queries.failures.failed_queries(),
        scorecard: w.path.clone(),
        id: sc.id.clone().unwrap_or_default(),
    })
}

fn verdict(r: &Row) -> String {
    if r.passed {
        "met".into()
    } else if let Some(reason) = &r.reason {
        format!("not shown: {reason}")
    } else {
        "not met".into()
    }
}

fn fmt_s(v: Option<f64>) -> String {
    v.map_or("—".into(), |v| format!("{:.4} s", v))
}

/// A peak search: the base run (server scenario) and how the search goes.
pub struct PeakRequest {
    /// Every trial's run, but for its arrival rate and output folder.
    pub base: RunRequest,
    /// The first trial's arrival rate, queries per second.
    pub start_qps: f64,
    /// Relative precision at which the search stops.
    pub precision: f64,
    /// Most trials.
    pub max_trials: usize,
}

/// The peak search `run`'s flags ask for: refuses the flags a search cannot take, then times
/// the server scenario from `--target-qps` (default 10).
pub fn request(args: &Args) -> Result<PeakRequest> {
    if let Some(m) = args.mode.as_deref()
        && m != "performance"
    {
        bail!(
            "--find-peak times the server scenario: --mode {m} does not apply (leave --mode out)"
        );
    }
    if let Some(s) = args.scenario.as_deref()
        && s != "server"
    {
        bail!(
            "--find-peak searches the server scenario's arrival rate: --scenario {s} does not apply"
        );
    }
    for (given, flag) in [
        (args.resume, "--resume"),
        (args.shard.is_some(), "--shard"),
        (args.log.is_some(), "--log"),
    ] {
        if given {
            bail!("--find-peak runs one log per trial: {flag} does not apply");
        }
    }
    let start_qps = match args.target_qps.as_deref() {
        Some(q) => q
            .trim()
            .parse::<f64>()
            .map_err(|_| anyhow!("--target-qps `{q}`: expected a number of queries per second"))?,
        None => DEFAULT_START_QPS,
    };
    let mut base = args.request()?;
    base.settings.mode = Mode::Performance;
    base.settings.scenario = Some(Scenario::Server);
    Ok(PeakRequest {
        base,
        start_qps,
        precision: args.peak_precision,
        max_trials: args.peak_trials,
    })
}

/// Runs the search; returns whether some rate met the bound. `json`: the summary is printed
/// as JSON instead of the table.
pub fn run(p: &PeakRequest, reg: &Registry, quiet: bool, json: bool) -> Result<bool> {
    let out = &p.base.out;
    let mut search = PeakSearch::new(p.start_qps, p.precision, p.max_trials)
        .map_err(|e| anyhow!("--find-peak: {e}"))?;
    let mut rows: Vec<Row> = Vec::new();
    let mut cards: Vec<Written> = Vec::new();
    let end = loop {
        let qps = match search.next() {
            Ok(q) => q,
            Err(end) => break end,
        };
        let label = qps_label(qps);
        let mut trial = p.base.clone();
        trial.settings.set("server_target_qps", &label)?;
        trial.out = out.join("peak-trials").join(format!("qps-{label}"));
        if !quiet {
            eprintln!(
                "peak search: trial {} at {label} qps",
                search.trials().len() + 1
            );
        }
        let w = execute(&trial, reg, quiet, json)
            .with_context(|| format!("peak search trial at {label} qps"))?;
        let r = row(&w, qps)?;
        if !quiet {
            eprintln!(
                "peak search: {label} qps → {} (p{} latency {}, achieved {} qps)",
                verdict(&r),
                r.percentile * 100.0,
                fmt_s(r.latency_s),
                r.achieved_qps.map_or("—".into(), |q| format!("{q:.2}")),
            );
        }
        // A trial that early stopping cannot decide has not shown the bound met: once a lower
        // rate has passed it counts as not met (the peak is the highest rate *shown* to meet
        // the bound; LoadGen calls such a run INVALID). Before any pass, halving would only
        // repeat the problem, so the search stops and says why.
        let undecided = !r.passed && r.reason.is_some();
        let stop = undecided && search.best().is_none();
        if !stop {
            search.record(qps, r.passed);
        }
        rows.push(r);
        cards.push(w);
        if stop {
            break PeakEnd::Undecided { qps };
        }
    };
    let best = search.best();
    let best_card = best.and_then(|b| cards.iter().zip(&rows).find(|(_, r)| r.qps == b));
    let first = cards
        .first()
        .ok_or_else(|| anyhow!("--find-peak: no trial ran"))?;
    let sc0 = &first.scorecard;
    let stem = first
        .path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_suffix(".scorecard.json"))
        .unwrap_or("run")
        .to_string();
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let best_path = match best_card {
        Some((w, _)) => {
            let to = out.join(format!("{stem}.scorecard.json"));
            let bytes =
                std::fs::read(&w.path).with_context(|| format!("reading {}", w.path.display()))?;
            jiebang_core::atomic::write(&to, &bytes)?;
            Some(to)
        }
        None => None,
    };
    let bound = setting_f64(sc0, "server_latency_bound_s")?;
    let summary = Summary {
        suite: format!("{}@{}", sc0.pins.suite.id, sc0.pins.suite.version),
        sut: format!("{}:{}", sc0.pins.sut.adapter, sc0.pins.sut.name),
        backend: format!("{} {}", sc0.pins.backend.kind, sc0.pins.backend.device),
        latency_bound_s: bound,
        percentile: rows[0].percentile,
        precision: p.precision,
        peak_qps: best,
        lowest_failing_qps: search.lowest_failure(),
        end: end.to_string(),
        non_monotone_qps: search.non_monotone(),
        best_scorecard: best_path.as_deref(),
        trials: &rows,
    };
    let json_path = out.join(format!("{stem}.peak.json"));
    let mut text = serde_json::to_string_pretty(&summary)?;
    text.push('\n');
    jiebang_core::atomic::write(&json_path, text.as_bytes())?;
    let points: Vec<ChartTrial> = rows
        .iter()
        .map(|r| ChartTrial {
            qps: r.qps,
            latency_s: r.latency_s,
            ci: r.latency_ci95,
            passed: r.passed,
        })
        .collect();
    let title = format!("{} — {}", summary.suite, summary.sut);
    let charted = peak_chart::write(
        &points,
        bound,
        rows[0].percentile,
        &title,
        out,
        &format!("{stem}.peak"),
    )?;
    if json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        print_table(&summary, &end);
        println!("summary    {}", json_path.display());
        if charted {
            println!(
                "chart      {}",
                out.join(format!("{stem}.peak.svg")).display()
            );
        }
        if let Some(p) = &best_path {
            println!("scorecard  {} (the peak trial)", p.display());
        }
    }
    if let PeakEnd::Undecided { qps } = end {
        let reason = rows
            .last()
            .and_then(|r| r.reason.clone())
            .unwrap_or_default();
        bail!(
            "peak search stopped: the trial at {} qps could not decide the latency bound: {reason}",
            qps_label(qps)
        );
    }
    Ok(best.is_some())
}

fn print_table(s: &Summary<'_>, end: &PeakEnd) {
    println!(
        "peak search: {} on {}, p{} latency bound {} s",
        s.suite,
        s.sut,
        s.percentile * 100.0,
        s.latency_bound_s
    );
    println!(
        "{:>10}  {:>12}  {:>12}  {:>8}  verdict",
        "target", "achieved", "latency", "over"
    );
    for r in s.trials {
        println!(
            "{:>10}  {:>12}  {:>12}  {:>8}  {}",
            qps_label(r.qps),
            r.achieved_qps.map_or("—".into(), |q| format!("{q:.2}")),
            fmt_s(r.latency_s),
            r.over_bound.map_or("—".into(), |o| format!("{o}")),
            verdict(r)
        );
    }
    match (s.peak_qps, s.lowest_failing_qps) {
        (Some(p), Some(f)) => println!(
            "peak       {} qps (fails at {} qps; {end})",
            qps_label(p),
            qps_label(f)
        ),
        (Some(p), None) => println!("peak       at least {} qps ({end})", qps_label(p)),
        (None, _) => println!("peak       none: {end}"),
    }
    if !s.non_monotone_qps.is_empty() {
        let list: Vec<String> = s.non_monotone_qps.iter().map(|q| qps_label(*q)).collect();
        println!(
            "note       failed below the peak at {} qps: the system's timing is noisy; \
             raise min_duration_s",
            list.join(", ")
        );
    }
}
