//! `jiebang show`: a readable report of one or more scorecards (each after checking its
//! integrity), one after another; what the scorecard says is escaped for the terminal.

use crate::escape::terminal as term;
use crate::export::{Exporter as _, Json};
use crate::report::{Format, not_a_scorecard};
use anyhow::{Context as _, Result, bail};
use jiebang_core::bounded::{self, limit};
use jiebang_scorecard::{Scorecard, verify_bytes};
use std::path::{Path, PathBuf};

/// Arguments of `jiebang show`.
#[derive(clap::Args)]
pub struct Args {
    /// Scorecard files (`*.scorecard.json`); several are shown one after another.
    #[arg(required = true)]
    scorecards: Vec<PathBuf>,
    /// Output format (`json` with several files prints a JSON array).
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

fn read(path: &Path) -> Result<Scorecard> {
    let bytes = bounded::read(path, limit::SCORECARD, "scorecard")?;
    if let Some(why) = not_a_scorecard(&bytes) {
        bail!("{}: {why}", path.display());
    }
    let v = verify_bytes(&path.display().to_string(), &bytes, None).with_context(|| {
        format!(
            "{} failed its integrity check (`jiebang verify {}` says more)",
            path.display(),
            path.display()
        )
    })?;
    Ok(v.scorecard)
}

/// Runs the command. Every file is shown that can be; an unreadable one is an error (exit 2)
/// after the others are printed.
pub fn run(args: &Args) -> Result<()> {
    let mut errors = Vec::new();
    let mut json = Vec::new();
    let many = args.scorecards.len() > 1;
    for (i, path) in args.scorecards.iter().enumerate() {
        let sc = match read(path) {
            Ok(sc) => sc,
            Err(e) => {
                errors.push(format!("{e:#}"));
                continue;
            }
        };
        match args.format {
            Format::Json if many => json.push(sc),
            _ => {
                if many {
                    if i > 0 {
                        println!();
                    }
                    println!("──── {} ────", term(&path.display().to_string()));
                }
                print!("{}", args.format.exporter().export(&sc)?);
            }
        }
    }
    if !json.is_empty() {
        print!("{}", Json.export(&json[..])?);
    }
    match errors.len() {
        0 => Ok(()),
        1 => bail!("{}", errors[0]),
        n => bail!("{n} files could not be shown:\n  {}", errors.join("\n  ")),
    }
}
