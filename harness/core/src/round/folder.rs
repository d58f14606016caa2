//! The round folder's layout and its loading: `round.toml`, `keys/`, `declarations.lock`,
//! `units/<slug>/` with frozen declarations and submitted scorecards, each verified and classed.

use super::check::Finding;
use super::lock::{Frozen, Lock};
use super::spec::Round;
use crate::{CoreError, Direction, bounded};
use jiebang_scorecard::{KeyPair, PublicKey, Scorecard, SignatureCheck, verify_bytes};
use std::path::{Path, PathBuf};

/// The organizer's file, in the round's folder.
pub const ROUND_FILE: &str = "round.toml";
/// The folder of the units' folders.
pub const UNITS_DIR: &str = "units";

/// The frozen copy of unit `slug`'s declaration for `direction`, relative to the round folder.
pub fn frozen_path(slug: &str, direction: &str) -> String {
    format!("{UNITS_DIR}/{slug}/declaration.{direction}.toml")
}

/// The stem of a submitted scorecard: suite id with `/` as `.`, `@version`, mode, and the
/// scenario of a performance run — `medical-imaging.case-detection@1.accuracy`.
pub fn stem(sc: &Scorecard) -> String {
    let mut s = format!(
        "{}@{}.{}",
        sc.pins.suite.id.replace('/', "."),
        sc.pins.suite.version,
        sc.run.mode
    );
    if let Some(scenario) = &sc.run.scenario {
        s.push('.');
        s.push_str(scenario);
    }
    // Only characters a file name can hold safely (the pins come from a verified scorecard,
    // but the scorecard is the unit's file).
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.@".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Where a scorecard of unit `slug` is submitted, relative to the round folder.
pub fn submission_path(slug: &str, sc: &Scorecard) -> String {
    format!("{UNITS_DIR}/{slug}/{}.scorecard.json", stem(sc))
}

/// How an entry counts on the board.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum EntryClass {
    /// Signed by a key in the round's trusted keys.
    Certified {
        /// The trusted key's holder.
        signer: String,
    },
    /// Unsigned, or signed by a key the round does not trust.
    SelfReported,
}

impl EntryClass {
    /// `certified` or `self-reported`.
    pub fn as_str(&self) -> &'static str {
        match self {
            EntryClass::Certified { .. } => "certified",
            EntryClass::SelfReported => "self-reported",
        }
    }

    /// The class of a verified scorecard's signature against the trusted `keys`.
    pub fn of(signature: &SignatureCheck, keys: &[PublicKey]) -> EntryClass {
        let key = match signature {
            SignatureCheck::Unsigned => return EntryClass::SelfReported,
            SignatureCheck::Trusted { public_key, .. }
            | SignatureCheck::ValidUnchecked { public_key, .. } => public_key,
        };
        keys.iter()
            .find(|k| &k.to_hex() == key)
            .map_or(EntryClass::SelfReported, |k| EntryClass::Certified {
                signer: k.name.clone(),
            })
    }
}

/// A verified scorecard in a unit's folder.
#[derive(Debug, Clone)]
pub struct Submission {
    /// Its path relative to the round folder (`units/<slug>/<stem>.scorecard.json`).
    pub file: String,
    /// The unit folder it is in.
    pub slug: String,
    /// Its id.
    pub id: String,
    /// The scorecard.
    pub scorecard: Scorecard,
    /// Certified or self-reported.
    pub class: EntryClass,
    /// The per-query log beside it (`<stem>.log.jsonl`), relative to the round folder.
    pub log: Option<String>,
}

/// A round folder, loaded: what `round check`, `round submit` and the board work from.
#[derive(Debug, Clone)]
pub struct RoundFolder {
    /// The folder.
    pub dir: PathBuf,
    /// Its `round.toml`.
    pub round: Round,
    /// The round's trusted keys, read from `trusted_keys`.
    pub keys: Vec<PublicKey>,
    /// Its `declarations.lock`.
    pub lock: Lock,
    /// The frozen declarations (the lock's entries).
    pub frozen: Vec<Frozen>,
    /// The scorecards under `units/<slug>/` that verify, sorted by file.
    pub submissions: Vec<Submission>,
    /// What could not be loaded as a submission (a scorecard that does not verify, a file out
    /// of place); [`super::check`] reports these first.
    pub problems: Vec<Finding>,
}

/// Reads a round's trusted key files, refusing a secret key file (a trust anchor is public).
fn read_keys(round: &Round) -> Result<Vec<PublicKey>, CoreError> {
    round
        .trusted_key_texts()?
        .into_iter()
        .map(|(label, text)| {
            if KeyPair::from_file_text(&label, &text).is_ok() {
                return Err(CoreError::Other(format!(
                    "{label}: this is a secret key file; a trust anchor is the public key file \
                     (the `.pub` that `jiebang keygen` wrote beside it)"
                )));
            }
            Ok(PublicKey::from_file_text(&label, &text)?)
        })
        .collect()
}

/// The entries of `dir`, sorted by name; none when it does not exist.
fn entries(dir: &Path) -> Result<Vec<(String, PathBuf)>, CoreError> {
    let read = match std::fs::read_dir(dir) {
        Ok(r) => r,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(CoreError::io(dir, e)),
    };
    let mut out = Vec::new();
    for e in read {
        let e = e.map_err(|e| CoreError::io(dir, e))?;
        out.push((e.file_name().to_string_lossy().into_owned(), e.path()));
    }
    out.sort();
    Ok(out)
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

impl RoundFolder {
    /// Loads the round in `dir`: `round.toml` (validated against `directions`), its trusted
    /// keys, the lock, and every `units/<slug>/*.scorecard.json`, each verified (bytes, id,
    /// signature) and classed. A scorecard that fails is a problem, not an error.
    pub fn open(dir: &Path, directions: &[&Direction]) -> Result<RoundFolder, CoreError> {
        let round = Round::read(&dir.join(ROUND_FILE), directions)?;
        let keys = read_keys(&round)?;
        let lock = Lock::read(dir)?;
        let mut folder = RoundFolder {
            dir: dir.to_path_buf(),
            round,
            keys,
            frozen: lock.entries.clone(),
            lock,
            submissions: Vec::new(),
            problems: Vec::new(),
        };
        for (name, _) in entries(dir)? {
            if name.ends_with(".scorecard.json") {
                folder.problems.push(Finding::new(
                    &name,
                    "placement",
                    "a scorecard outside units/<slug>/: submit it with `jiebang round submit`, \
                     which puts it in its unit's folder",
                ));
            }
        }
        for (slug, path) in entries(&dir.join(UNITS_DIR))? {
            let rel = format!("{UNITS_DIR}/{slug}");
            let meta = std::fs::symlink_metadata(&path).map_err(|e| CoreError::io(&path, e))?;
            if !meta.is_dir() || !is_slug(&slug) {
                folder.problems.push(Finding::new(
                    &rel,
                    "placement",
                    "expected a unit's folder (a directory named by the unit's slug, as \
                     `jiebang round declare` makes it)",
                ));
                continue;
            }
            for (name, file) in entries(&path)? {
                if let Some(stem) = name.strip_suffix(".scorecard.json") {
                    let rel = format!("{rel}/{name}");
                    // A link is not followed: every file of a round stays inside its folder.
                    if !std::fs::symlink_metadata(&file).is_ok_and(|m| m.is_file()) {
                        folder.problems.push(Finding::new(
                            &rel,
                            "placement",
                            "not a regular file (a symbolic link or a folder): expected the \
                             scorecard itself, as `jiebang round submit` puts it there",
                        ));
                        continue;
                    }
                    let log = format!("{stem}.log.jsonl");
                    let log = path
                        .join(&log)
                        .is_file()
                        .then(|| format!("{UNITS_DIR}/{slug}/{log}"));
                    folder.load(&rel, &slug, &file, log);
                }
            }
        }
        Ok(folder)
    }

    /// Verifies one scorecard file and adds it as a submission, or as a problem.
    fn load(&mut self, rel: &str, slug: &str, file: &Path, log: Option<String>) {
        let bytes = match bounded::read(file, bounded::limit::SCORECARD, "scorecard") {
            Ok(b) => b,
            Err(e) => {
                self.problems
                    .push(Finding::new(rel, "verifies", e.to_string()));
                return;
            }
        };
        match verify_bytes(rel, &bytes, None) {
            Ok(v) => {
                let class = EntryClass::of(&v.signature, &self.keys);
                self.submissions.push(Submission {
                    file: rel.to_string(),
                    slug: slug.to_string(),
                    id: v.id,
                    scorecard: v.scorecard,
                    class,
                    log,
                })
            }
            Err(e) => self.problems.push(Finding::new(
                rel,
                "verifies",
                format!("does not verify: {e}"),
            )),
        }
    }

    /// The frozen declaration of unit `slug` for `direction`.
    pub fn frozen(&self, slug: &str, direction: &str) -> Option<&Frozen> {
        self.lock.find(slug, direction)
    }
}
