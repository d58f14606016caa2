//! The `jiebang` command: runs standardized, versioned suites against systems under test and
//! writes reproducible, hash-pinned scorecards; verifies, shows, signs and compares them.

mod backend;
mod board;
mod chart;
mod charts;
mod cmd;
mod context;
mod escape;
mod export;
mod fmt;
mod peak_chart;
mod pins;
mod progress;
mod registry;
mod report;
mod request;
mod site;

use clap::{CommandFactory as _, FromArgMatches as _, Parser, Subcommand};
use std::process::ExitCode;

const EXIT_CODES: &str = "\
Exit codes:
  0  success (and, for verify/compare, every check passed)
  1  a check failed: a scorecard was rejected, a regression was found
  2  error: bad input, bad usage, or a run that could not complete
     (the message names the file and field)

Start with `jiebang demo` (no data, no GPU needed), then `jiebang tasks` to see the suites.";

/// jiebang (揭榜): benchmark and evaluation harness for AI sub-domain leaderboards.
///
/// (`--help` adds [`about_directions`]: what jiebang does and the directions of this build.)
#[derive(Parser)]
#[command(name = "jiebang", version, after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
    /// No progress bars or progress lines.
    #[arg(long, short, global = true)]
    quiet: bool,
}

#[derive(Subcommand)]
enum Cmd {
    /// Start here: run every suite with the built-in systems (no data or GPU needed).
    ///
    /// The main job on a fresh machine: generates every suite's embedded default dataset, runs
    /// the built-in systems on it, and writes scorecards, a leaderboard and charts.
    Demo(cmd::demo::Args),
    /// List directions, suites, indicators with national targets, and built-in systems.
    Tasks(cmd::tasks::Args),
    /// Generate, hash or verify datasets.
    #[command(subcommand)]
    Data(cmd::data::DataCmd),
    /// Verify scorecards: bytes, id, signature, and the suite/dataset/SUT files they pin.
    Verify(cmd::verify::Args),
    /// Show scorecards as readable reports (several: one after another).
    Show(cmd::show::Args),
    /// Make an ed25519 key pair for signing scorecards.
    Keygen(cmd::keys::KeygenArgs),
    /// Sign a scorecard with a secret key.
    Sign(cmd::keys::SignArgs),
    /// Compare a new scorecard with a baseline: per-metric ratios with bootstrap intervals, a
    /// noise threshold, output-digest mismatches as hard failures (exit 1 on regression).
    Compare(cmd::compare::Args),
    /// Run a suite against a system under test; write its per-query log and scorecard.
    Run(Box<cmd::run::Args>),
    /// Merge the shard logs of one run into the scorecard the unsharded run gives.
    Merge(cmd::merge::Args),
    /// Publish a leaderboard from scorecards: each verified, standings against the national
    /// targets, every indicator ranked with statistical ties, a round's selection; a static
    /// page, Markdown, CSV, JSON and a chart.
    Board(cmd::board::Args),
    /// A round on its folder: init, declare (freeze a unit's declaration), submit, check.
    #[command(subcommand)]
    Round(cmd::round::RoundCmd),
}

/// The long `--help` text: what jiebang does, and the directions the registry holds.
fn about_directions(reg: &context::Registry) -> String {
    let names: Vec<String> = reg
        .directions()
        .iter()
        .map(|d| format!("{} ({})", d.id, d.name_en))
        .collect();
    let has = match names.as_slice() {
        [] => "no directions".to_string(),
        [one] => format!("one direction: {one}"),
        [init @ .., last] => format!("{} directions: {} and {last}", names.len(), init.join(", ")),
    };
    format!(
        "jiebang (揭榜): benchmark and evaluation harness for AI sub-domain leaderboards.\n\n\
         Runs standardized, versioned test suites of each direction against a system under test, \
         and writes hash-pinned scorecards that set each measured indicator beside the unit's \
         declared current level, its own 2020 target and the national 2020 target, with a \
         verdict decided by the 95% confidence interval. This build has {has}; `jiebang tasks` \
         lists them, and more are to come."
    )
}

/// Restores the default SIGPIPE action so that `jiebang verify ... | head` ends quietly
/// instead of panicking on a closed stdout, as command-line tools are expected to.
#[allow(unsafe_code)]
fn reset_sigpipe() {
    #[cfg(unix)]
    // SAFETY: setting a signal disposition to SIG_DFL at start-up, before any thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn main() -> ExitCode {
    reset_sigpipe();
    let reg = context::Registry::new();
    let matches = Cli::command()
        .long_about(about_directions(&reg))
        .get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let result: anyhow::Result<bool> = match &cli.cmd {
        Cmd::Demo(a) => cmd::demo::run(a, &reg, cli.quiet),
        Cmd::Tasks(a) => cmd::tasks::run(a, &reg).map(|_| true),
        Cmd::Data(c) => cmd::data::run(c, &reg, cli.quiet),
        Cmd::Verify(a) => cmd::verify::run(a, &reg),
        Cmd::Show(a) => cmd::show::run(a).map(|_| true),
        Cmd::Keygen(a) => cmd::keys::keygen(a).map(|_| true),
        Cmd::Sign(a) => cmd::keys::sign(a).map(|_| true),
        Cmd::Compare(a) => cmd::compare::run(a, &reg),
        Cmd::Run(a) => cmd::run::run(a, &reg, cli.quiet),
        Cmd::Merge(a) => cmd::merge::run(a, &reg, cli.quiet).map(|_| true),
        Cmd::Board(a) => cmd::board::run(a, &reg, cli.quiet),
        Cmd::Round(c) => cmd::round::run(c, &reg, cli.quiet),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            // Errors quote files, fields and SUT output: no control sequence reaches the terminal.
            eprintln!("error: {}", escape::terminal_block(&format!("{e:#}")));
            ExitCode::from(2)
        }
    }
}
