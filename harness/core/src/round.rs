//! Rounds (揭榜轮次): a folder of scorecards plus `round.toml` — the round's name, the agencies'
//! trusted public keys, whether the sandbox is required, and per direction the ranking
//! indicator and the selection caps (5 and 3). Every path it names stays inside its folder.

use crate::error::{TomlCtx as Ctx, toml_error};
use crate::{CoreError, Direction, bounded};
use serde::Deserialize;
use std::path::{Component, Path, PathBuf};
use toml::Spanned;

/// The caps of the MIIT rounds: at most 5 units selected (揭榜单位) per direction and at most 3
/// announced successful (攻关成功单位).
pub const MAX_SELECTED: usize = 5;
/// See [`MAX_SELECTED`].
pub const MAX_SUCCESSFUL: usize = 3;

/// A validated `round.toml`.
#[derive(Debug, Clone, PartialEq)]
pub struct Round {
    /// Where it was read from.
    pub file: PathBuf,
    /// Round id as pinned in scorecards (`--round`), e.g. `2020-r1`.
    pub round: String,
    /// Title of the published board.
    pub title: Option<String>,
    /// Public key files whose signature every scorecard must carry (relative to the file; read
    /// them with [`Round::trusted_key_texts`], which keeps them inside the round's folder).
    pub trusted_keys: Vec<PathBuf>,
    /// Whether every scorecard must come from a sandboxed run (`settings.sandbox` present and
    /// not `"none"`); others are left off the board.
    pub require_sandbox: bool,
    /// The directions of the round.
    pub directions: Vec<RoundDirection>,
    /// Per trusted key: the line of `round.toml` that names it, and the path as written.
    key_sources: Vec<(usize, String)>,
}

/// One direction of a round.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundDirection {
    /// Direction id.
    pub id: String,
    /// The catalogue indicator units are ranked by.
    pub ranking_indicator: String,
    /// At most this many units are selected.
    pub selected: usize,
    /// At most this many selected units are announced successful.
    pub successful: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRound {
    schema_version: Spanned<i64>,
    round: Spanned<String>,
    title: Option<String>,
    #[serde(default)]
    trusted_keys: Vec<Spanned<String>>,
    #[serde(default)]
    require_sandbox: bool,
    #[serde(default)]
    direction: Vec<RawDirection>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDirection {
    id: Spanned<String>,
    ranking_indicator: Spanned<String>,
    selected: Option<Spanned<i64>>,
    successful: Option<Spanned<i64>>,
}

fn cap(
    cx: &Ctx<'_>,
    v: &Option<Spanned<i64>>,
    name: &str,
    default: usize,
    max: usize,
) -> Result<usize, CoreError> {
    match v {
        None => Ok(default),
        Some(s) => {
            let n = *s.get_ref();
            if n < 1 || n as usize > max {
                return Err(cx.err(
                    s,
                    format!("{name} = {n}: expected 1..={max} (the rounds' cap)"),
                ));
            }
            Ok(n as usize)
        }
    }
}

/// Refuses a key path that could leave the round's folder by its spelling: empty, absolute, or
/// with a `..` component (symbolic links are checked when the key is read).
fn check_key_path(cx: &Ctx<'_>, k: &Spanned<String>) -> Result<(), CoreError> {
    let p = k.get_ref();
    let why = if p.trim().is_empty() {
        Some("an empty path")
    } else if p.contains('\0') || p.contains('\\') {
        Some("NUL and backslashes are not allowed")
    } else if Path::new(p).has_root() || Path::new(p).is_absolute() {
        Some("an absolute path")
    } else if Path::new(p)
        .components()
        .any(|c| matches!(c, Component::ParentDir | Component::Prefix(_)))
    {
        Some("`..` leaves the round's folder")
    } else {
        None
    };
    match why {
        Some(why) => Err(cx.err(
            k,
            format!(
                "trusted_keys `{p}`: {why}; expected a public key file inside the folder of \
                 round.toml, named relative to it (e.g. \"agency.pub\")"
            ),
        )),
        None => Ok(()),
    }
}

impl Round {
    /// Reads (bounded) and validates `file` against the direction catalogues.
    pub fn read(file: &Path, directions: &[&Direction]) -> Result<Round, CoreError> {
        let text = bounded::read_text(file, bounded::limit::TOML, "round file")?;
        Self::parse(file, &text, directions)
    }

    /// The text of each trusted key file, with a label naming `round.toml:LINE` and the path as
    /// written. Each key must resolve (symbolic links followed) to a regular file inside the
    /// folder of `round.toml`, and is read with the key size bound; any error names the line.
    pub fn trusted_key_texts(&self) -> Result<Vec<(String, String)>, CoreError> {
        let base = self.file.parent().unwrap_or(Path::new("."));
        let base = if base.as_os_str().is_empty() {
            Path::new(".")
        } else {
            base
        };
        let root = base.canonicalize().map_err(|e| CoreError::io(base, e))?;
        self.trusted_keys
            .iter()
            .zip(&self.key_sources)
            .map(|(path, (line, written))| {
                let at = |why: String| {
                    CoreError::invalid(
                        &self.file,
                        Some(*line),
                        format!("trusted_keys `{written}`: {why}"),
                    )
                };
                let real = path.canonicalize().map_err(|e| {
                    at(format!(
                        "{}: {e}; expected a public key file inside the folder of round.toml",
                        path.display()
                    ))
                })?;
                if !real.starts_with(&root) {
                    return Err(at(format!(
                        "resolves to {}, outside the round's folder {} (a symbolic link); \
                         expected a public key file inside it",
                        real.display(),
                        root.display()
                    )));
                }
                let text = bounded::read_text(&real, bounded::limit::KEY, "trusted key")
                    .map_err(|e| at(e.to_string()))?;
                let label = format!("{}:{line}: trusted_keys `{written}`", self.file.display());
                Ok((label, text))
            })
            .collect()
    }

    /// Parses and validates `text` read from `file`.
    pub fn parse(file: &Path, text: &str, directions: &[&Direction]) -> Result<Round, CoreError> {
        let raw: RawRound = toml::from_str(text).map_err(|e| toml_error(file, text, &e))?;
        let cx = Ctx { file, text };
        if *raw.schema_version.get_ref() != 1 {
            return Err(cx.err(
                &raw.schema_version,
                format!(
                    "schema_version = {}: this jiebang reads round schema 1",
                    raw.schema_version.get_ref()
                ),
            ));
        }
        if raw.round.get_ref().trim().is_empty() {
            return Err(cx.err(
                &raw.round,
                "round: expected the round id pinned by `jiebang run --round`, e.g. 2020-r1".into(),
            ));
        }
        let base = file.parent().unwrap_or(Path::new("."));
        let mut trusted_keys = Vec::new();
        let mut key_sources = Vec::new();
        for k in &raw.trusted_keys {
            check_key_path(&cx, k)?;
            trusted_keys.push(base.join(k.get_ref()));
            key_sources.push((
                crate::error::line_of(text, k.span().start),
                k.get_ref().clone(),
            ));
        }
        if raw.direction.is_empty() {
            return Err(CoreError::invalid(
                file,
                None,
                "expected at least one [[direction]] with `id` and `ranking_indicator`",
            ));
        }
        let mut out = Vec::new();
        for d in &raw.direction {
            let id = d.id.get_ref();
            let direction = directions.iter().find(|x| x.id == id).ok_or_else(|| {
                let known: Vec<_> = directions.iter().map(|x| x.id).collect();
                cx.err(
                    &d.id,
                    format!(
                        "id = `{id}`: unknown direction; known: {}",
                        known.join(", ")
                    ),
                )
            })?;
            if out.iter().any(|o: &RoundDirection| &o.id == id) {
                return Err(cx.err(&d.id, format!("direction `{id}` is listed twice")));
            }
            let ind = d.ranking_indicator.get_ref();
            if direction.indicator(ind).is_none() {
                let known: Vec<_> = direction.indicators.iter().map(|i| i.id).collect();
                return Err(cx.err(
                    &d.ranking_indicator,
                    format!(
                        "ranking_indicator = `{ind}`: not an indicator of {id}; known: {}",
                        known.join(", ")
                    ),
                ));
            }
            let selected = cap(&cx, &d.selected, "selected", MAX_SELECTED, MAX_SELECTED)?;
            let successful = cap(
                &cx,
                &d.successful,
                "successful",
                MAX_SUCCESSFUL.min(selected),
                MAX_SUCCESSFUL.min(selected),
            )?;
            out.push(RoundDirection {
                id: id.clone(),
                ranking_indicator: ind.clone(),
                selected,
                successful,
            });
        }
        Ok(Round {
            file: file.to_path_buf(),
            round: raw.round.get_ref().clone(),
            title: raw.title,
            trusted_keys,
            require_sandbox: raw.require_sandbox,
            directions: out,
            key_sources,
        })
    }

    /// The round's settings for direction `id`, if it is part of the round.
    pub fn direction(&self, id: &str) -> Option<&RoundDirection> {
        self.directions.iter().find(|d| d.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIRECTIONLESS: &str = "schema_version = 1\nround = \"r1\"\n";

    fn parse_keys(keys: &str) -> Result<Round, CoreError> {
        // No direction: a key error must come first, so the catalogue is not needed.
        let text = format!("{DIRECTIONLESS}trusted_keys = [\n  {keys}\n]\n");
        Round::parse(Path::new("r/round.toml"), &text, &[])
    }

    #[test]
    fn key_paths_that_leave_the_folder_are_refused_at_their_line() {
        for (key, why) in [
            (
                "\"../../../../etc/passwd\"",
                "`..` leaves the round's folder",
            ),
            ("\"keys/../../x.pub\"", "`..` leaves the round's folder"),
            ("\"/etc/passwd\"", "an absolute path"),
            ("\"/dev/zero\"", "an absolute path"),
            ("\"\"", "an empty path"),
        ] {
            let e = parse_keys(key).unwrap_err().to_string();
            assert!(e.starts_with("r/round.toml:4: trusted_keys `"), "{e}");
            assert!(e.contains(why), "{key}: {e}");
        }
        // Inside the folder is fine by spelling (the catalogue error comes next).
        let e = parse_keys("\"keys/./agency.pub\"").unwrap_err().to_string();
        assert!(e.contains("[[direction]]"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_out_of_the_folder_is_refused_when_read() {
        let dir = tempfile::tempdir().unwrap();
        let round = dir.path().join("round");
        std::fs::create_dir(&round).unwrap();
        std::fs::write(dir.path().join("outside.pub"), "x").unwrap();
        std::os::unix::fs::symlink(dir.path().join("outside.pub"), round.join("a.pub")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", round.join("z.pub")).unwrap();
        std::fs::write(round.join("in.pub"), "key text").unwrap();
        let file = round.join("round.toml");
        let mut r = Round {
            file: file.clone(),
            round: "r1".into(),
            title: None,
            trusted_keys: vec![],
            require_sandbox: false,
            directions: vec![],
            key_sources: vec![],
        };
        for (name, line, expect) in [
            ("a.pub", 3, "outside the round's folder"),
            ("z.pub", 4, "outside the round's folder"),
            ("missing.pub", 5, "expected a public key file inside"),
        ] {
            r.trusted_keys = vec![round.join(name)];
            r.key_sources = vec![(line, name.into())];
            let e = r.trusted_key_texts().unwrap_err().to_string();
            assert!(
                e.starts_with(&format!("{}:{line}: trusted_keys `{name}`", file.display())),
                "{e}"
            );
            assert!(e.contains(expect), "{e}");
        }
        r.trusted_keys = vec![round.join("in.pub")];
        r.key_sources = vec![(3, "in.pub".into())];
        let got = r.trusted_key_texts().unwrap();
        assert_eq!(got[0].1, "key text");
        assert!(
            got[0].0.ends_with("round.toml:3: trusted_keys `in.pub`"),
            "{}",
            got[0].0
        );
    }
}
