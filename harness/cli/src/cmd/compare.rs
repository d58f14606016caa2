//! `jiebang compare BASELINE NEW`: verifies both scorecards, compares them metric by metric
//! (bootstrap ratio intervals, noise threshold, digest mismatches as hard failures) and reports
//! in Markdown, JSON or JUnit XML. Exit code 0 pass, 1 regression, 2 error.

use crate::context::Registry;
use crate::escape::{markdown as md, markdown_code as code};
use anyhow::{Context as _, Result, bail};
use jiebang_core::compare::{
    Catalogue, CompareSettings, Comparison, Coverage, DEFAULT_NOISE, DigestStatus, MetricChange,
    MetricStatus, UnitRule, compare,
};
use jiebang_scorecard::{Better, Scorecard, verify_bytes};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Report formats.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum CompareFormat {
    /// A Markdown report (tables), for people and CI summaries.
    Markdown,
    /// The full comparison as JSON, for tools.
    Json,
    /// JUnit XML: one test case per metric and per digest, for CI test reporters.
    Junit,
}

/// Arguments of `jiebang compare`.
#[derive(clap::Args)]
#[command(
    allow_negative_numbers = true,
    after_help = "Which way is better for a metric, and which workload a metric or output digest \
belongs to, come from the catalogue of the scorecards' direction (`jiebang tasks --json`). A \
scorecard of a direction this build does not know is still compared, by the generic rule: a \
metric is better lower or higher as its unit is in every registered catalogue and in the \
runner's own metrics (s lower; qps, bool higher), else not judged; every metric counts as an \
aggregate over the run's samples, and each digest as a workload of its own."
)]
pub struct Args {
    /// BASELINE NEW, or only NEW when `--baseline` is given.
    #[arg(required = true, num_args = 1..=2, value_name = "SCORECARD")]
    scorecards: Vec<PathBuf>,
    /// The baseline scorecard (alternative to giving it first).
    #[arg(long, value_name = "SCORECARD")]
    baseline: Option<PathBuf>,
    /// Report format.
    #[arg(long, value_enum, default_value = "markdown")]
    format: CompareFormat,
    /// Noise threshold: relative changes smaller than this never count as regressions
    /// (default 0.05 = 5 %; `--help` says how to choose it)
    ///
    /// The default 0.05 is a starting point for a quiet, dedicated machine, not a measured
    /// figure. On a shared or loaded machine, unchanged runs of small kernels differ by more
    /// than 5 % (up to 2x for multi-threaded ones), so the default reports false regressions.
    /// Measure the spread on the machine that runs the comparison
    /// (`tasks/nn-chip/scripts/noise.sh BACKEND RUNS` compares unchanged runs) and set --noise
    /// just above the largest significant change it reports. Measured figures:
    /// docs/performance/nn-chip.md and results/baselines/nn-chip/README.md.
    #[arg(long, default_value_t = DEFAULT_NOISE)]
    noise: f64,
    /// Seed of the bootstrap resampling.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Write the report to this file (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

fn read_verified(path: &Path) -> Result<Scorecard> {
    let bytes =
        jiebang_core::bounded::read(path, jiebang_core::bounded::limit::SCORECARD, "scorecard")?;
    let v = verify_bytes(&path.display().to_string(), &bytes, None).with_context(|| {
        format!(
            "{} failed its integrity check; `jiebang verify` says more",
            path.display()
        )
    })?;
    Ok(v.scorecard)
}

/// Runs the command; returns whether the new run passed.
pub fn run(args: &Args, reg: &Registry) -> Result<bool> {
    let (base_path, new_path) = match (&args.baseline, args.scorecards.as_slice()) {
        (Some(b), [n]) => (b.clone(), n.clone()),
        (None, [b, n]) => (b.clone(), n.clone()),
        (Some(_), _) => bail!("with --baseline, give exactly one scorecard: the new run"),
        (None, _) => bail!("give two scorecards: BASELINE NEW"),
    };
    let baseline = read_verified(&base_path)?;
    let new = read_verified(&new_path)?;
    let task = reg.task(&new.pins.task.direction);
    let units = reg
        .directions()
        .into_iter()
        .fold(UnitRule::runner(), UnitRule::learn);
    let catalogue = Catalogue::new(task.as_ref().map(|t| t.direction()), &units);
    let settings = CompareSettings {
        noise: args.noise,
        seed: args.seed,
        ..CompareSettings::default()
    };
    let c = compare(&baseline, &new, &settings, &catalogue).with_context(|| {
        format!(
            "comparing {} with {}",
            new_path.display(),
            base_path.display()
        )
    })?;
    let text = match args.format {
        CompareFormat::Markdown => markdown(&c),
        CompareFormat::Json => json(&c)?,
        CompareFormat::Junit => junit(&c),
    };
    match &args.out {
        Some(path) => {
            jiebang_core::atomic::write(path, text.as_bytes())?;
            println!(
                "{} ({})",
                crate::escape::terminal(&summary(&c)),
                crate::escape::terminal(&path.display().to_string())
            );
        }
        None => print!("{text}"),
    }
    Ok(c.passed())
}

fn summary(c: &Comparison) -> String {
    let r = c.regressions().count();
    let d = c.digest_failures().count();
    let judged = c
        .metrics
        .iter()
        .filter(|m| m.status != MetricStatus::NotJudged)
        .count();
    let mut s = format!(
        "{}: {} — {r} regression(s), {d} digest failure(s), {judged} of {} metric(s) judged, noise {}",
        c.suite,
        if c.passed() { "PASS" } else { "REGRESSION" },
        c.metrics.len(),
        pct(c.noise)
    );
    if let Some(cov) = &c.coverage {
        let (b, n) = (c.baseline.samples_text(), c.new.samples_text());
        let sets = if b == n {
            format!("different datasets of {b}")
        } else {
            format!("different sample sets: baseline {b}, new {n}")
        };
        let _ = write!(
            s,
            "; {sets}, so only the {} workload(s) both ran are compared",
            cov.common.len()
        );
    }
    if c.same_scorecard {
        s.push_str("; both sides are the same scorecard, so nothing can differ");
    }
    s
}

fn pct(x: f64) -> String {
    let s = format!("{:.2}", x * 100.0);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s}%")
}

fn num(v: Option<f64>) -> String {
    match v {
        None => "—".into(),
        Some(0.0) => "0".into(),
        Some(x) if (1e-2..1e5).contains(&x.abs()) => {
            let s = format!("{x:.4}");
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        }
        Some(x) => format!("{x:.3e}"),
    }
}

fn ci(c: Option<[f64; 2]>) -> String {
    c.map_or("—".into(), |[a, b]| format!("[{:.4}, {:.4}]", a, b))
}

fn better_word(b: Option<Better>) -> &'static str {
    match b {
        Some(Better::Lower) => "lower",
        Some(Better::Higher) => "higher",
        None => "?",
    }
}

fn short(id: &Option<String>) -> String {
    id.as_deref()
        .map_or("—".into(), |s| s.chars().take(16).collect())
}

/// Reasons (for missing values) that more than one row gives: printed once, numbered.
fn shared_reasons(rows: &[&MetricChange]) -> Vec<(String, usize)> {
    let mut seen: Vec<(String, usize)> = Vec::new();
    for r in rows.iter().filter_map(|m| m.reason.as_ref()) {
        match seen.iter_mut().find(|(x, _)| x == r) {
            Some((_, n)) => *n += 1,
            None => seen.push((r.clone(), 1)),
        }
    }
    seen.retain(|(_, n)| *n > 1);
    seen
}

fn metric_table(out: &mut String, rows: &[&MetricChange]) {
    let shared = shared_reasons(rows);
    if !shared.is_empty() {
        out.push_str("Reasons the scorecards give for missing values, shared by several rows:\n\n");
        for (i, (r, n)) in shared.iter().enumerate() {
            let _ = writeln!(out, "- [r{}] {} ({n} rows)", i + 1, md(r));
        }
        out.push('\n');
    }
    out.push_str(
        "| metric | unit | better | baseline | new | ratio | 95% CI | status | method |\n",
    );
    out.push_str("|---|---|---|---:|---:|---:|---|---|---|\n");
    for m in rows {
        let reason = m
            .reason
            .as_ref()
            .map(|r| match shared.iter().position(|(x, _)| x == r) {
                Some(i) => format!("see [r{}]", i + 1),
                None => r.clone(),
            });
        let note = match (&m.note, reason) {
            (Some(n), Some(r)) => Some(format!("{n}: {r}")),
            (Some(n), None) => Some(n.clone()),
            (None, r) => r,
        };
        let status = match note {
            Some(n) => format!("{} ({})", m.status.word(), md(&n)),
            None => m.status.word().to_string(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            code(&m.id),
            md(&m.unit),
            better_word(m.better),
            num(m.baseline),
            num(m.new),
            num(m.ratio),
            ci(m.ci),
            status,
            md(&m.method)
        );
    }
}

/// The Markdown report.
pub fn markdown(c: &Comparison) -> String {
    let mut o = String::new();
    let verdict = if c.passed() { "PASS" } else { "REGRESSION" };
    let _ = writeln!(o, "# jiebang compare: {} — {verdict}\n", md(&c.suite));
    let _ = writeln!(o, "{}\n", md(&summary(c)));
    o.push_str("| | baseline | new |\n|---|---|---|\n");
    let _ = writeln!(
        o,
        "| scorecard | {} | {} |",
        code(&short(&c.baseline.id)),
        code(&short(&c.new.id))
    );
    let _ = writeln!(
        o,
        "| backend | {} | {} |",
        md(&c.baseline.backend),
        md(&c.new.backend)
    );
    let _ = writeln!(
        o,
        "| system | {} | {} |",
        md(&c.baseline.sut),
        md(&c.new.sut)
    );
    let _ = writeln!(
        o,
        "| samples | {} | {} |",
        md(&c.baseline.coverage()),
        md(&c.new.coverage())
    );
    let _ = writeln!(
        o,
        "| started | {} | {} |\n",
        md(&c.baseline.started_at),
        md(&c.new.started_at)
    );
    if c.same_scorecard {
        let _ = writeln!(
            o,
            "**Both sides are the same scorecard** (id {}): comparing a run with itself always \
             passes. Give the baseline first and a new run second.\n",
            code(c.new.id.as_deref().unwrap_or("-"))
        );
    }
    if let Some(cov) = &c.coverage {
        coverage_section(&mut o, c, cov);
    }
    let _ = writeln!(
        o,
        "A metric regresses when it is worse by more than the noise threshold ({}) and its {}% \
         interval excludes no change. Intervals of metrics with per-iteration samples are \
         bootstrap intervals of the ratio of medians; other metrics compare their own 95% \
         intervals. A changed or missing output digest is a hard failure.\n",
        pct(c.noise),
        num(Some(c.confidence * 100.0))
    );
    if !c.differences.is_empty() {
        o.push_str("## Differences between the runs\n\n");
        for d in &c.differences {
            let _ = writeln!(o, "- {}", md(d));
        }
        o.push('\n');
    }
    let failed: Vec<_> = c.digest_failures().collect();
    if !failed.is_empty() {
        o.push_str("## Hard failures: output digests\n\n| digest | baseline | new | status |\n|---|---|---|---|\n");
        for d in failed {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} |",
                code(&d.name),
                code(&short(&d.baseline)),
                code(&short(&d.new)),
                digest_word(d.status)
            );
        }
        o.push('\n');
    }
    for (title, status) in [
        ("Regressions", MetricStatus::Regressed),
        ("Improvements", MetricStatus::Improved),
    ] {
        let rows: Vec<_> = c.metrics.iter().filter(|m| m.status == status).collect();
        if !rows.is_empty() {
            let _ = writeln!(o, "## {title}\n");
            metric_table(&mut o, &rows);
            o.push('\n');
        }
    }
    let same = c
        .digests
        .iter()
        .filter(|d| d.status == DigestStatus::Same)
        .count();
    let not_run = c
        .digests
        .iter()
        .filter(|d| d.status == DigestStatus::NotRun)
        .count();
    let _ = write!(
        o,
        "## All metrics\n\n{same} of {} output digest(s) identical",
        c.digests.len() - not_run
    );
    if not_run > 0 {
        let _ = write!(
            o,
            " ({not_run} more only in the baseline, of workloads the new run did not run)"
        );
    }
    o.push_str(".\n\n");
    // Metrics of a workload only one side ran say nothing more than the list above.
    let (all, left): (Vec<_>, Vec<_>) = c
        .metrics
        .iter()
        .partition(|m| !c.coverage.as_ref().is_some_and(|cov| cov.ran_by_one(&m.id)));
    if !left.is_empty() {
        let _ = writeln!(
            o,
            "{} metric(s) of workloads only one side ran are left out of this table (the JSON \
             report lists them).\n",
            left.len()
        );
    }
    metric_table(&mut o, &all);
    o
}

/// What is compared when the runs cover different sample sets.
fn coverage_section(o: &mut String, c: &Comparison, cov: &Coverage) {
    let list = |v: &[String]| v.iter().map(|w| code(w)).collect::<Vec<_>>().join(", ");
    o.push_str("## Different sample sets\n\n");
    let _ = writeln!(
        o,
        "The runs cover different samples (baseline: {}; new: {}). Only what both ran is \
         judged: the metrics and output digests of the {} shared workload(s). Aggregates over \
         the whole set are not judged, and a workload one side did not run is listed, not \
         failed. For a full comparison, run the new scorecard on the baseline's dataset (the \
         same --samples or --data, no --shard).\n",
        md(&c.baseline.coverage()),
        md(&c.new.coverage()),
        cov.common.len()
    );
    if !cov.common.is_empty() {
        let _ = writeln!(
            o,
            "- compared workloads ({}): {}",
            cov.common.len(),
            list(&cov.common)
        );
    }
    if !cov.only_baseline.is_empty() {
        let _ = writeln!(
            o,
            "- only in the baseline, not run in the new run ({}): {}",
            cov.only_baseline.len(),
            list(&cov.only_baseline)
        );
    }
    if !cov.only_new.is_empty() {
        let _ = writeln!(
            o,
            "- only in the new run ({}): {}",
            cov.only_new.len(),
            list(&cov.only_new)
        );
    }
    if !cov.aggregates.is_empty() {
        let _ = writeln!(
            o,
            "- aggregates not judged, computed over different sets ({}): {}",
            cov.aggregates.len(),
            list(&cov.aggregates)
        );
    }
    o.push('\n');
}

fn digest_word(s: DigestStatus) -> &'static str {
    match s {
        DigestStatus::Same => "same",
        DigestStatus::Changed => "changed",
        DigestStatus::Missing => "missing in new",
        DigestStatus::Added => "only in new",
        DigestStatus::NotRun => "not run in new",
    }
}

/// The JSON report: verdict counts plus the whole comparison.
pub fn json(c: &Comparison) -> Result<String> {
    let v = serde_json::json!({
        "schema_version": 1,
        "passed": c.passed(),
        "regressions": c.regressions().count(),
        "digest_failures": c.digest_failures().count(),
        "comparison": c,
    });
    Ok(serde_json::to_string_pretty(&v)? + "\n")
}

/// Text in the JUnit XML report.
fn xml(s: &str) -> String {
    crate::escape::html(s)
}

/// The JUnit XML report: a test case per metric (failure = regression, skipped = not judged)
/// and per digest (failure = changed or missing).
pub fn junit(c: &Comparison) -> String {
    let tests = c.metrics.len() + c.digests.len();
    let failures = c.regressions().count() + c.digest_failures().count();
    let skipped = c
        .metrics
        .iter()
        .filter(|m| m.status == MetricStatus::NotJudged)
        .count()
        + c.digests
            .iter()
            .filter(|d| d.status == DigestStatus::NotRun)
            .count();
    let suite = xml(&c.suite);
    let mut o = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        o,
        "<testsuites name=\"jiebang compare\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">"
    );
    let _ = writeln!(
        o,
        "  <testsuite name=\"{suite}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">"
    );
    for m in &c.metrics {
        let detail = format!(
            "{}: baseline {} {u}, new {} {u}, ratio {} {} ({}), noise {}",
            m.status.word(),
            num(m.baseline),
            num(m.new),
            num(m.ratio),
            ci(m.ci),
            m.method,
            pct(c.noise),
            u = m.unit
        );
        let _ = write!(
            o,
            "    <testcase classname=\"{suite}.metrics\" name=\"{}\"",
            xml(&m.id)
        );
        match m.status {
            MetricStatus::Regressed => {
                let _ = writeln!(
                    o,
                    ">\n      <failure type=\"regression\" message=\"{}\"/>\n    </testcase>",
                    xml(&detail)
                );
            }
            MetricStatus::NotJudged => {
                let why = match (&m.note, &m.reason) {
                    (Some(n), Some(r)) => format!("{n}: {r}"),
                    (n, r) => n.clone().or_else(|| r.clone()).unwrap_or_default(),
                };
                let _ = writeln!(
                    o,
                    ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                    xml(&why)
                );
            }
            _ => {
                let _ = writeln!(
                    o,
                    ">\n      <system-out>{}</system-out>\n    </testcase>",
                    xml(&detail)
                );
            }
        }
    }
    for d in &c.digests {
        let _ = write!(
            o,
            "    <testcase classname=\"{suite}.digests\" name=\"{}\"",
            xml(&d.name)
        );
        match d.status {
            DigestStatus::Changed | DigestStatus::Missing => {
                let msg = format!(
                    "output digest {}: baseline {}, new {}",
                    digest_word(d.status),
                    d.baseline.as_deref().unwrap_or("-"),
                    d.new.as_deref().unwrap_or("-")
                );
                let _ = writeln!(
                    o,
                    ">\n      <failure type=\"digest-mismatch\" message=\"{}\"/>\n    </testcase>",
                    xml(&msg)
                );
            }
            DigestStatus::NotRun => {
                let _ = writeln!(
                    o,
                    ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                    xml("only in the baseline: the new run did not run this workload")
                );
            }
            _ => o.push_str("/>\n"),
        }
    }
    o.push_str("  </testsuite>\n</testsuites>\n");
    o
}
