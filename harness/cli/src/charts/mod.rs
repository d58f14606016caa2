//! The site's charts, each a self-contained SVG document returned as text (the site writes it
//! to a file and shows it with `<img>`, so nothing in it can run): indicators, curves, latency.
//!
//! Every label that a unit or system wrote arrives here as plain text and is escaped for the
//! chart (`crate::escape::chart`); the SVG backend escapes markup itself.

// The skeleton is called by the site once it lands; the bodies are drawn by their own change.
#![allow(dead_code)]

use anyhow::Result;
use jiebang_scorecard::{Better, Curve, Target, VerdictStatus};

/// One unit's line on an indicator chart.
#[derive(Debug, Clone)]
pub struct IndicatorRow {
    /// The unit's name (or the system's, for a run without a declaration), as written.
    pub label: String,
    /// The place label (`1`, `=1`, `—`), shown before the name.
    pub place: String,
    /// Measured value, in the indicator's stored unit (a ratio as 0..1).
    pub measured: Option<f64>,
    /// Its 95% interval, when one was computed.
    pub ci: Option<[f64; 2]>,
    /// Verdict against the national target.
    pub status: Option<VerdictStatus>,
    /// The unit's declared current level.
    pub declared_current: Option<f64>,
    /// The unit's own 2020 target.
    pub own_target: Option<f64>,
}

/// An indicator across the units of a suite, rows already in rank order (best first).
#[derive(Debug, Clone)]
pub struct IndicatorPanel {
    /// `name_zh / name_en (id)`.
    pub title: String,
    /// The unit a value is shown in, from `crate::fmt::display_unit`: `ratio` (a proportion,
    /// drawn as 0–100%), `fraction` (a ratio shown as a plain number, 0–1), `bool`, or a
    /// physical unit (`TOPS`, `s`, `W`, ...).
    pub unit: String,
    /// Which direction is better.
    pub better: Better,
    /// The national 2020 target, when there is one.
    pub national: Option<Target>,
    /// Ranked rows.
    pub rows: Vec<IndicatorRow>,
}

/// One unit's series on a curve chart or a history chart.
#[derive(Debug, Clone)]
pub struct Series<'a, T: ?Sized> {
    /// The unit's name, as written.
    pub label: String,
    /// The data.
    pub data: &'a T,
}

/// One round's value on a unit's history chart.
#[derive(Debug, Clone)]
pub struct HistoryPoint {
    /// Round id, in the order rounds are shown.
    pub round: String,
    /// Measured value (stored unit).
    pub measured: Option<f64>,
    /// Its 95% interval.
    pub ci: Option<[f64; 2]>,
}

/// The indicator chart: one row per unit in rank order, the measurement with its interval and
/// verdict colour, the declared current level and own target as marks, the national target as
/// a line; axes clamped to possible values, log scale where values span decades.
pub fn indicator(panel: &IndicatorPanel) -> Result<String> {
    Ok(placeholder(&panel.title))
}

/// Operating curves of one kind (ROC, DET, FROC or CMC) overlaid, one series per unit.
pub fn curves(title: &str, series: &[Series<'_, Curve>]) -> Result<String> {
    let _ = series;
    Ok(placeholder(title))
}

/// Latency distributions of performance runs (seconds per query), one box per unit.
pub fn latency(title: &str, series: &[Series<'_, [f64]>]) -> Result<String> {
    let _ = series;
    Ok(placeholder(title))
}

/// An indicator across rounds for one or more units, with the national target.
pub fn history(
    title: &str,
    unit: &str,
    national: Option<&Target>,
    series: &[Series<'_, [HistoryPoint]>],
) -> Result<String> {
    let _ = (unit, national, series);
    Ok(placeholder(title))
}

/// Until the charts are drawn: a valid, empty SVG that names what it stands for.
fn placeholder(title: &str) -> String {
    let _ = title;
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"></svg>\n".into()
}
