//! `jiebang show`: a readable report of a scorecard (after checking its integrity).

use crate::report::{Format, render};
use anyhow::{Context as _, Result};
use jiebang_scorecard::verify_bytes;
use std::path::PathBuf;

/// Arguments of `jiebang show`.
#[derive(clap::Args)]
pub struct Args {
    /// The scorecard file.
    scorecard: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

/// Runs the command.
pub fn run(args: &Args) -> Result<()> {
    let bytes =
        std::fs::read(&args.scorecard).with_context(|| format!("{}", args.scorecard.display()))?;
    let v =
        verify_bytes(&args.scorecard.display().to_string(), &bytes, None).with_context(|| {
            format!(
                "{} failed its integrity check; `jiebang verify` says more",
                args.scorecard.display()
            )
        })?;
    print!("{}", render(&v.scorecard, args.format));
    Ok(())
}
