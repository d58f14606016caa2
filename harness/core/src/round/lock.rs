//! `declarations.lock`: the declarations frozen into a round — per unit and direction, the
//! frozen copy's path, its sha256 and the day it was frozen — written by `round declare` only.

use super::folder::frozen_path;
use super::spec::{is_date, is_sha256};
use crate::error::{TomlCtx as Ctx, toml_error};
use crate::{CoreError, bounded};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The lock's file name, in the round's folder.
pub const LOCK_FILE: &str = "declarations.lock";

/// One frozen declaration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Frozen {
    /// The unit's name as written in the declaration.
    pub unit: String,
    /// `slug::unit_slug(unit)`: the unit's folder under `units/`.
    pub slug: String,
    /// Direction id.
    pub direction: String,
    /// The frozen copy, relative to the round's folder.
    pub file: String,
    /// sha256 of the frozen copy's bytes (a scorecard's `pins.declaration.hash`).
    pub sha256: String,
    /// The day (UTC) it was frozen, `YYYY-MM-DD`.
    pub frozen_at: String,
}

/// The lock of a round: its frozen declarations, sorted by slug then direction.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Lock {
    /// Where it is (or will be) written.
    pub file: PathBuf,
    /// The entries, sorted by slug then direction.
    pub entries: Vec<Frozen>,
    /// Per entry, its line in the file (0 for one added since it was read).
    lines: Vec<usize>,
}

#[derive(Serialize)]
struct LockOut<'a> {
    schema_version: i64,
    declaration: &'a [Frozen],
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLock {
    schema_version: Spanned<i64>,
    #[serde(default)]
    declaration: Vec<RawFrozen>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFrozen {
    unit: Spanned<String>,
    slug: Spanned<String>,
    direction: Spanned<String>,
    file: Spanned<String>,
    sha256: Spanned<String>,
    frozen_at: Spanned<String>,
}

impl Lock {
    /// Reads the lock of the round in `dir` (bounded); no lock yet is an empty one.
    pub fn read(dir: &Path) -> Result<Lock, CoreError> {
        let file = dir.join(LOCK_FILE);
        match std::fs::symlink_metadata(&file) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Lock {
                file,
                ..Lock::default()
            }),
            _ => {
                let text = bounded::read_text(&file, bounded::limit::TOML, "declarations lock")?;
                Self::parse(&file, &text)
            }
        }
    }

    /// Parses and validates the lock's `text` read from `file`.
    pub fn parse(file: &Path, text: &str) -> Result<Lock, CoreError> {
        let raw: RawLock = toml::from_str(text).map_err(|e| toml_error(file, text, &e))?;
        let cx = Ctx { file, text };
        if *raw.schema_version.get_ref() != 1 {
            return Err(cx.err(
                &raw.schema_version,
                format!(
                    "schema_version = {}: this jiebang reads declarations.lock schema 1",
                    raw.schema_version.get_ref()
                ),
            ));
        }
        let mut lock = Lock {
            file: file.to_path_buf(),
            ..Lock::default()
        };
        for r in raw.declaration {
            let unit = r.unit.get_ref();
            let slug = crate::slug::unit_slug(unit);
            if r.slug.get_ref() != &slug {
                return Err(cx.err(
                    &r.slug,
                    format!(
                        "slug = \"{}\": expected \"{slug}\", the slug of unit `{unit}`",
                        r.slug.get_ref()
                    ),
                ));
            }
            let direction = r.direction.get_ref();
            if direction.is_empty()
                || !direction
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            {
                return Err(cx.err(
                    &r.direction,
                    format!(
                        "direction = \"{direction}\": expected a direction id (lower-case \
                         letters, digits and `-`)"
                    ),
                ));
            }
            let expected = frozen_path(&slug, direction);
            if r.file.get_ref() != &expected {
                return Err(cx.err(
                    &r.file,
                    format!(
                        "file = \"{}\": expected \"{expected}\" (frozen copies live in the unit's folder)",
                        r.file.get_ref()
                    ),
                ));
            }
            if !is_sha256(r.sha256.get_ref()) {
                return Err(cx.err(&r.sha256, "sha256: expected 64 lowercase hex digits".into()));
            }
            if !is_date(r.frozen_at.get_ref()) {
                return Err(cx.err(
                    &r.frozen_at,
                    "frozen_at: expected a date written YYYY-MM-DD".into(),
                ));
            }
            if lock.find(&slug, r.direction.get_ref()).is_some() {
                return Err(cx.err(
                    &r.unit,
                    format!(
                        "unit `{unit}` is frozen twice for direction `{}`",
                        r.direction.get_ref()
                    ),
                ));
            }
            lock.lines
                .push(crate::error::line_of(text, r.unit.span().start));
            lock.entries.push(Frozen {
                unit: unit.clone(),
                slug,
                direction: r.direction.into_inner(),
                file: expected,
                sha256: r.sha256.into_inner(),
                frozen_at: r.frozen_at.into_inner(),
            });
        }
        Ok(lock)
    }

    /// The frozen declaration of unit `slug` for `direction`.
    pub fn find(&self, slug: &str, direction: &str) -> Option<&Frozen> {
        self.entries
            .iter()
            .find(|f| f.slug == slug && f.direction == direction)
    }

    /// The line of `entry` in the file as read (None for one added since).
    pub fn line_of(&self, entry: &Frozen) -> Option<usize> {
        let i = self.entries.iter().position(|f| f == entry)?;
        self.lines.get(i).copied().filter(|&l| l > 0)
    }

    /// Adds an entry, keeping the order by slug then direction.
    pub fn insert(&mut self, entry: Frozen) {
        let at = self
            .entries
            .partition_point(|f| (&f.slug, &f.direction) < (&entry.slug, &entry.direction));
        self.entries.insert(at, entry);
        self.lines.insert(at, 0);
    }

    /// The file's text: schema 1, one `[[declaration]]` per entry, sorted.
    pub fn to_text(&self) -> Result<String, CoreError> {
        let mut entries = self.entries.clone();
        entries.sort_by(|a, b| (&a.slug, &a.direction).cmp(&(&b.slug, &b.direction)));
        let body = toml::to_string(&LockOut {
            schema_version: 1,
            declaration: &entries,
        })
        .map_err(|e| CoreError::Other(format!("{}: {e}", self.file.display())))?;
        Ok(format!(
            "# Written by `jiebang round declare`: the declarations frozen into this round.\n\
             # Do not edit; a frozen copy whose bytes no longer hash to `sha256` is a finding.\n\
             {body}"
        ))
    }

    /// Writes the lock atomically.
    pub fn write(&self) -> Result<(), CoreError> {
        crate::atomic::write(&self.file, self.to_text()?.as_bytes())
    }
}

/// Today's date (UTC) as `YYYY-MM-DD`, or the day of `SOURCE_DATE_EPOCH` when it is set (so
/// that a rebuilt round or site is byte-identical).
pub fn today() -> String {
    let now = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .map(|s| std::time::UNIX_EPOCH + std::time::Duration::from_secs(s))
        .unwrap_or_else(std::time::SystemTime::now);
    humantime::format_rfc3339_seconds(now).to_string()[..10].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(unit: &str, direction: &str) -> Frozen {
        let slug = crate::slug::unit_slug(unit);
        Frozen {
            unit: unit.into(),
            file: frozen_path(&slug, direction),
            slug,
            direction: direction.into(),
            sha256: "a".repeat(64),
            frozen_at: "2020-03-02".into(),
        }
    }

    #[test]
    fn the_lock_is_sorted_and_reads_back() {
        let mut lock = Lock {
            file: "r/declarations.lock".into(),
            ..Lock::default()
        };
        for (u, d) in [("Zeta", "speech"), ("Acme", "speech"), ("Acme", "nn-chip")] {
            lock.insert(entry(u, d));
        }
        let text = lock.to_text().unwrap();
        let back = Lock::parse(Path::new("r/declarations.lock"), &text).unwrap();
        let order: Vec<_> = back
            .entries
            .iter()
            .map(|f| (f.unit.as_str(), f.direction.as_str()))
            .collect();
        assert_eq!(
            order,
            [("Acme", "nn-chip"), ("Acme", "speech"), ("Zeta", "speech")]
        );
        assert_eq!(back.to_text().unwrap(), text);
        assert!(back.line_of(&back.entries[1]).is_some());
    }

    #[test]
    fn a_bad_entry_names_its_line() {
        let mut lock = Lock::default();
        lock.insert(entry("Acme", "speech"));
        let text = lock.to_text().unwrap();
        for (from, to, expect) in [
            ("units/acme", "../acme", "frozen copies live"),
            (
                "frozen_at = \"2020-03-02\"",
                "frozen_at = \"2020-02-30\"",
                "YYYY-MM-DD",
            ),
            ("slug = \"acme", "slug = \"x", "the slug of unit"),
            (
                "direction = \"speech\"",
                "direction = \"../x\"",
                "a direction id",
            ),
        ] {
            let e = Lock::parse(Path::new("declarations.lock"), &text.replacen(from, to, 1))
                .unwrap_err()
                .to_string();
            assert!(e.starts_with("declarations.lock:"), "{e}");
            assert!(e.contains(expect), "{e}");
        }
    }

    #[test]
    fn source_date_epoch_is_a_day() {
        assert!(is_date(&today()));
    }
}
