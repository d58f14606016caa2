//! `jiebang demo`: the main job on a fresh machine. Generates every suite's embedded default
//! dataset, runs it against each built-in system (the same code path as `jiebang run`), scores
//! the systems against each direction's sample declaration, and writes a leaderboard with charts.

use crate::context::Registry;
use crate::{board, chart, cmd::run};
use anyhow::{Context as _, Result, bail};
use clap::Parser as _;
use jiebang_scorecard::{Scorecard, verify_bytes};
use std::path::PathBuf;

/// Arguments of `jiebang demo`.
#[derive(clap::Args)]
#[command(after_help = "\
Writes to --out (default ./jiebang-demo):
  declarations/<direction>.toml     the sample declarations the systems are scored against
  <suite>.<system>.scorecard.json   one sealed scorecard per suite and built-in system
  <suite>.<system>.log.jsonl        their per-query logs
  leaderboard.md, leaderboard.csv   every indicator: measured [95% CI] vs declared vs national target
  indicators.svg, indicators.png    the same as a chart

Then: jiebang verify jiebang-demo/*.scorecard.json; jiebang show jiebang-demo/<file>")]
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

/// One run the demo makes.
struct Planned {
    suite: String,
    system: String,
    declaration: Option<PathBuf>,
}

/// Runs the command; returns whether every scorecard written verified.
pub fn run(args: &Args, reg: &Registry, quiet: bool) -> Result<bool> {
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let mut plan = Vec::new();
    for task in reg.tasks() {
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
            for b in task.builtin_systems() {
                // `*-test-*` systems inject faults for tests of `jiebang compare`; not for the demo.
                if b.suites.contains(&suite.id.as_str()) && !b.name.contains("-test-") {
                    plan.push(Planned {
                        suite: suite.full_id(),
                        system: format!("builtin:{}", b.name),
                        declaration: declaration.clone(),
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
    for (i, p) in plan.iter().enumerate() {
        let mut argv = vec![
            "run".to_string(),
            "--suite".into(),
            p.suite.clone(),
            "--sut".into(),
            p.system.clone(),
            "--backend".into(),
            args.backend.clone(),
            "--out".into(),
            args.out.display().to_string(),
        ];
        if let Some(d) = &p.declaration {
            argv.push("--declaration".into());
            argv.push(d.display().to_string());
        }
        eprintln!("[{}/{}] jiebang {}", i + 1, plan.len(), argv.join(" "));
        let run_args = run::Cli::try_parse_from(&argv).map_err(|e| anyhow::anyhow!("{e}"))?;
        let w = run::execute(&run_args.args, reg, quiet)
            .with_context(|| format!("demo run of {} with {}", p.suite, p.system))?;
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
    board::write(&refs, &args.out)?;
    let charted = chart::indicators(
        &refs.iter().map(|(_, s)| *s).collect::<Vec<_>>(),
        &args.out,
        "indicators",
    )?;
    println!("\n{}", summary(&refs));
    println!(
        "wrote {} scorecards, leaderboard.md, leaderboard.csv{} to {}",
        cards.len(),
        if charted {
            ", indicators.svg, indicators.png"
        } else {
            ""
        },
        args.out.display()
    );
    println!(
        "check them: jiebang verify {}/*.scorecard.json",
        args.out.display()
    );
    Ok(ok)
}

fn summary(cards: &[(String, &Scorecard)]) -> String {
    use std::fmt::Write as _;
    let mut out = String::from(
        "indicator verdicts (vs national target · vs declared current · vs own 2020 target)\n",
    );
    for (name, sc) in cards {
        let _ = writeln!(out, "{name}");
        for i in &sc.indicators {
            let w = |v: &Option<jiebang_scorecard::Verdict>| {
                v.as_ref().map(|v| v.status.word()).unwrap_or("—")
            };
            let _ = writeln!(
                out,
                "  {:<34} {:>22}  {:<13} {:<13} {}",
                i.id,
                format!(
                    "{} {}",
                    crate::fmt::value(i.measured, &i.unit),
                    crate::fmt::interval(i.ci95, &i.unit)
                ),
                w(&i.verdicts.national),
                w(&i.verdicts.declared_current),
                w(&i.verdicts.own_target)
            );
        }
    }
    out
}
