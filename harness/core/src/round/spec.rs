//! `round.toml`, schema 1: the round's id, dates, the agencies' trusted public keys, whether
//! signatures and the sandbox are required, and per direction the ranking indicator, the
//! selection caps (5 and 3) and the pinned suites. Every path it names stays inside its folder.

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
    /// Whether every entry must be signed by a trusted key (a certified round); when false,
    /// unsigned or untrusted entries are allowed as self-reported. Defaults to whether the
    /// round names trusted keys.
    pub require_signatures: bool,
    /// Whether runs on jiebang's generated datasets count. Their truth is public (a fixed seed
    /// and a public generator), so a system can have learned it: a real round counts runs on
    /// sequestered data only; demos and rehearsals set `allow_generated_data = true`.
    pub allow_generated_data: bool,
    /// The day the round opens, `YYYY-MM-DD`.
    pub opens: Option<String>,
    /// The day the round closes, `YYYY-MM-DD`.
    pub closes: Option<String>,
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
    /// The pinned suites; when any is listed, only runs of these suites count.
    pub suites: Vec<RoundSuite>,
}

/// A suite pinned by a round (`[[direction.suite]]`).
#[derive(Debug, Clone, PartialEq)]
pub struct RoundSuite {
    /// Suite id, `direction/name`.
    pub id: String,
    /// Suite version.
    pub version: u32,
    /// The suite spec's sha256, as in a scorecard's `pins.suite.hash`.
    pub hash: String,
    /// The dataset's hash, as in `pins.dataset.hash`, when the round pins one.
    pub dataset: Option<String>,
    /// Fewest samples an accuracy run must issue.
    pub min_samples: Option<u64>,
    /// Shortest timed pass of a performance run, in seconds.
    pub min_duration_s: Option<f64>,
}

impl RoundSuite {
    /// `direction/name@version`, as written in `round.toml`.
    pub fn full_id(&self) -> String {
        format!("{}@{}", self.id, self.version)
    }
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
    require_signatures: Option<bool>,
    #[serde(default)]
    allow_generated_data: bool,
    opens: Option<Spanned<String>>,
    closes: Option<Spanned<String>>,
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
    #[serde(default)]
    suite: Vec<RawSuite>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSuite {
    id: Spanned<String>,
    hash: Spanned<String>,
    dataset: Option<Spanned<String>>,
    min_samples: Option<Spanned<i64>>,
    min_duration_s: Option<Spanned<f64>>,
}

/// Whether `s` is a sha256 in lowercase hex.
pub(crate) fn is_sha256(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Whether `s` is a calendar day written `YYYY-MM-DD`.
pub(crate) fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let t = &s[r];
        t.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| t.parse().ok())
            .flatten()
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

fn date(
    cx: &Ctx<'_>,
    v: &Option<Spanned<String>>,
    name: &str,
) -> Result<Option<String>, CoreError> {
    match v {
        None => Ok(None),
        Some(s) if is_date(s.get_ref()) => Ok(Some(s.get_ref().clone())),
        Some(s) => Err(cx.err(
            s,
            format!(
                "{name} = \"{}\": expected a date written YYYY-MM-DD, e.g. 2020-03-01",
                s.get_ref()
            ),
        )),
    }
}

/// Validates one `[[direction.suite]]` of direction `direction`.
fn suite(cx: &Ctx<'_>, direction: &str, raw: &RawSuite) -> Result<RoundSuite, CoreError> {
    let written = raw.id.get_ref();
    let parsed = written.split_once('@').and_then(|(id, v)| {
        let version: u32 = v.parse().ok()?;
        let (dir, name) = id.split_once('/')?;
        (!name.is_empty() && !name.contains('/')).then_some((dir, id, version))
    });
    let Some((dir, id, version)) = parsed else {
        return Err(cx.err(
            &raw.id,
            format!(
                "[[direction.suite]] id = \"{written}\": expected `direction/name@version`, e.g. \
                 \"{direction}/NAME@1\" (see `jiebang tasks`)"
            ),
        ));
    };
    if dir != direction {
        return Err(cx.err(
            &raw.id,
            format!(
                "[[direction.suite]] id = \"{written}\": a suite of direction `{dir}` listed under \
                 direction `{direction}`"
            ),
        ));
    }
    let hex = |v: &Spanned<String>, field: &str, like: &str| {
        if is_sha256(v.get_ref()) {
            Ok(v.get_ref().clone())
        } else {
            Err(cx.err(
                v,
                format!(
                    "[[direction.suite]] `{written}`: {field} = \"{}\": expected 64 lowercase hex \
                     digits, the sha256 in a scorecard's {like}",
                    v.get_ref()
                ),
            ))
        }
    };
    let hash = hex(&raw.hash, "hash", "pins.suite.hash")?;
    let dataset = raw
        .dataset
        .as_ref()
        .map(|d| hex(d, "dataset", "pins.dataset.hash"))
        .transpose()?;
    let min_samples = match &raw.min_samples {
        None => None,
        Some(n) if *n.get_ref() >= 1 => Some(*n.get_ref() as u64),
        Some(n) => {
            return Err(cx.err(
                n,
                format!(
                    "[[direction.suite]] `{written}`: min_samples = {}: expected a positive count",
                    n.get_ref()
                ),
            ));
        }
    };
    let min_duration_s = match &raw.min_duration_s {
        None => None,
        Some(d) if d.get_ref().is_finite() && *d.get_ref() > 0.0 => Some(*d.get_ref()),
        Some(d) => {
            return Err(cx.err(
                d,
                format!(
                    "[[direction.suite]] `{written}`: min_duration_s = {}: expected a positive \
                     number of seconds",
                    d.get_ref()
                ),
            ));
        }
    };
    Ok(RoundSuite {
        id: id.to_string(),
        version,
        hash,
        dataset,
        min_samples,
        min_duration_s,
    })
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
            let mut suites: Vec<RoundSuite> = Vec::new();
            for raw in &d.suite {
                let s = suite(&cx, id, raw)?;
                if suites.iter().any(|o| o.full_id() == s.full_id()) {
                    return Err(cx.err(
                        &raw.id,
                        format!("[[direction.suite]] `{}` is listed twice", s.full_id()),
                    ));
                }
                suites.push(s);
            }
            out.push(RoundDirection {
                id: id.clone(),
                ranking_indicator: ind.clone(),
                selected,
                successful,
                suites,
            });
        }
        let opens = date(&cx, &raw.opens, "opens")?;
        let closes = date(&cx, &raw.closes, "closes")?;
        if let (Some(o), Some(c), Some(span)) = (&opens, &closes, &raw.closes)
            && c < o
        {
            return Err(cx.err(
                span,
                format!(
                    "closes = \"{c}\" is before opens = \"{o}\": expected closes on or after opens"
                ),
            ));
        }
        let require_signatures = raw.require_signatures.unwrap_or(!trusted_keys.is_empty());
        if require_signatures && trusted_keys.is_empty() {
            return Err(CoreError::invalid(
                file,
                None,
                "require_signatures = true but trusted_keys is empty: name the agencies' public \
                 key files (e.g. trusted_keys = [\"keys/agency.pub\"]), or set \
                 require_signatures = false to accept self-reported entries",
            ));
        }
        Ok(Round {
            file: file.to_path_buf(),
            round: raw.round.get_ref().clone(),
            title: raw.title,
            trusted_keys,
            require_sandbox: raw.require_sandbox,
            require_signatures,
            allow_generated_data: raw.allow_generated_data,
            opens,
            closes,
            directions: out,
            key_sources,
        })
    }

    /// The round's settings for direction `id`, if it is part of the round.
    pub fn direction(&self, id: &str) -> Option<&RoundDirection> {
        self.directions.iter().find(|d| d.id == id)
    }

    /// The year of the round for an annual report: `closes`' year, else `opens`'.
    pub fn year(&self) -> Option<&str> {
        self.closes
            .as_deref()
            .or(self.opens.as_deref())
            .map(|d| &d[..4])
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

    const SUITED: &str = "schema_version = 1\nround = \"r1\"\nopens = \"2020-03-01\"\n\
        closes = \"2020-09-30\"\n\n[[direction]]\nid = \"example\"\n\
        ranking_indicator = \"example.accuracy\"\n\n[[direction.suite]]\n\
        id = \"example/parity@1\"\nhash = \"HASH\"\nmin_samples = 400\n";

    #[test]
    fn pinned_suites_dates_and_the_signature_default() {
        let d = super::super::sample_direction();
        let text = SUITED.replace("HASH", &"a".repeat(64));
        let r = Round::parse(Path::new("round.toml"), &text, &[&d]).unwrap();
        let s = &r.direction("example").unwrap().suites[0];
        assert_eq!(
            (s.full_id().as_str(), s.min_samples),
            ("example/parity@1", Some(400))
        );
        assert_eq!(s.dataset, None);
        assert_eq!(r.year(), Some("2020"));
        // No trusted keys: signatures are not required by default; requiring them is refused.
        assert!(!r.require_signatures);
        let e = Round::parse(
            Path::new("round.toml"),
            &text.replace("round = ", "require_signatures = true\nround = "),
            &[&d],
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("trusted_keys is empty"), "{e}");
        for (from, to, line, expect) in [
            ("HASH", "abc", 12, "expected 64 lowercase hex"),
            (
                "example/parity@1",
                "example/parity",
                11,
                "direction/name@version",
            ),
            ("example/parity@1", "speech/asr-zh@1", 11, "listed under"),
            ("2020-09-30", "2020-02-31", 4, "YYYY-MM-DD"),
            ("2020-09-30", "2020-01-31", 4, "before opens"),
            ("min_samples = 400", "min_samples = 0", 13, "positive count"),
        ] {
            let t = SUITED.replace(from, to).replace("HASH", &"a".repeat(64));
            let e = Round::parse(Path::new("round.toml"), &t, &[&d])
                .unwrap_err()
                .to_string();
            assert!(e.starts_with(&format!("round.toml:{line}:")), "{from}: {e}");
            assert!(e.contains(expect), "{from}: {e}");
        }
    }

    #[test]
    fn dates_are_calendar_days() {
        for ok in ["2020-02-29", "2021-12-31", "2000-02-29"] {
            assert!(is_date(ok), "{ok}");
        }
        for bad in [
            "2021-02-29",
            "1900-02-29",
            "2020-13-01",
            "2020-1-01",
            "20200101",
            "2020-00-10",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
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
            require_signatures: false,
            allow_generated_data: false,
            opens: None,
            closes: None,
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
