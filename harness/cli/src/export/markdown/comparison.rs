//! A comparison's report in Markdown, for people and CI summaries: the verdict, both runs,
//! their differences, digest failures, regressions, improvements and every metric.

use crate::escape::{markdown as md, markdown_code as code};
use crate::export::comparison::{better_word, ci, digest_word, num, pct, short, summary};
use jiebang_core::compare::{Comparison, Coverage, DigestStatus, MetricChange, MetricStatus};
use std::fmt::Write as _;

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

/// The report: the verdict, both runs side by side, what differs, then the tables.
pub fn render(c: &Comparison) -> String {
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
