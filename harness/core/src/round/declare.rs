//! `round declare`: freezes a unit's declaration into the round before testing — an exact copy
//! in the unit's folder and its sha256 in `declarations.lock`, once per unit and direction.

use super::folder::{ROUND_FILE, frozen_path};
use super::lock::{Frozen, Lock};
use super::spec::Round;
use crate::{CoreError, Declaration, Direction};
use std::path::{Path, PathBuf};

/// A declaration just frozen.
#[derive(Debug, Clone)]
pub struct Declared {
    /// Its lock entry.
    pub frozen: Frozen,
    /// The frozen copy's path.
    pub path: PathBuf,
    /// The declaration as validated.
    pub declaration: Declaration,
}

/// Freezes `file` (validated against the catalogues) into the round in `dir` on day `today`
/// (`YYYY-MM-DD`): refuses a direction the round does not hold and a second freeze of the
/// same unit and direction; writes the copy, then the lock, each atomically.
pub fn declare(
    dir: &Path,
    file: &Path,
    directions: &[&Direction],
    today: &str,
) -> Result<Declared, CoreError> {
    let round = Round::read(&dir.join(ROUND_FILE), directions)?;
    let text = crate::bounded::read_text(file, crate::bounded::limit::TOML, "declaration")?;
    let declaration = Declaration::parse(file, &text, directions)?;
    if round.direction(&declaration.direction).is_none() {
        let listed: Vec<&str> = round.directions.iter().map(|d| d.id.as_str()).collect();
        return Err(CoreError::invalid(
            file,
            None,
            format!(
                "direction = `{}`: not a direction of round `{}` ({}); expected one of: {}",
                declaration.direction,
                round.round,
                round.file.display(),
                listed.join(", ")
            ),
        ));
    }
    let mut lock = Lock::read(dir)?;
    let slug = crate::slug::unit_slug(&declaration.unit);
    if let Some(first) = lock.find(&slug, &declaration.direction) {
        return Err(CoreError::invalid(
            &lock.file,
            lock.line_of(first),
            format!(
                "unit `{}` already froze its `{}` declaration on {} ({}, sha256 {}): a \
                 declaration is frozen once per round",
                first.unit, first.direction, first.frozen_at, first.file, first.sha256
            ),
        ));
    }
    // Another name that reads as a frozen one (case, spaces, punctuation), or that shares its
    // slug, would let one organisation hold two places or take another's folder.
    let key = crate::slug::look_alike_key(&declaration.unit);
    if let Some(other) = lock.entries.iter().find(|e| {
        e.unit != declaration.unit
            && (e.slug == slug || crate::slug::look_alike_key(&e.unit) == key)
    }) {
        return Err(CoreError::invalid(
            file,
            None,
            format!(
                "unit `{}` reads as unit `{}`, already frozen in this round ({}): declare \
                 under that exact name, or under a name that reads differently",
                declaration.unit, other.unit, other.file
            ),
        ));
    }
    let rel = frozen_path(&slug, &declaration.direction);
    let frozen = Frozen {
        unit: declaration.unit.clone(),
        slug,
        direction: declaration.direction.clone(),
        file: rel.clone(),
        sha256: declaration.hash.clone(),
        frozen_at: today.to_string(),
    };
    let path = dir.join(&rel);
    crate::atomic::write(&path, text.as_bytes())?;
    lock.insert(frozen.clone());
    lock.write()?;
    Ok(Declared {
        frozen,
        path,
        declaration,
    })
}
