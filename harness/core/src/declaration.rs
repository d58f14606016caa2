//! Declarations (申报): a unit's claimed current level and 2020 target per indicator, plus its
//! own (自定义) indicators built from the direction's metric catalogue — parsed from TOML and
//! validated against the catalogue with errors that name the file, the line and the expectation.

use crate::error::{TomlCtx as Ctx, toml_error};
use crate::{CoreError, Direction};
use jiebang_scorecard::Better;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// A validated declaration.
#[derive(Debug, Clone, PartialEq)]
pub struct Declaration {
    /// Where it was read from.
    pub file: PathBuf,
    /// sha256 of the file's bytes.
    pub hash: String,
    /// Unit (organisation) name.
    pub unit: String,
    /// Direction id.
    pub direction: String,
    /// Declared levels of catalogue indicators.
    pub levels: Vec<DeclaredLevel>,
    /// The unit's own indicators.
    pub custom: Vec<CustomIndicator>,
}

/// A declared level of one catalogue indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct DeclaredLevel {
    /// Indicator id.
    pub id: String,
    /// 本单位当前水平.
    pub current: f64,
    /// 本单位2020年目标.
    pub target_2020: f64,
}

/// A unit's own indicator (自定义指标).
#[derive(Debug, Clone, PartialEq)]
pub struct CustomIndicator {
    /// Id chosen by the unit (must not clash with the catalogue).
    pub id: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// The catalogue metric it is computed from.
    pub metric: String,
    /// Declared current level.
    pub current: f64,
    /// Declared 2020 target.
    pub target_2020: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeclaration {
    schema_version: Spanned<i64>,
    unit: Spanned<String>,
    direction: Spanned<String>,
    #[serde(default)]
    indicator: Vec<RawLevel>,
    #[serde(default)]
    custom: Vec<RawCustom>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLevel {
    id: Spanned<String>,
    current: Spanned<f64>,
    target_2020: Spanned<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCustom {
    id: Spanned<String>,
    name_zh: String,
    name_en: String,
    metric: Spanned<String>,
    current: Spanned<f64>,
    target_2020: Spanned<f64>,
}

impl Ctx<'_> {
    /// Checks a declared value's range and that the target is not worse than the current level.
    fn check_levels(
        &self,
        id: &str,
        unit: &str,
        better: Better,
        current: &Spanned<f64>,
        target: &Spanned<f64>,
    ) -> Result<(), CoreError> {
        for (field, v) in [("current", current), ("target_2020", target)] {
            let x = *v.get_ref();
            if !x.is_finite() {
                return Err(self.err(v, format!("`{id}`.{field}: expected a finite number")));
            }
            if unit == "ratio" && !(0.0..=1.0).contains(&x) {
                return Err(self.err(
                    v,
                    format!(
                        "`{id}`.{field} = {x}: expected a rate between 0 and 1 (write 95% as 0.95)"
                    ),
                ));
            }
            if x < 0.0 {
                return Err(self.err(
                    v,
                    format!("`{id}`.{field} = {x}: expected a non-negative number"),
                ));
            }
        }
        let (c, t) = (*current.get_ref(), *target.get_ref());
        let wrong_side = match better {
            Better::Higher => t < c,
            Better::Lower => t > c,
        };
        if wrong_side {
            let (word, rel) = match better {
                Better::Higher => ("higher", "below"),
                Better::Lower => ("lower", "above"),
            };
            return Err(self.err(
                target,
                format!(
                    "`{id}`.target_2020 = {t} is {rel} current = {c}, but {word} is better for this indicator: a 2020 target must be at least as good as the current level"
                ),
            ));
        }
        Ok(())
    }
}

/// The most characters a unit's name may have: names are shown in tables and charts.
pub const MAX_UNIT_NAME_CHARS: usize = 200;

/// Characters that change what a reader sees without showing themselves: zero-width and
/// joiner characters, bidirectional controls, the soft hyphen and the byte-order mark. Two
/// names that differ only by these would read as one unit.
fn invisible(c: char) -> bool {
    matches!(c,
        '\u{00ad}' | '\u{061c}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

/// Why a unit's name cannot stand as written, if it cannot: too long, a control or invisible
/// character, or white space at its ends or doubled — each would let one organisation appear as
/// several units, or a name break the tables it is shown in.
pub fn unit_name_problem(name: &str) -> Option<String> {
    let n = name.chars().count();
    if n > MAX_UNIT_NAME_CHARS {
        return Some(format!(
            "the name has {n} characters; expected at most {MAX_UNIT_NAME_CHARS}"
        ));
    }
    if let Some(c) = name.chars().find(|c| c.is_control() || invisible(*c)) {
        return Some(format!(
            "the name holds U+{:04X}, a control or invisible character; expected a name as it is \
             read (two names differing only by such characters would read as one unit)",
            c as u32
        ));
    }
    if name.trim() != name || name.contains("  ") {
        return Some(
            "the name has white space at an end or doubled; expected it as written once, \
             single-spaced"
                .into(),
        );
    }
    None
}

impl Declaration {
    /// Reads (bounded: a regular file of at most [`crate::bounded::limit::TOML`] bytes of UTF-8)
    /// and validates a declaration file against the direction catalogues in `directions`.
    pub fn read(file: &Path, directions: &[&Direction]) -> Result<Declaration, CoreError> {
        let text = crate::bounded::read_text(file, crate::bounded::limit::TOML, "declaration")?;
        Self::parse(file, &text, directions)
    }

    /// Parses and validates declaration `text` read from `file`.
    pub fn parse(
        file: &Path,
        text: &str,
        directions: &[&Direction],
    ) -> Result<Declaration, CoreError> {
        let raw: RawDeclaration = toml::from_str(text).map_err(|e| toml_error(file, text, &e))?;
        let cx = Ctx { file, text };
        if *raw.schema_version.get_ref() != 1 {
            return Err(cx.err(
                &raw.schema_version,
                format!(
                    "schema_version = {}: this jiebang reads declaration schema 1",
                    raw.schema_version.get_ref()
                ),
            ));
        }
        let dir_id = raw.direction.get_ref();
        let direction = directions.iter().find(|d| d.id == dir_id).ok_or_else(|| {
            let known: Vec<_> = directions.iter().map(|d| d.id).collect();
            cx.err(
                &raw.direction,
                format!(
                    "direction = `{dir_id}`: unknown direction; known: {}",
                    known.join(", ")
                ),
            )
        })?;
        if raw.unit.get_ref().trim().is_empty() {
            return Err(cx.err(
                &raw.unit,
                "unit: expected the unit's name, found an empty string".into(),
            ));
        }
        if let Some(why) = unit_name_problem(raw.unit.get_ref()) {
            return Err(cx.err(&raw.unit, format!("unit: {why}")));
        }
        let mut seen = std::collections::BTreeSet::new();
        let mut levels = Vec::new();
        for l in &raw.indicator {
            let id = l.id.get_ref();
            let ind = direction.indicator(id).ok_or_else(|| {
                let known: Vec<_> = direction.indicators.iter().map(|i| i.id).collect();
                cx.err(
                    &l.id,
                    format!(
                        "[[indicator]] id = `{id}`: unknown indicator for direction `{}`; known: {} (declare your own under [[custom]])",
                        direction.id,
                        known.join(", ")
                    ),
                )
            })?;
            if !seen.insert(id.clone()) {
                return Err(cx.err(
                    &l.id,
                    format!("[[indicator]] id = `{id}` is declared twice"),
                ));
            }
            let m = direction.metric(ind.metric).ok_or_else(|| {
                cx.err(
                    &l.id,
                    format!("indicator `{id}` has no metric in the catalogue"),
                )
            })?;
            cx.check_levels(id, m.unit, m.better, &l.current, &l.target_2020)?;
            levels.push(DeclaredLevel {
                id: id.clone(),
                current: *l.current.get_ref(),
                target_2020: *l.target_2020.get_ref(),
            });
        }
        let mut custom = Vec::new();
        for c in &raw.custom {
            let id = c.id.get_ref();
            if direction.indicator(id).is_some() || direction.metric(id).is_some() {
                return Err(cx.err(
                    &c.id,
                    format!("[[custom]] id = `{id}` clashes with the catalogue; choose another id"),
                ));
            }
            if !seen.insert(id.clone()) {
                return Err(cx.err(&c.id, format!("[[custom]] id = `{id}` is declared twice")));
            }
            let metric = c.metric.get_ref();
            let m = direction.metric(metric).ok_or_else(|| {
                let known: Vec<_> = direction.metrics.iter().map(|m| &*m.id).collect();
                cx.err(
                    &c.metric,
                    format!(
                        "[[custom]] `{id}`: metric `{metric}` is not in the `{}` catalogue; known: {}",
                        direction.id,
                        known.join(", ")
                    ),
                )
            })?;
            cx.check_levels(id, m.unit, m.better, &c.current, &c.target_2020)?;
            custom.push(CustomIndicator {
                id: id.clone(),
                name_zh: c.name_zh.clone(),
                name_en: c.name_en.clone(),
                metric: metric.clone(),
                current: *c.current.get_ref(),
                target_2020: *c.target_2020.get_ref(),
            });
        }
        use sha2::Digest;
        Ok(Declaration {
            file: file.to_path_buf(),
            hash: hex::encode(sha2::Sha256::digest(text.as_bytes())),
            unit: raw.unit.into_inner(),
            direction: dir_id.clone(),
            levels,
            custom,
        })
    }

    /// Refuses a declaration made for another direction than `suite`'s.
    pub fn check_suite(&self, suite: &crate::SuiteSpec) -> Result<(), CoreError> {
        if self.direction == suite.direction {
            return Ok(());
        }
        Err(CoreError::invalid(
            &self.file,
            None,
            format!(
                "the declaration is for direction `{}` but suite {} is `{}`; pass a declaration with direction = \"{}\"",
                self.direction,
                suite.full_id(),
                suite.direction,
                suite.direction
            ),
        ))
    }

    /// Whether it declares nothing: no `[[indicator]]` and no `[[custom]]` entries.
    pub fn is_empty(&self) -> bool {
        self.levels.is_empty() && self.custom.is_empty()
    }

    /// The declared level of a catalogue indicator.
    pub fn level(&self, id: &str) -> Option<&DeclaredLevel> {
        self.levels.iter().find(|l| l.id == id)
    }
}
