//! The round's submission checker (after MLPerf's): every rule of a round over its folder, each
//! finding naming the file (relative to the folder), the rule id and what was expected.

use super::folder::{RoundFolder, Submission, UNITS_DIR, submission_path};
use crate::bounded;
use crate::slug::unit_slug;
use jiebang_scorecard::PublicKey;
use serde::Serialize;
use std::collections::BTreeMap;

/// The rules, in the order findings are listed, with what each checks.
pub const RULES: &[(&str, &str)] = &[
    (
        "verifies",
        "the scorecard's bytes are canonical, its id matches, its signature (if any) is valid",
    ),
    (
        "signed",
        "on a certified round, signed by one of the round's trusted keys",
    ),
    ("round", "pinned to this round (`jiebang run --round ID`)"),
    (
        "suite",
        "a direction of the round and, when the round pins suites, one of them at its pinned hash",
    ),
    (
        "dataset",
        "the dataset the round pins for the suite; not a generated (public) dataset unless the \
         round allows them",
    ),
    (
        "run-rules",
        "a whole run: no shard, every sample of the dataset and at least min_samples issued, a \
         performance run at least min_duration_s long",
    ),
    (
        "declaration",
        "run with the unit's frozen declaration; frozen copies unchanged since freezing",
    ),
    (
        "placement",
        "in the folder of the unit it declares: units/<slug>/",
    ),
    (
        "unique",
        "one scorecard per unit, suite and mode; one system under one unit only",
    ),
    (
        "sandbox",
        "when the round requires it, a run confined by the sandbox",
    ),
];

/// One finding: a file of the round, the rule it breaks, and what is wrong and expected.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Finding {
    /// The file, relative to the round folder.
    pub file: String,
    /// The rule id (see [`RULES`]).
    pub rule: &'static str,
    /// What is wrong and what was expected.
    pub message: String,
}

impl Finding {
    /// A finding on `file`.
    pub fn new(file: &str, rule: &'static str, message: impl Into<String>) -> Finding {
        Finding {
            file: file.to_string(),
            rule,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}: {}", self.file, self.rule, self.message)
    }
}

fn rule_rank(rule: &str) -> usize {
    RULES
        .iter()
        .position(|(r, _)| *r == rule)
        .unwrap_or(RULES.len())
}

/// Sorts findings by file, then rule order, then message, and drops repeats.
pub(crate) fn sorted(mut v: Vec<Finding>) -> Vec<Finding> {
    v.sort_by(|a, b| {
        (&a.file, rule_rank(a.rule), &a.message).cmp(&(&b.file, rule_rank(b.rule), &b.message))
    });
    v.dedup();
    v
}

/// Every rule over the whole folder, judging signatures by the trusted `keys` (normally
/// `folder.keys`, the round's own); sorted by file, then rule.
pub fn check(folder: &RoundFolder, keys: &[PublicKey]) -> Vec<Finding> {
    let mut out = folder.problems.clone();
    out.extend(frozen_files(folder));
    for s in &folder.submissions {
        out.extend(entry(folder, keys, s));
    }
    // A scorecard at its submitted place (`units/<slug>/<stem>.scorecard.json`) comes first:
    // a copy under another name is the second one.
    let mut all: Vec<&Submission> = folder.submissions.iter().collect();
    all.sort_by_key(|s| (s.file != submission_path(&s.slug, &s.scorecard), &s.file));
    out.extend(unique(&all));
    sorted(out)
}

fn short(hash: &str) -> &str {
    &hash[..hash.len().min(12)]
}

/// The rules on one submission by itself.
pub(crate) fn entry(folder: &RoundFolder, keys: &[PublicKey], s: &Submission) -> Vec<Finding> {
    let mut out = Vec::new();
    let f = |rule, message: String| Finding::new(&s.file, rule, message);
    let sc = &s.scorecard;
    let round = &folder.round;
    if round.require_signatures {
        match &sc.signature {
            None => out.push(f(
                "signed",
                "unsigned, but this round is certified: every entry must be signed by one of \
                 the round's trusted agency keys (round.toml trusted_keys)"
                    .into(),
            )),
            Some(sig) if !keys.iter().any(|k| k.to_hex() == sig.public_key) => {
                let names: Vec<String> = keys.iter().map(|k| format!("`{}`", k.name)).collect();
                out.push(f(
                    "signed",
                    format!(
                        "signed by `{}` with key {}…, which is not one of the round's trusted \
                         keys ({}): expected a signature by a trusted agency",
                        sig.signer,
                        short(&sig.public_key),
                        names.join(", ")
                    ),
                ))
            }
            Some(_) => {}
        }
    }
    if sc.pins.round.as_deref() != Some(round.round.as_str()) {
        out.push(f(
            "round",
            format!(
                "pinned to round {}, expected `{}` (run with --round {})",
                sc.pins
                    .round
                    .as_deref()
                    .map_or("none".to_string(), |r| format!("`{r}`")),
                round.round,
                round.round
            ),
        ));
    }
    let direction = &sc.pins.task.direction;
    let suite_id = format!("{}@{}", sc.pins.suite.id, sc.pins.suite.version);
    let pinned = match round.direction(direction) {
        None => {
            let listed: Vec<&str> = round.directions.iter().map(|d| d.id.as_str()).collect();
            out.push(f(
                "suite",
                format!(
                    "direction `{direction}` is not part of this round; expected one of: {}",
                    listed.join(", ")
                ),
            ));
            None
        }
        Some(rd) if rd.suites.is_empty() => None,
        Some(rd) => match rd.suites.iter().find(|p| p.full_id() == suite_id) {
            None => {
                let listed: Vec<String> = rd.suites.iter().map(|p| p.full_id()).collect();
                out.push(f(
                    "suite",
                    format!(
                        "suite {suite_id} is not pinned by this round; expected one of: {}",
                        listed.join(", ")
                    ),
                ));
                None
            }
            Some(p) if p.hash != sc.pins.suite.hash => {
                out.push(f(
                    "suite",
                    format!(
                        "suite {suite_id} has sha256 {}…, but the round pins {}… (another \
                         revision of the suite): run the pinned suite",
                        short(&sc.pins.suite.hash),
                        short(&p.hash)
                    ),
                ));
                Some(p)
            }
            Some(p) => Some(p),
        },
    };
    if let Some(want) = pinned.and_then(|p| p.dataset.as_deref())
        && want != sc.pins.dataset.hash
    {
        out.push(f(
            "dataset",
            format!(
                "dataset sha256 {}…, but the round pins {}… for {suite_id}: run on the pinned \
                 dataset",
                short(&sc.pins.dataset.hash),
                short(want)
            ),
        ));
    }
    if !round.allow_generated_data
        && let Some(generator) = &sc.pins.dataset.generator
    {
        out.push(f(
            "dataset",
            format!(
                "run on a dataset jiebang generated ({generator}): its truth is public (a \
                 public generator and seed), so a system can have learned it; this round counts \
                 runs on supplied, sequestered data (`jiebang run --data`) unless round.toml \
                 sets allow_generated_data = true (demos, rehearsals)"
            ),
        ));
    }
    out.extend(run_rules(s, pinned));
    out.extend(declaration(folder, s));
    if round.require_sandbox {
        let sandbox = sc.pins.settings.get("sandbox").and_then(|v| v.as_str());
        if sandbox.is_none_or(|v| v == "none") {
            out.push(f(
                "sandbox",
                format!(
                    "not sandboxed (settings.sandbox {}), but the round requires runs made with \
                     --sandbox",
                    sandbox.map_or("absent".to_string(), |v| format!("= {v}"))
                ),
            ));
        }
    }
    out
}

/// `run-rules`: a whole run, enough samples, long enough.
fn run_rules(s: &Submission, pinned: Option<&super::RoundSuite>) -> Vec<Finding> {
    let mut out = Vec::new();
    let f = |message: String| Finding::new(&s.file, "run-rules", message);
    let sc = &s.scorecard;
    if let Some(shard) = &sc.pins.shard {
        out.push(f(format!(
            "shard {shard}: a partial run standing in for a whole one; merge the complete shard \
             set with `jiebang merge` and submit the merged scorecard"
        )));
    }
    let issued = sc.run.queries.issued;
    if sc.run.mode == "accuracy" {
        if issued < sc.pins.dataset.samples {
            out.push(f(format!(
                "{issued} queries issued for the dataset's {} samples: expected every sample",
                sc.pins.dataset.samples
            )));
        }
        if let Some(min) = pinned.and_then(|p| p.min_samples)
            && issued < min
        {
            out.push(f(format!(
                "{issued} samples run; the round requires at least {min} for {}",
                pinned.map(|p| p.full_id()).unwrap_or_default()
            )));
        }
    }
    if sc.run.mode == "performance"
        && let Some(min) = pinned.and_then(|p| p.min_duration_s)
        && sc.run.duration_s < min
    {
        out.push(f(format!(
            "a timed pass of {} s; the round requires at least {min} s",
            sc.run.duration_s
        )));
    }
    out
}

/// `declaration` and `placement`: run with the unit's frozen declaration, in its folder.
fn declaration(folder: &RoundFolder, s: &Submission) -> Vec<Finding> {
    let f = |rule, message: String| vec![Finding::new(&s.file, rule, message)];
    let direction = &s.scorecard.pins.task.direction;
    let Some(pin) = &s.scorecard.pins.declaration else {
        return f(
            "declaration",
            format!(
                "no declaration pinned: run with --declaration {}, the unit's frozen copy",
                super::frozen_path(&s.slug, direction)
            ),
        );
    };
    let slug = unit_slug(&pin.unit);
    if slug != s.slug {
        return f(
            "placement",
            format!(
                "the scorecard declares unit `{}`, whose folder is {UNITS_DIR}/{slug}/, but it \
                 sits in {UNITS_DIR}/{}/",
                pin.unit, s.slug
            ),
        );
    }
    match folder.frozen(&s.slug, direction) {
        None => f(
            "declaration",
            format!(
                "unit `{}` has no declaration frozen for `{direction}` in declarations.lock: \
                 freeze it with `jiebang round declare` before testing",
                pin.unit
            ),
        ),
        Some(fr) if fr.sha256 != pin.hash => f(
            "declaration",
            format!(
                "run with declaration sha256 {}…, but the unit's frozen declaration {} is {}…: \
                 run again with --declaration {}",
                short(&pin.hash),
                fr.file,
                short(&fr.sha256),
                fr.file
            ),
        ),
        // Frozen before testing: a run started on a day before its declaration was frozen was
        // made before the claims were fixed (`started_at` is RFC 3339, `frozen_at` a day).
        Some(fr)
            if s.scorecard
                .pins
                .started_at
                .get(..10)
                .is_some_and(|d| d < fr.frozen_at.as_str()) =>
        {
            f(
                "declaration",
                format!(
                    "run on {}, before the unit's declaration was frozen on {}: a declaration is \
                 frozen before testing; run again",
                    &s.scorecard.pins.started_at[..10],
                    fr.frozen_at
                ),
            )
        }
        Some(_) => Vec::new(),
    }
}

/// `declaration` on the frozen copies: each still hashes to the lock, and none is unlocked.
pub(crate) fn frozen_files(folder: &RoundFolder) -> Vec<Finding> {
    let mut out = Vec::new();
    for fr in &folder.frozen {
        let at = folder
            .lock
            .line_of(fr)
            .map_or(String::new(), |l| format!(" (declarations.lock:{l})"));
        let path = folder.dir.join(&fr.file);
        match bounded::sha256(&path, bounded::limit::TOML, "frozen declaration") {
            Err(e) => out.push(Finding::new(
                &fr.file,
                "declaration",
                format!(
                    "the frozen declaration of `{}`{at} cannot be read: {e}",
                    fr.unit
                ),
            )),
            Ok(h) if h != fr.sha256 => out.push(Finding::new(
                &fr.file,
                "declaration",
                format!(
                    "changed after freezing: its sha256 is now {}…, but it was frozen as {}… on \
                     {}{at}; restore the frozen bytes (a declaration is frozen once per round)",
                    short(&h),
                    short(&fr.sha256),
                    fr.frozen_at
                ),
            )),
            Ok(_) => {}
        }
    }
    // A declaration copy in a unit folder that the lock does not name was never frozen.
    let units = folder.dir.join(UNITS_DIR);
    let Ok(dirs) = std::fs::read_dir(&units) else {
        return out;
    };
    for d in dirs.flatten() {
        let slug = d.file_name().to_string_lossy().into_owned();
        let Ok(files) = std::fs::read_dir(d.path()) else {
            continue;
        };
        for file in files.flatten() {
            let name = file.file_name().to_string_lossy().into_owned();
            if name.starts_with("declaration.") && name.ends_with(".toml") {
                let rel = format!("{UNITS_DIR}/{slug}/{name}");
                if !folder.frozen.iter().any(|f| f.file == rel) {
                    out.push(Finding::new(
                        &rel,
                        "declaration",
                        "not in declarations.lock, so never frozen: freeze declarations with \
                         `jiebang round declare`",
                    ));
                }
            }
        }
    }
    out
}

/// What makes two runs the same system: the SUT's hash, or for a built-in system its name and
/// settings (a built-in's files are the harness itself).
fn system_key(s: &Submission) -> String {
    let sut = &s.scorecard.pins.sut;
    if sut.adapter == "builtin" {
        // Timeouts, paths and concurrency do not change a built-in system; the dataset it ran
        // on tells runs of it apart (a round that pins its dataset leaves one per built-in).
        format!(
            "builtin:{} on dataset {}",
            sut.name, s.scorecard.pins.dataset.hash
        )
    } else {
        format!("{}:{}", sut.adapter, sut.hash)
    }
}

/// `unique` over `subs` in order: a later one that repeats an earlier one's unit, suite and
/// mode, or its system under another unit, is a finding.
pub(crate) fn unique(subs: &[&Submission]) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut runs: BTreeMap<(String, String, String), &str> = BTreeMap::new();
    let mut systems: BTreeMap<String, &Submission> = BTreeMap::new();
    for s in subs {
        let sc = &s.scorecard;
        let mode = match &sc.run.scenario {
            Some(sc_) => format!("{} {sc_}", sc.run.mode),
            None => sc.run.mode.clone(),
        };
        let suite = format!("{}@{}", sc.pins.suite.id, sc.pins.suite.version);
        match runs.get(&(s.slug.clone(), suite.clone(), mode.clone())) {
            Some(first) => out.push(Finding::new(
                &s.file,
                "unique",
                format!(
                    "a second {mode} scorecard of this unit for {suite} (the first is {first}): \
                     one scorecard per unit, suite and mode"
                ),
            )),
            None => {
                runs.insert((s.slug.clone(), suite, mode), &s.file);
            }
        }
        let key = system_key(s);
        match systems.get(&key) {
            Some(first) if first.slug != s.slug => out.push(Finding::new(
                &s.file,
                "unique",
                format!(
                    "the same system as {} of unit folder {} ({}): one system is counted \
                     under one unit only",
                    first.file,
                    first.slug,
                    if s.scorecard.pins.sut.adapter == "builtin" {
                        format!("builtin:{} on the same dataset", s.scorecard.pins.sut.name)
                    } else {
                        format!("SUT sha256 {}…", short(&s.scorecard.pins.sut.hash))
                    }
                ),
            )),
            Some(_) => {}
            None => {
                systems.insert(key, s);
            }
        }
    }
    out
}
