//! The site's charts, each a self-contained SVG document returned as text (the site writes it
//! to a file and shows it with `<img>`, so nothing in it can run): indicators, curves, latency.
//!
//! Every label that a unit or system wrote arrives here as plain text; it is made visible
//! (`crate::escape::chart`) and escaped for XML when written (`crate::escape::html`).

// Called by the site (another change) and by the board's overview chart.
#![allow(dead_code)]

pub(crate) mod canvas;
mod curves;
pub(crate) mod frame;
mod history;
mod indicator;
mod latency;
pub(crate) mod scale;
#[cfg(test)]
pub(crate) mod tests;

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
    Ok(panels(std::slice::from_ref(panel)).svg())
}

/// Operating curves of one kind (ROC, DET, FROC or CMC) overlaid, one series per unit.
pub fn curves(title: &str, series: &[Series<'_, Curve>]) -> Result<String> {
    Ok(curves::draw(title, series).svg())
}

/// Latency distributions of performance runs (seconds per query), one box per unit.
pub fn latency(title: &str, series: &[Series<'_, [f64]>]) -> Result<String> {
    Ok(latency::draw(title, series).svg())
}

/// An indicator across rounds for one or more units, with the national target.
pub fn history(
    title: &str,
    unit: &str,
    national: Option<&Target>,
    series: &[Series<'_, [HistoryPoint]>],
) -> Result<String> {
    Ok(history::draw(title, unit, national, series).svg())
}

/// Indicator panels one under another, each with its title, under one key strip.
pub(crate) fn panels(panels: &[IndicatorPanel]) -> canvas::Canvas {
    let width = 1000.0;
    let mut c = canvas::Canvas::new(width, 0.0);
    let titles: Vec<&str> = panels.iter().map(|p| p.title.as_str()).collect();
    c.name = crate::escape::chart(&titles.join("; "));
    let yes_no = !panels.is_empty() && panels.iter().all(|p| p.unit == "bool");
    let mut y = 10.0;
    y += frame::key(&mut c, 16.0, y, width - 32.0, &indicator::key_items(yes_no)) + 8.0;
    for p in panels {
        c.line(
            vec![(8.0, y), (width - 8.0, y)],
            canvas::Stroke::solid(frame::GRID, 1.0),
        );
        y += 8.0 + frame::title(&mut c, y + 8.0, width, &crate::escape::chart(&p.title));
        y += indicator::draw(&mut c, p, y, width) + 8.0;
    }
    c.height = y;
    c
}
