//! `jiebang board`: the organizer's leaderboard from any set of scorecards — each verified
//! (bytes, id, signature against `--trust`), shards and other rounds left off with the reason.

use crate::board;
use crate::context::Registry;
use crate::escape::terminal as term;
use crate::export::{BoardReport, Exporter as _, Text};
use anyhow::{Context as _, Result, bail};
use jiebang_core::board::Excluded;
use jiebang_core::round::Round;
use jiebang_scorecard::{Scorecard, verify_bytes};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const EXAMPLES: &str = "\
Examples:
  # Every scorecard of a round, signed by the agency's key, published as one board:
  jiebang board round/*.scorecard.json --trust agency.pub --round 2020-r1 --out site/

  # A folder of scorecards (every *.scorecard.json directly inside it):
  jiebang board results/ --out board/

  # A round: a folder with round.toml (round id, trusted keys, per direction the ranking
  # indicator and the caps of 5 selected and 3 successful) is read by itself:
  jiebang board results/rounds/2020-r1 --out site/

round.toml:
  schema_version = 1
  round = \"2020-r1\"                     # the id runs were pinned with (--round)
  title = \"2020 round 1\"                # optional
  trusted_keys = [\"agency.pub\"]        # inside round.toml's folder; signatures required
  require_sandbox = true                 # optional: only runs made with --sandbox count
  [[direction]]
  id = \"medical-imaging\"
  ranking_indicator = \"imaging.detection_rate\"
  selected = 5                           # optional, at most 5 (default)
  successful = 3                         # optional, at most 3 and at most `selected`

Writes index.html (a static page: the Markdown below with the chart), leaderboard.md (standings
and ranked indicators; with a round, each direction's selection first), leaderboard.csv,
leaderboard.json, selection.csv (with a round) and indicators.svg/.png to --out. A scorecard that fails verification is left off and named, and the
exit status is 1; shards (partial) and scorecards of another --round are left off with the
reason, which is not a failure. Ranks marked `=` share a place: their 95% intervals overlap.";

/// Arguments of `jiebang board`.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Scorecard files, or folders whose `*.scorecard.json` files are all taken.
    #[arg(required = true, value_name = "SCORECARD|DIR")]
    inputs: Vec<PathBuf>,
    /// Output folder.
    #[arg(long, default_value = "jiebang-board")]
    out: PathBuf,
    /// Public key(s) whose signature a scorecard must carry to be on the board.
    #[arg(long = "trust", value_name = "KEY.pub")]
    trust: Vec<PathBuf>,
    /// Only scorecards pinned to this round (e.g. 2020-r1).
    #[arg(long)]
    round: Option<String>,
    /// A round file (default: `round.toml` in a folder given as input, if there is one).
    #[arg(long, value_name = "round.toml")]
    round_file: Option<PathBuf>,
    /// Title of the Markdown page (default: the round's title, else "Leaderboard").
    #[arg(long)]
    title: Option<String>,
}

/// The round file: `--round-file`, else the only `round.toml` among the input folders.
fn round_file(args: &Args) -> Result<Option<PathBuf>> {
    if let Some(f) = &args.round_file {
        return Ok(Some(f.clone()));
    }
    let found: Vec<PathBuf> = args
        .inputs
        .iter()
        .filter(|p| p.is_dir())
        .map(|p| p.join("round.toml"))
        .filter(|f| f.is_file())
        .collect();
    match found.len() {
        0 => Ok(None),
        1 => Ok(found.into_iter().next()),
        _ => bail!(
            "several round.toml among the inputs ({}); board one round at a time or pass --round-file",
            found
                .iter()
                .map(|f| f.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn files(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in inputs {
        if p.file_name().is_some_and(|n| n == "round.toml") {
            continue;
        }
        if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .with_context(|| format!("{}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.to_string_lossy().ends_with(".scorecard.json"))
                .collect();
            if found.is_empty() {
                anyhow::bail!("{}: no *.scorecard.json files in this folder", p.display());
            }
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// The run setting `sandbox` of a scorecard: `none`, or the sandbox that confined the SUT.
fn sandbox(sc: &Scorecard) -> Option<&str> {
    sc.pins.settings.get("sandbox").and_then(|v| v.as_str())
}

/// Why a verified scorecard does not belong on this board, if it does not.
fn off_board(sc: &Scorecard, round: Option<&str>, require_sandbox: bool) -> Option<String> {
    if let Some(shard) = &sc.pins.shard {
        return Some(format!(
            "shard {shard}: a partial run; merge the shard logs (`jiebang merge`) and board the result"
        ));
    }
    if let Some(want) = round
        && sc.pins.round.as_deref() != Some(want)
    {
        return Some(format!(
            "round {}, not {want}",
            sc.pins.round.as_deref().unwrap_or("none")
        ));
    }
    if require_sandbox && sandbox(sc).is_none_or(|s| s == "none") {
        return Some(format!(
            "not sandboxed (settings.sandbox {}): the round requires runs made with --sandbox",
            sandbox(sc).map_or("absent".to_string(), |s| format!("= {s}"))
        ));
    }
    if sc.indicators.is_empty() {
        return Some(format!(
            "no indicators ({} run): the board ranks accuracy results",
            sc.run.mode
        ));
    }
    None
}

fn name(p: &Path) -> String {
    p.display().to_string()
}

/// Runs the command; false when a scorecard failed verification.
pub fn run(args: &Args, reg: &Registry, quiet: bool) -> Result<bool> {
    let round = match round_file(args)? {
        Some(f) => Some(Round::read(&f, &reg.directions())?),
        None => None,
    };
    let round_id = match (&round, &args.round) {
        (Some(r), Some(given)) if &r.round != given => bail!(
            "--round {given}, but {} is round {}",
            r.file.display(),
            r.round
        ),
        (Some(r), _) => Some(r.round.clone()),
        (None, given) => given.clone(),
    };
    let mut keys = Vec::new();
    if let Some(r) = &round {
        for (what, text) in r.trusted_key_texts()? {
            keys.push(super::verify::public_key(&what, &text)?);
        }
    }
    keys.extend(super::verify::trusted_keys(&args.trust)?);
    let trust = (!keys.is_empty()).then_some(&keys[..]);
    if round.is_some() && keys.is_empty() && !quiet {
        eprintln!("warning: the round names no trusted_keys: signatures are not required");
    }
    let mut kept: Vec<(String, Scorecard)> = Vec::new();
    let mut excluded: Vec<Excluded> = Vec::new();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut failed = 0usize;
    for path in files(&args.inputs)? {
        let file = name(&path);
        let bytes = super::verify::read_input(&path)?;
        let sc = match verify_bytes(&file, &bytes, trust) {
            Ok(v) => v.scorecard,
            Err(e) => {
                failed += 1;
                excluded.push(Excluded {
                    file,
                    reason: format!("failed verification: {e}"),
                });
                continue;
            }
        };
        let id = sc.id.clone().unwrap_or_default();
        if let Some(first) = seen.get(&id) {
            excluded.push(Excluded {
                file,
                reason: format!("the same scorecard as {first}"),
            });
            continue;
        }
        let require_sandbox = round.as_ref().is_some_and(|r| r.require_sandbox);
        if let Some(reason) = off_board(&sc, round_id.as_deref(), require_sandbox) {
            excluded.push(Excluded { file, reason });
            continue;
        }
        seen.insert(id, file.clone());
        kept.push((file, sc));
    }
    let refs: Vec<(String, &Scorecard)> = kept.iter().map(|(f, s)| (f.clone(), s)).collect();
    let title = args
        .title
        .clone()
        .or_else(|| round.as_ref().and_then(|r| r.title.clone()))
        .unwrap_or_else(|| "Leaderboard".into());
    let published = board::write_with(&refs, &excluded, round.as_ref(), &title, &args.out)?;
    if !quiet {
        let report = BoardReport {
            board: &published.board,
            selection: &published.selection,
            round: round.as_ref(),
            title: &title,
            chart: published.charted.then_some("indicators.svg"),
        };
        print!("{}", Text.export(&report)?);
        for x in &excluded {
            eprintln!("left off: {}: {}", term(&x.file), term(&x.reason));
        }
    }
    println!(
        "wrote index.html, leaderboard.md, leaderboard.csv, leaderboard.json{}{} to {} ({} on the board, {} left off)",
        if round.is_some() {
            ", selection.csv"
        } else {
            ""
        },
        if published.charted {
            ", indicators.svg, indicators.png"
        } else {
            ""
        },
        term(&args.out.display().to_string()),
        kept.len(),
        excluded.len()
    );
    if failed > 0 {
        eprintln!("{failed} scorecard(s) failed verification and were left off");
    }
    Ok(failed == 0)
}
