//! `jiebang board`: the organizer's site from round folders and scorecards — each verified
//! (bytes, id, signature), certified or self-reported, shards and other rounds left off.

use crate::context::Registry;
use crate::escape::terminal as term;
use crate::site::{self, EntryClass, SiteEntry, SiteRound};
use anyhow::{Context as _, Result, bail};
use jiebang_core::board::Excluded;
use jiebang_core::round::{self, Round, RoundFolder};
use jiebang_scorecard::{PublicKey, Scorecard, SignatureCheck, verify_bytes};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const EXAMPLES: &str = "\
Examples:
  # Every scorecard of a round, signed by the agency's key, published as one site:
  jiebang board round/*.scorecard.json --trust agency.pub --round 2020-r1 --out site/

  # A folder of scorecards (every *.scorecard.json inside it, subfolders included):
  jiebang board results/ --out board/

  # Round folders run through `jiebang round` (round.toml, declarations.lock, units/): each
  # is read through `jiebang round check`, and an entry that breaks a rule is left off with the
  # finding; several rounds make one site with each unit's history and the annual report:
  jiebang board results/rounds/2019-demo results/rounds/2020-demo --out site/

round.toml, the round folder and the rules: docs/ROUNDS.md (`jiebang round --help`). A folder
with a round.toml but neither units/ nor declarations.lock (scorecards beside round.toml) is
boarded without the round rules: its scorecards verified, other rounds, shards and (with
require_sandbox) unsandboxed runs left off.

Writes a static site to --out: index.html (rounds, directions, selection, units), one page per
round and direction (directions/), per unit (units/), report.html and report.md (the annual
report), charts/*.svg, a copy of every boarded scorecard (scorecards/), leaderboard.csv,
leaderboard.json, leaderboard.md, selection.csv (with a round), site.css and site.js. It opens
from file:// and needs no server. Entries signed by a trusted key (the round's trusted_keys or
--trust) are certified; without any trusted key every entry is self-reported, on a table of its
own. Where keys are given, a scorecard not signed by one of them is left off and named (unless
--allow-self-reported), as is one that fails verification, and the exit status is 1; shards (partial) and scorecards of another
round are left off with the reason, which is not a failure. Ranks marked = share a place: their
95% intervals overlap. The footer's date is SOURCE_DATE_EPOCH's day when set, else today (UTC).";

/// Arguments of `jiebang board`.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Round folders (with round.toml), scorecard files, or folders whose `*.scorecard.json`
    /// files (subfolders included) are all taken.
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
    /// A round file for all the inputs (default: each input folder's own `round.toml`, one
    /// round each; other inputs make one round without a file).
    #[arg(long, value_name = "round.toml")]
    round_file: Option<PathBuf>,
    /// Publish scorecards not signed by a trusted key as self-reported entries (on tables of
    /// their own, never selected) instead of leaving them off.
    #[arg(long)]
    allow_self_reported: bool,
    /// Title of the site (default: the round's title, else "Leaderboard").
    #[arg(long)]
    title: Option<String>,
}

/// At most this many scorecard files are read from one input folder.
const MAX_FILES: usize = 100_000;

/// Every `*.scorecard.json` under `dir`, subfolders included (links not followed), sorted.
fn walk(dir: &Path, skip: Option<&Path>, out: &mut Vec<PathBuf>) -> Result<()> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("{}", dir.display()))?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()
        .with_context(|| format!("{}", dir.display()))?;
    found.sort();
    for p in found {
        let meta = std::fs::symlink_metadata(&p).with_context(|| format!("{}", p.display()))?;
        if meta.is_dir() {
            if skip.is_some_and(|s| p.canonicalize().is_ok_and(|c| c == s)) {
                continue;
            }
            walk(&p, skip, out)?;
        } else if meta.is_file() && p.to_string_lossy().ends_with(".scorecard.json") {
            if out.len() == MAX_FILES {
                bail!(
                    "{}: more than {MAX_FILES} scorecard files; board fewer at a time",
                    dir.display()
                );
            }
            out.push(p);
        }
    }
    Ok(())
}

/// The scorecard files of `inputs` (folders walked, sorted), each once.
fn files(
    inputs: &[PathBuf],
    skip: Option<&Path>,
    seen: &mut BTreeSet<PathBuf>,
) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in inputs {
        if p.file_name().is_some_and(|n| n == "round.toml") {
            continue;
        }
        if p.is_dir() {
            let mut found = Vec::new();
            walk(p, skip, &mut found)?;
            // A round folder may have no submission yet; any other folder is a mistake.
            if found.is_empty() && !p.join("round.toml").is_file() {
                bail!(
                    "{}: no *.scorecard.json files in this folder or below",
                    p.display()
                );
            }
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    // The same file named twice (or through two inputs) is read once.
    out.retain(|p| seen.insert(p.canonicalize().unwrap_or_else(|_| p.clone())));
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

/// One round to board: its file (if any), the inputs that hold its scorecards.
struct Source {
    round: Option<Round>,
    inputs: Vec<PathBuf>,
}

/// Whether `p` is a round folder run through `jiebang round`: `round.toml` with `units/` or
/// `declarations.lock` (even a dangling link) beside it. Its entries are what `round check`
/// passes — a missing lock leaves every entry unfrozen, so off the board. A folder with a
/// `round.toml` and scorecards alone (no `units/`) is boarded without the round rules.
fn is_round_folder(p: &Path) -> bool {
    p.is_dir()
        && p.join(round::ROUND_FILE).is_file()
        && (p.join(round::UNITS_DIR).exists()
            || std::fs::symlink_metadata(p.join(round::LOCK_FILE)).is_ok())
}

/// A round folder as the site publishes it: the submissions that pass every rule of `round
/// check`, the others left off with their findings; also how many findings there were.
pub fn round_folder(dir: &Path, reg: &Registry) -> Result<(SiteRound, usize)> {
    let folder = RoundFolder::open(dir, &reg.directions())?;
    let findings = round::check(&folder, &folder.keys);
    let mut entries = Vec::new();
    let mut excluded: Vec<Excluded> = Vec::new();
    let mut reasons: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for f in &findings {
        reasons
            .entry(f.file.as_str())
            .or_default()
            .push(format!("{}: {}", f.rule, f.message));
    }
    for s in &folder.submissions {
        if let Some(why) = reasons.remove(s.file.as_str()) {
            excluded.push(Excluded {
                file: s.file.clone(),
                reason: why.join("; "),
            });
            continue;
        }
        entries.push(SiteEntry::new(
            dir.join(&s.file),
            s.scorecard.clone(),
            s.class.clone(),
        ));
    }
    // Findings on files that are not submissions (a frozen declaration, a stray file).
    for (file, why) in reasons {
        excluded.push(Excluded {
            file: file.to_string(),
            reason: why.join("; "),
        });
    }
    let r = folder.round;
    Ok((
        SiteRound {
            id: r.round.clone(),
            title: r.title.clone().unwrap_or_else(|| r.round.clone()),
            opens: r.opens.clone(),
            closes: r.closes.clone(),
            signatures_required: r.require_signatures,
            round: Some(r),
            entries,
            excluded,
        },
        findings.len(),
    ))
}

/// The rounds to board: each input folder with a `round.toml` is one; the other inputs are
/// one more, under `--round-file` when given. Round folders made by `jiebang round init` are
/// returned apart: they are read through `round check`.
fn sources(args: &Args, reg: &Registry) -> Result<(Vec<Source>, Vec<PathBuf>)> {
    let mut out = Vec::new();
    let mut folders = Vec::new();
    let mut loose = Vec::new();
    for p in &args.inputs {
        let file = p.join("round.toml");
        if is_round_folder(p) && args.round_file.is_none() {
            folders.push(p.clone());
        } else if p.is_dir() && file.is_file() && args.round_file.is_none() {
            out.push(Source {
                round: Some(Round::read(&file, &reg.directions())?),
                inputs: vec![p.clone()],
            });
        } else {
            loose.push(p.clone());
        }
    }
    if !loose.is_empty() || (out.is_empty() && folders.is_empty()) {
        let round = match &args.round_file {
            Some(f) => Some(Round::read(f, &reg.directions())?),
            None => None,
        };
        out.push(Source {
            round,
            inputs: loose,
        });
    }
    let mut ids = BTreeMap::new();
    for s in &out {
        if let Some(r) = &s.round
            && let Some(first) = ids.insert(r.round.clone(), r.file.clone())
        {
            bail!(
                "{} and {} are both round {}: give each round once",
                first.display(),
                r.file.display(),
                r.round
            );
        }
    }
    Ok((out, folders))
}

/// Reads the keys of `round` and `--trust`.
fn keys(round: Option<&Round>, trust: &[PathBuf]) -> Result<Vec<PublicKey>> {
    let mut keys = Vec::new();
    if let Some(r) = round {
        for (what, text) in r.trusted_key_texts()? {
            keys.push(super::verify::public_key(&what, &text)?);
        }
    }
    keys.extend(super::verify::trusted_keys(trust)?);
    Ok(keys)
}

/// Why a verified scorecard is not certified under `keys` (`Ok` with the signer when it is).
fn certify(check: &SignatureCheck, keys: &[PublicKey]) -> Result<String, String> {
    match check {
        SignatureCheck::Unsigned => Err("unsigned".into()),
        SignatureCheck::Trusted { signer, .. } => Ok(signer.clone()),
        SignatureCheck::ValidUnchecked { signer, public_key } => keys
            .iter()
            .find(|k| &k.to_hex() == public_key)
            .map(|k| k.name.clone())
            .ok_or_else(|| {
                format!("signed by {signer} ({public_key}), a key the round does not trust")
            }),
    }
}

/// Reads one round's scorecards into a site round.
fn read_round(
    src: Source,
    args: &Args,
    skip: Option<&Path>,
    seen_files: &mut BTreeSet<PathBuf>,
    seen_ids: &mut BTreeMap<String, String>,
    failed: &mut usize,
    quiet: bool,
) -> Result<SiteRound> {
    let keys = keys(src.round.as_ref(), &args.trust)?;
    let required = match &src.round {
        Some(r) => r.require_signatures,
        None => !keys.is_empty(),
    } && !args.allow_self_reported;
    let round_id = match (&src.round, &args.round) {
        (Some(r), Some(given)) if &r.round != given => bail!(
            "--round {given}, but {} is round {}",
            r.file.display(),
            r.round
        ),
        (Some(r), _) => Some(r.round.clone()),
        (None, given) => given.clone(),
    };
    if src.round.is_some() && keys.is_empty() && !quiet {
        eprintln!(
            "warning: round {} names no trusted_keys: every entry is self-reported",
            term(round_id.as_deref().unwrap_or(""))
        );
    }
    let require_sandbox = src.round.as_ref().is_some_and(|r| r.require_sandbox);
    let mut entries = Vec::new();
    let mut excluded = Vec::new();
    for path in files(&src.inputs, skip, seen_files)? {
        let file = name(&path);
        let bytes = super::verify::read_input(&path)?;
        let v = match verify_bytes(&file, &bytes, None) {
            Ok(v) => v,
            Err(e) => {
                *failed += 1;
                excluded.push(Excluded {
                    file,
                    reason: format!("failed verification: {e}"),
                });
                continue;
            }
        };
        let class = match certify(&v.signature, &keys) {
            Ok(signer) => EntryClass::Certified { signer },
            Err(_) if !required => EntryClass::SelfReported,
            Err(why) => {
                *failed += 1;
                excluded.push(Excluded {
                    file,
                    reason: format!(
                        "failed verification: {why}; a signature by a trusted key is required"
                    ),
                });
                continue;
            }
        };
        if let Some(first) = seen_ids.get(&v.id) {
            excluded.push(Excluded {
                file,
                reason: format!("the same scorecard as {first}"),
            });
            continue;
        }
        if let Some(reason) = off_board(&v.scorecard, round_id.as_deref(), require_sandbox) {
            excluded.push(Excluded { file, reason });
            continue;
        }
        seen_ids.insert(v.id.clone(), file);
        entries.push(SiteEntry::new(path, v.scorecard, class));
    }
    let title = src
        .round
        .as_ref()
        .and_then(|r| r.title.clone())
        .or_else(|| args.title.clone())
        .or_else(|| round_id.clone())
        .unwrap_or_else(|| "Leaderboard".into());
    Ok(SiteRound {
        id: round_id.unwrap_or_else(|| "scorecards".into()),
        title,
        opens: src.round.as_ref().and_then(|r| r.opens.clone()),
        closes: src.round.as_ref().and_then(|r| r.closes.clone()),
        round: src.round,
        signatures_required: required,
        entries,
        excluded,
    })
}

/// Runs the command; false when a scorecard failed verification.
pub fn run(args: &Args, reg: &Registry, quiet: bool) -> Result<bool> {
    let (sources, folders) = sources(args, reg)?;
    let skip = args.out.canonicalize().ok();
    let mut seen_files = BTreeSet::new();
    let mut seen_ids = BTreeMap::new();
    let mut failed = 0;
    let mut rounds = Vec::new();
    for dir in &folders {
        let (r, findings) = round_folder(dir, reg)?;
        failed += findings;
        for e in &r.entries {
            seen_files.insert(e.source.canonicalize().unwrap_or_else(|_| e.source.clone()));
        }
        rounds.push(r);
    }
    for src in sources {
        rounds.push(read_round(
            src,
            args,
            skip.as_deref(),
            &mut seen_files,
            &mut seen_ids,
            &mut failed,
            quiet,
        )?);
    }
    let mut ids = BTreeSet::new();
    for r in &rounds {
        if r.round.is_some() && !ids.insert(r.id.clone()) {
            bail!("round {} is given twice: give each round once", r.id);
        }
    }
    // Loose inputs that were all boarded already under a round folder make no round.
    if rounds.len() > 1 {
        rounds.retain(|r| r.round.is_some() || !r.entries.is_empty() || !r.excluded.is_empty());
    }
    let title = args
        .title
        .clone()
        .or_else(|| match &rounds[..] {
            [one] => Some(one.title.clone()),
            _ => None,
        })
        .unwrap_or_else(|| "Leaderboard".into());
    let published = site::publish(
        &rounds,
        &site::Options {
            out: args.out.clone(),
            title,
            generated: site::generated_date()?,
        },
    )?;
    if !quiet {
        print!("{}", site::text(&rounds)?);
        for r in &rounds {
            for x in &r.excluded {
                eprintln!("left off: {}: {}", term(&x.file), term(&x.reason));
            }
        }
    }
    println!(
        "wrote a site of {} page(s) and {} chart(s) to {} ({} on the board, {} left off): {} certified, {} self-reported",
        published.pages,
        published.charts,
        term(&args.out.display().to_string()),
        published.entries,
        published.excluded,
        published.certified,
        published.entries - published.certified,
    );
    if failed > 0 {
        eprintln!(
            "{failed} scorecard(s) failed verification or a round rule (`jiebang round check`) and were left off"
        );
    }
    Ok(failed == 0)
}
