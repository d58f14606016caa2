//! `jiebang demo`: the main job on a fresh machine. Generates every suite's embedded default
//! dataset, runs it against each built-in system (the same code path as `jiebang run`), scores
//! the systems against each direction's sample declaration, and writes a leaderboard with charts.

use crate::context::Registry;
use crate::request::{RunRequest, SuiteSource, sut_text};
use crate::{board, cmd::demo_round, cmd::run};
use anyhow::{Context as _, Result, bail};
use jiebang_accel::BackendKind;
use jiebang_core::run::SutSpec;
use jiebang_scorecard::{Scorecard, verify_bytes};
use std::path::{Path, PathBuf};

/// Arguments of `jiebang demo`.
#[derive(clap::Args)]
#[command(after_help = "\
Writes to --out (default ./jiebang-demo):
  declarations/<direction>.toml             sample declarations scored against
  <suite>.<system>.accuracy.scorecard.json  one scorecard per suite and system
  <suite>.<system>.accuracy.log.jsonl       their per-query logs
  rounds/2019-demo, rounds/2020-demo        the demo rounds: synthetic units (one per
                                            direction certified by a demo agency's
                                            fixed-seed key, one with a hostile name)
                                            declared, run, submitted, `round check`ed
  index.html, directions/, units/,          the site of the rounds and the runs above:
  report.html, charts/, scorecards/         selection, ties, verdicts, curves, history,
                                            the annual report (open index.html)
  leaderboard.md, .csv, .json               each indicator: measured [95% CI] vs
                                            declared levels vs national target
  indicators.svg, indicators.png            the runs' indicators as one chart

Example directions (docs/ADDING-A-DIRECTION.md) are addressable by every command but
are not run here, so they stay off the demo leaderboard.

Running the demo again into the same --out first removes the previous demo's
scorecards, logs, site and rounds there (only those files and folders).

Then: jiebang verify jiebang-demo/*.scorecard.json
      jiebang show jiebang-demo/*.scorecard.json")]
pub struct Args {
    /// Output directory.
    #[arg(long, default_value = "jiebang-demo")]
    out: PathBuf,
    /// Compute backend for the built-in systems and scoring.
    #[arg(long, default_value = "cpu", value_parser = ["cpu", "wgpu", "cuda"])]
    backend: String,
    /// Only suites whose id contains this text (e.g. `medical-imaging`).
    #[arg(long)]
    only: Option<String>,
}

/// Runs the command; returns whether every scorecard written verified.
pub fn run(args: &Args, reg: &Registry, quiet: bool) -> Result<bool> {
    let cleared = clear_previous(&args.out)?;
    if cleared > 0 && !quiet {
        eprintln!(
            "removed {cleared} files of the previous demo from {}",
            args.out.display()
        );
    }
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let backend: BackendKind = args
        .backend
        .parse()
        .map_err(|e| anyhow::anyhow!("--backend {}: {e}", args.backend))?;
    let mut plan: Vec<RunRequest> = Vec::new();
    for task in reg.demo_tasks() {
        let declaration = match task.demo_declaration() {
            Some(text) => {
                let p = args
                    .out
                    .join("declarations")
                    .join(format!("{}.toml", task.direction().id));
                jiebang_core::atomic::write(&p, text.as_bytes())?;
                Some(p)
            }
            None => None,
        };
        for suite in task.suites() {
            if args.only.as_deref().is_some_and(|o| !suite.id.contains(o)) {
                continue;
            }
            // A supplied dataset (fetched, never generated) is not on a fresh machine.
            if suite.supplied().is_some() {
                continue;
            }
            for b in task.builtin_systems() {
                // Fault-injecting systems are for tests of `jiebang compare`, not for the demo.
                if b.suites.contains(&suite.id.as_str()) && !b.fault_injection {
                    plan.push(RunRequest {
                        backend,
                        declaration: declaration.clone(),
                        ..RunRequest::new(
                            SuiteSource::Embedded(suite.full_id()),
                            SutSpec::Builtin(b.name.to_string()),
                            args.out.clone(),
                        )
                    });
                }
            }
        }
    }
    if plan.is_empty() {
        bail!(
            "nothing to run: no registered suite has a built-in system{}",
            args.only
                .as_deref()
                .map(|o| format!(" matching `{o}`"))
                .unwrap_or_default()
        );
    }
    let mut cards: Vec<(String, Scorecard)> = Vec::new();
    for (i, req) in plan.iter().enumerate() {
        if !quiet {
            eprintln!(
                "[{}/{}] jiebang run {}",
                i + 1,
                plan.len(),
                crate::escape::terminal(&req.command_line())
            );
        }
        let w = run::execute(req, reg, quiet, false)
            .with_context(|| format!("demo run of {} with {}", req.suite, sut_text(&req.sut)))?;
        let name = w
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        cards.push((name, w.scorecard));
    }
    // Self-check: every scorecard written reads back and verifies.
    let mut ok = true;
    for (name, _) in &cards {
        let path = args.out.join(name);
        let bytes = std::fs::read(&path).with_context(|| format!("{}", path.display()))?;
        if let Err(e) = verify_bytes(&path.display().to_string(), &bytes, None) {
            eprintln!("{}: {e}", path.display());
            ok = false;
        }
    }
    let refs: Vec<(String, &Scorecard)> = cards.iter().map(|(n, s)| (n.clone(), s)).collect();
    println!("\n{}", summary(&refs));
    // The demo as a round: synthetic units declare, run, are certified or not, and are
    // submitted to two rounds; the site shows them with every run above.
    let rounds_dir = demo_round::rounds_dir(&args.out);
    let rounds = demo_round::build(&rounds_dir, reg, backend, args.only.as_deref(), quiet)?;
    let round_entries: usize = rounds.iter().map(|r| r.entries.len()).sum();
    let round_ids: Vec<String> = rounds.iter().map(|r| r.id.clone()).collect();
    let charted = board::write(&refs, rounds, &args.out)?;
    println!(
        "wrote {} scorecards, index.html, leaderboard.md, leaderboard.csv, leaderboard.json{} to {}",
        cards.len(),
        if charted {
            ", indicators.svg, indicators.png"
        } else {
            ""
        },
        args.out.display()
    );
    if !round_ids.is_empty() {
        println!(
            "built the demo rounds {} ({round_entries} entries, each checked by `jiebang round check`) under {}",
            round_ids.join(" and "),
            rounds_dir.display()
        );
    }
    println!("open the site: {}", args.out.join("index.html").display());
    println!(
        "check them: jiebang verify {}/*.scorecard.json",
        args.out.display()
    );
    Ok(ok)
}

/// Whether `name` is a file the demo writes at the top of its folder.
fn is_demo_output(name: &str) -> bool {
    name.ends_with(".scorecard.json")
        || name.ends_with(".log.jsonl")
        || name.starts_with("leaderboard.")
        || name.starts_with("selection.")
        || name.starts_with("report.")
        || name == "index.html"
        || name == "site.css"
        || name == "site.js"
        || name.starts_with("indicators.")
}

/// The folders of the demo's site and rounds, made afresh by each demo.
const DEMO_FOLDERS: [&str; 5] = ["directions", "units", "charts", "scorecards", "rounds"];

/// Removes the previous demo's own outputs from `out` so that the demo can run again: only in
/// a folder a demo made (it has `declarations/` or `leaderboard.md`), and only the files the
/// demo writes there. Returns how many were removed.
fn clear_previous(out: &Path) -> Result<usize> {
    if !out.join("declarations").is_dir() && !out.join("leaderboard.md").is_file() {
        return Ok(0);
    }
    let mut n = 0;
    for entry in std::fs::read_dir(out).with_context(|| format!("{}", out.display()))? {
        let entry = entry.with_context(|| format!("{}", out.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type().is_ok_and(|t| t.is_file()) && is_demo_output(&name) {
            let p = entry.path();
            std::fs::remove_file(&p).with_context(|| format!("removing {}", p.display()))?;
            n += 1;
        } else if entry.file_type().is_ok_and(|t| t.is_dir())
            && DEMO_FOLDERS.contains(&name.as_str())
        {
            let p = entry.path();
            std::fs::remove_dir_all(&p).with_context(|| format!("removing {}", p.display()))?;
            n += 1;
        }
    }
    Ok(n)
}

/// The verdict table printed at the end: one block per scorecard, a header row, and columns
/// aligned across every block.
fn summary(cards: &[(String, &Scorecard)]) -> String {
    use std::fmt::Write as _;
    const HEAD: [&str; 5] = [
        "indicator",
        "measured [95% CI]",
        "vs national target",
        "vs declared current",
        "vs own 2020 target",
    ];
    let word = |v: &Option<jiebang_scorecard::Verdict>| {
        v.as_ref()
            .map(|v| v.status.word())
            .unwrap_or("—")
            .to_string()
    };
    let blocks: Vec<(&str, Vec<[String; 5]>)> = cards
        .iter()
        .map(|(name, sc)| {
            let rows = sc
                .indicators
                .iter()
                .map(|i| {
                    let unit = crate::report::shown_unit(sc, &i.metric, &i.unit);
                    let reported = sc
                        .metrics
                        .get(&i.metric)
                        .is_some_and(|m| m.self_reported.is_some());
                    let measured = match i.measured {
                        Some(_) => format!(
                            "{} {}{}",
                            crate::fmt::value(i.measured, unit),
                            crate::fmt::interval(i.ci95, unit),
                            if reported { " self-reported" } else { "" }
                        ),
                        None => "not measured".into(),
                    };
                    [
                        i.id.clone(),
                        measured,
                        word(&i.verdicts.national),
                        word(&i.verdicts.declared_current),
                        word(&i.verdicts.own_target),
                    ]
                })
                .collect();
            (name.as_str(), rows)
        })
        .collect();
    let mut widths = HEAD.map(|h| h.chars().count());
    for (_, rows) in &blocks {
        for r in rows {
            for (w, c) in widths.iter_mut().zip(r) {
                *w = (*w).max(c.chars().count());
            }
        }
    }
    let line = |cells: [&str; 5]| {
        let text = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w - c.chars().count())))
            .collect::<Vec<_>>()
            .join("  ");
        format!("  {}", text.trim_end())
    };
    let mut out = String::from("indicator verdicts\n");
    for (name, rows) in &blocks {
        let _ = writeln!(out, "{name}");
        let _ = writeln!(out, "{}", line(HEAD));
        for r in rows {
            let _ = writeln!(out, "{}", line(r.each_ref().map(String::as_str)));
        }
    }
    if blocks
        .iter()
        .any(|(_, rows)| rows.iter().any(|r| r[1].ends_with(" self-reported")))
    {
        out.push_str(
            "self-reported: the figure rests on times the system reported about itself, checked \
             against what the harness observed (`jiebang show FILE` gives the check)\n",
        );
    }
    out
}
