//! `round init`: a new round folder — `round.toml` written from the organizer's choices
//! (validated as it will be read) and the trusted agencies' public keys copied into `keys/`.

use super::folder::ROUND_FILE;
use super::spec::{Round, RoundSuite};
use crate::{CoreError, Direction, bounded};
use jiebang_scorecard::{KeyPair, PublicKey};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// One direction of a new round.
#[derive(Debug, Clone, PartialEq)]
pub struct InitDirection {
    /// Direction id.
    pub id: String,
    /// The catalogue indicator units are ranked by.
    pub ranking_indicator: String,
    /// The suites pinned (empty: any suite of the direction counts).
    pub suites: Vec<RoundSuite>,
}

/// What `round init` writes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InitSpec {
    /// Round id (`jiebang run --round`).
    pub round: String,
    /// Title of the published site.
    pub title: Option<String>,
    /// Opening day, `YYYY-MM-DD`.
    pub opens: Option<String>,
    /// Closing day, `YYYY-MM-DD`.
    pub closes: Option<String>,
    /// The directions.
    pub directions: Vec<InitDirection>,
    /// Public key files of the trusted agencies, copied into `keys/`.
    pub keys: Vec<PathBuf>,
    /// Whether signatures are required (None: the default, required when keys are given).
    pub require_signatures: Option<bool>,
    /// Whether runs must be sandboxed.
    pub require_sandbox: bool,
    /// Whether runs on generated (public) datasets count (demos, rehearsals).
    pub allow_generated_data: bool,
}

fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The file name a trusted key gets under `keys/`: its own, when it is a plain `NAME.pub`.
fn key_name(path: &Path) -> Result<String, CoreError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let plain = name.strip_suffix(".pub").is_some_and(|stem| {
        !stem.is_empty()
            && !stem.starts_with('.')
            && stem
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    });
    if plain {
        Ok(name)
    } else {
        Err(CoreError::invalid(
            path,
            None,
            "a trusted key's file name: expected NAME.pub (letters, digits, `-`, `_`, `.`), the \
             public key file `jiebang keygen` writes",
        ))
    }
}

/// Reads a trusted key file (bounded), refusing a secret key.
fn read_public(path: &Path) -> Result<String, CoreError> {
    let text = bounded::read_text(path, bounded::limit::KEY, "trusted key")?;
    let what = path.display().to_string();
    if KeyPair::from_file_text(&what, &text).is_ok() {
        return Err(CoreError::invalid(
            path,
            None,
            "this is a secret key file; a trust anchor is the public key file (the `.pub` that \
             `jiebang keygen` wrote beside it). Keep the secret key private.",
        ));
    }
    PublicKey::from_file_text(&what, &text)?;
    Ok(text)
}

/// The text of `round.toml` for `spec`, with `key_files` as written under `keys/`.
fn render(spec: &InitSpec, key_files: &[String]) -> String {
    let mut t = String::from(
        "# A jiebang round (see docs/ROUNDS.md). Written by `jiebang round init`.\n\
         schema_version = 1\n",
    );
    let _ = writeln!(t, "round = {}", quoted(&spec.round));
    if let Some(title) = &spec.title {
        let _ = writeln!(t, "title = {}", quoted(title));
    }
    for (name, v) in [("opens", &spec.opens), ("closes", &spec.closes)] {
        if let Some(d) = v {
            let _ = writeln!(t, "{name} = {}", quoted(d));
        }
    }
    let keys: Vec<String> = key_files
        .iter()
        .map(|k| quoted(&format!("keys/{k}")))
        .collect();
    let _ = writeln!(t, "trusted_keys = [{}]", keys.join(", "));
    let signatures = spec.require_signatures.unwrap_or(!key_files.is_empty());
    let _ = writeln!(
        t,
        "require_signatures = {signatures}   # {}",
        if signatures {
            "certified: every entry signed by a trusted key"
        } else {
            "unsigned or untrusted entries are published as self-reported"
        }
    );
    let _ = writeln!(t, "require_sandbox = {}", spec.require_sandbox);
    let _ = writeln!(
        t,
        "allow_generated_data = {}   # {}",
        spec.allow_generated_data,
        if spec.allow_generated_data {
            "runs on jiebang's generated (public) datasets count: a demo or a rehearsal"
        } else {
            "only runs on supplied (sequestered) data count"
        }
    );
    for d in &spec.directions {
        let _ = write!(
            t,
            "\n[[direction]]\nid = {}\nranking_indicator = {}\nselected = {}\nsuccessful = {}\n",
            quoted(&d.id),
            quoted(&d.ranking_indicator),
            super::MAX_SELECTED,
            super::MAX_SUCCESSFUL
        );
        for s in &d.suites {
            let _ = write!(
                t,
                "\n[[direction.suite]]\nid = {}\nhash = {}\n",
                quoted(&s.full_id()),
                quoted(&s.hash)
            );
            match &s.dataset {
                Some(h) => {
                    let _ = writeln!(t, "dataset = {}", quoted(h));
                }
                None => t.push_str(
                    "# dataset = \"<sha256>\"   # not pinned: any dataset of this suite counts\n",
                ),
            }
            if let Some(n) = s.min_samples {
                let _ = writeln!(t, "min_samples = {n}");
            }
            if let Some(d) = s.min_duration_s {
                let _ = writeln!(t, "min_duration_s = {}", toml::Value::Float(d));
            }
        }
    }
    t
}

/// Makes a new round in `dir`: refuses an existing `round.toml`, checks every trusted key and
/// the text against `directions` (as `Round::read` will), then copies the keys into `keys/`
/// and writes `round.toml` (atomically). Returns the round as read back.
pub fn init(dir: &Path, spec: &InitSpec, directions: &[&Direction]) -> Result<Round, CoreError> {
    let file = dir.join(ROUND_FILE);
    if std::fs::symlink_metadata(&file).is_ok() {
        return Err(CoreError::invalid(
            &file,
            None,
            "a round is already there; choose another folder (a round.toml is never overwritten)",
        ));
    }
    let mut names = Vec::new();
    let mut texts = Vec::new();
    for k in &spec.keys {
        let name = key_name(k)?;
        if names.contains(&name) {
            return Err(CoreError::invalid(
                k,
                None,
                format!("a second trusted key named {name}; rename one of them"),
            ));
        }
        texts.push(read_public(k)?);
        names.push(name);
    }
    let text = render(spec, &names);
    Round::parse(&file, &text, directions)?;
    for (name, key) in names.iter().zip(&texts) {
        crate::atomic::write(&dir.join("keys").join(name), key.as_bytes())?;
    }
    crate::atomic::write(&file, text.as_bytes())?;
    Round::read(&file, directions)
}
