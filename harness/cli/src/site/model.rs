//! What a site publishes: rounds, each with its boarded entries (certified or self-reported)
//! and the scorecards left off; built by `jiebang board` (and the demo) from verified files.

use jiebang_core::board::Excluded;
use jiebang_core::round::Round;
use jiebang_core::slug::unit_slug;
use jiebang_scorecard::Scorecard;
use std::path::PathBuf;

/// One round on the site (a round folder, or the loose scorecards given together).
pub struct SiteRound {
    /// Round id (file-name use goes through [`file_id`]).
    pub id: String,
    /// Title shown on the pages.
    pub title: String,
    /// Opening date, `YYYY-MM-DD`, when the round file gives one.
    pub opens: Option<String>,
    /// Closing date, `YYYY-MM-DD`, when the round file gives one.
    pub closes: Option<String>,
    /// The round file, when there is one (directions, caps, trusted keys).
    pub round: Option<Round>,
    /// Whether entries not signed by a trusted key were left off (a certified round) rather
    /// than published as self-reported.
    pub signatures_required: bool,
    /// The entries on the board.
    pub entries: Vec<SiteEntry>,
    /// Scorecards left off, and why.
    pub excluded: Vec<Excluded>,
}

/// One boarded scorecard.
pub struct SiteEntry {
    /// Where it was read from (never shown on the site: names differ between copies; the
    /// round check's findings name it).
    #[allow(dead_code)]
    pub source: PathBuf,
    /// The declaring unit as written, else `adapter:name` of the system.
    pub unit: String,
    /// `unit_slug(unit)`: its folder and page name.
    pub slug: String,
    /// The verified scorecard.
    pub sc: Scorecard,
    /// Certified or self-reported.
    pub class: EntryClass,
}

/// How far an entry is vouched for: the round's own classes.
pub use jiebang_core::round::EntryClass;

impl SiteEntry {
    /// An entry for `sc`: the unit from its declaration pin, else its system.
    pub fn new(source: PathBuf, sc: Scorecard, class: EntryClass) -> SiteEntry {
        let unit = sc.pins.declaration.as_ref().map_or_else(
            || format!("{}:{}", sc.pins.sut.adapter, sc.pins.sut.name),
            |d| d.unit.clone(),
        );
        SiteEntry {
            source,
            slug: unit_slug(&unit),
            unit,
            sc,
            class,
        }
    }

    /// The file stem of the scorecard on the site: suite id with `/` as `.`, `@version`, the
    /// mode and the scenario, if any (`medical-imaging.case-detection@1.accuracy`).
    pub fn stem(&self) -> String {
        file_id(&jiebang_core::round::stem(&self.sc))
    }

    /// The scorecard id.
    pub fn id(&self) -> &str {
        self.sc.id.as_deref().unwrap_or("")
    }
}

/// `s` when it is safe as a file name (ASCII letters, digits, `.`, `-`, `_`, `@`, not
/// starting with `.`), else its slug.
pub fn file_id(s: &str) -> String {
    let safe = !s.is_empty()
        && !s.starts_with('.')
        && s.len() <= 120
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '@'));
    if safe { s.to_string() } else { unit_slug(s) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_that_are_not_file_names_become_slugs() {
        assert_eq!(file_id("2020-r1"), "2020-r1");
        assert_eq!(file_id("a.b@1.accuracy"), "a.b@1.accuracy");
        for bad in ["../x", "", ".hidden", "a/b", "<x>"] {
            let f = file_id(bad);
            assert!(
                !f.contains('/') && !f.starts_with('.') && !f.is_empty(),
                "{f}"
            );
        }
    }
}
