//! Rounds (揭榜轮次): a folder of scorecards plus `round.toml` — the round's name, the agencies'
//! trusted public keys, and per direction the ranking indicator and the selection caps (5 and 3).

use crate::error::{TomlCtx as Ctx, toml_error};
use crate::{CoreError, Direction};
use serde::Deserialize;
use std::path::{Path, PathBuf};
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
    /// Public key files whose signature every scorecard must carry (relative to the file).
    pub trusted_keys: Vec<PathBuf>,
    /// The directions of the round.
    pub directions: Vec<RoundDirection>,
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

impl Round {
    /// Reads and validates `file` against the direction catalogues.
    pub fn read(file: &Path, directions: &[&Direction]) -> Result<Round, CoreError> {
        let text = std::fs::read_to_string(file).map_err(|e| CoreError::io(file, e))?;
        Self::parse(file, &text, directions)
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
        if raw.direction.is_empty() {
            return Err(CoreError::invalid(
                file,
                None,
                "expected at least one [[direction]] with `id` and `ranking_indicator`",
            ));
        }
        let base = file.parent().unwrap_or(Path::new("."));
        let trusted_keys = raw
            .trusted_keys
            .iter()
            .map(|k| base.join(k.get_ref()))
            .collect();
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
            directions: out,
        })
    }

    /// The round's settings for direction `id`, if it is part of the round.
    pub fn direction(&self, id: &str) -> Option<&RoundDirection> {
        self.directions.iter().find(|d| d.id == id)
    }
}
