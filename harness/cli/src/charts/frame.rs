//! What every chart shares: the title, the key strip that says what marks mean, axes with
//! gridlines, tick labels and a title with units, and the colours of verdicts and series.

use super::canvas::{Anchor, Canvas, INK, Label, Rgb, Stroke, text_width};
use super::scale::{Axis, Kind};
use jiebang_scorecard::VerdictStatus;

pub const MET: Rgb = Rgb(0x1a, 0x96, 0x41);
pub const NOT_MET: Rgb = Rgb(0xd7, 0x19, 0x1c);
pub const INCONCLUSIVE: Rgb = Rgb(0xe6, 0x9f, 0x00);
pub const NO_TARGET: Rgb = Rgb(0x40, 0x40, 0x40);
/// The national target line.
pub const NATIONAL: Rgb = Rgb(0x80, 0x00, 0x80);
/// A unit's own marks (declared current level, own target).
pub const DECLARED: Rgb = Rgb(0x1f, 0x4e, 0x9a);
pub const GRID: Rgb = Rgb(0xe3, 0xe3, 0xe3);
pub const FAINT: Rgb = Rgb(0x88, 0x88, 0x88);
pub const BAND: Rgb = Rgb(0xf6, 0xf6, 0xf6);

/// Text sizes.
pub const TITLE: f64 = 16.0;
pub const TEXT: f64 = 12.0;
pub const SMALL: f64 = 11.0;

/// The colour of a verdict against the national target.
pub fn verdict_colour(s: Option<VerdictStatus>) -> Rgb {
    match s {
        Some(VerdictStatus::Met) => MET,
        Some(VerdictStatus::NotMet) => NOT_MET,
        Some(VerdictStatus::Inconclusive) => INCONCLUSIVE,
        _ => NO_TARGET,
    }
}

/// Series colours (Okabe–Ito, told apart with colour blindness), then the same dashed.
pub fn series_stroke(i: usize) -> Stroke {
    const COLOURS: [Rgb; 7] = [
        Rgb(0x00, 0x72, 0xb2),
        Rgb(0xd5, 0x5e, 0x00),
        Rgb(0x00, 0x9e, 0x73),
        Rgb(0xcc, 0x79, 0xa7),
        Rgb(0xe6, 0x9f, 0x00),
        Rgb(0x56, 0xb4, 0xe9),
        Rgb(0x00, 0x00, 0x00),
    ];
    let colour = COLOURS[i % COLOURS.len()];
    match (i / COLOURS.len()) % 3 {
        0 => Stroke::solid(colour, 2.0),
        1 => Stroke::dashed(colour, 2.0, 7.0, 3.0),
        _ => Stroke::dashed(colour, 2.0, 2.0, 3.0),
    }
}

/// A mark in the key.
#[derive(Debug, Clone, Copy)]
pub enum Swatch {
    /// A dot with its interval bar.
    Measured(Rgb),
    Dot(Rgb),
    Line(Stroke),
    Cross(Rgb),
    Triangle(Rgb),
    Diamond(Rgb),
    Box(Rgb),
}

/// Draws `swatch` centred at `(x, y)`, 24 px wide.
fn swatch(c: &mut Canvas, s: Swatch, x: f64, y: f64) {
    match s {
        Swatch::Measured(col) => {
            c.line(vec![(x - 11.0, y), (x + 11.0, y)], Stroke::solid(col, 2.0));
            c.line(
                vec![(x - 11.0, y - 4.0), (x - 11.0, y + 4.0)],
                Stroke::solid(col, 2.0),
            );
            c.line(
                vec![(x + 11.0, y - 4.0), (x + 11.0, y + 4.0)],
                Stroke::solid(col, 2.0),
            );
            c.dot(x, y, 5.0, col);
        }
        Swatch::Dot(col) => c.dot(x, y, 5.0, col),
        Swatch::Line(st) => c.line(vec![(x - 12.0, y), (x + 12.0, y)], st),
        Swatch::Cross(col) => c.cross(x, y, 4.5, col),
        Swatch::Triangle(col) => c.triangle(x, y, 6.0, col),
        Swatch::Diamond(col) => c.diamond(x, y, 6.0, col),
        Swatch::Box(col) => {
            c.line(vec![(x - 12.0, y), (x - 7.0, y)], Stroke::solid(col, 1.5));
            c.line(vec![(x + 7.0, y), (x + 12.0, y)], Stroke::solid(col, 1.5));
            c.rect(
                x - 7.0,
                y - 5.0,
                14.0,
                10.0,
                Some(Rgb(0xff, 0xff, 0xff)),
                Some(Stroke::solid(col, 1.5)),
            );
            c.line(vec![(x, y - 5.0), (x, y + 5.0)], Stroke::solid(col, 2.0));
        }
    }
}

/// The key strip from `x`, `y` (top) within `width`: items side by side, wrapping to more rows
/// as needed. Returns its height.
pub fn key(c: &mut Canvas, x: f64, y: f64, width: f64, items: &[(Swatch, String)]) -> f64 {
    let row_h = 20.0;
    let (mut cx, mut cy) = (x, y + row_h / 2.0);
    let mut rows = 1.0;
    for (s, text) in items {
        let w = 30.0 + text_width(text, SMALL).min(width - 40.0) + 18.0;
        if cx > x && cx + w > x + width {
            cx = x;
            cy += row_h;
            rows += 1.0;
        }
        swatch(c, *s, cx + 12.0, cy);
        c.text_block(
            cx + 30.0,
            cy,
            text,
            SMALL,
            Anchor::Start,
            width - 40.0,
            1,
            false,
        );
        cx += w;
    }
    rows * row_h
}

/// The chart's title from `y` (top), centred in `width`, wrapped; returns its height.
pub fn title(c: &mut Canvas, y: f64, width: f64, text: &str) -> f64 {
    let lines = super::canvas::wrap(text, TITLE, width - 32.0);
    let n = lines.len().min(3);
    let h = n as f64 * TITLE * 1.3;
    c.text_block(
        width / 2.0,
        y + h / 2.0,
        text,
        TITLE,
        Anchor::Middle,
        width - 32.0,
        3,
        true,
    );
    h + 8.0
}

/// A horizontal axis under a plot spanning `top..bottom`: gridlines, tick labels, and the axis
/// title centred beneath. Returns the height taken under `bottom`.
pub fn x_axis(c: &mut Canvas, axis: &Axis, top: f64, bottom: f64, name: &str) -> f64 {
    let ticks = axis.ticks(SMALL, true);
    let categories = matches!(axis.kind, Kind::Categories(_));
    // A category's name gets its share of the axis (shortened past it, with the full name as
    // its title); numbers are spaced by `Axis::ticks`.
    let share = (axis.p1 - axis.p0).abs() / ticks.len().max(1) as f64 - 6.0;
    for (v, label) in &ticks {
        let x = axis.px(*v);
        if !categories {
            c.line(vec![(x, top), (x, bottom)], Stroke::solid(GRID, 1.0));
        }
        c.line(
            vec![(x, bottom), (x, bottom + 4.0)],
            Stroke::solid(INK, 1.0),
        );
        if categories {
            let shown = super::canvas::shorten_middle(label, SMALL, share);
            c.label(Label {
                x,
                y: bottom + 13.0,
                title: (shown != *label).then(|| label.clone()),
                text: shown,
                size: SMALL,
                anchor: Anchor::Middle,
                colour: INK,
                bold: false,
                vertical: false,
            });
        } else {
            c.text(x, bottom + 13.0, label, SMALL, Anchor::Middle);
        }
    }
    c.line(
        vec![
            (axis.p0.min(axis.p1), bottom),
            (axis.p0.max(axis.p1), bottom),
        ],
        Stroke::solid(INK, 1.0),
    );
    c.text_block(
        (axis.p0 + axis.p1) / 2.0,
        bottom + 32.0,
        name,
        TEXT,
        Anchor::Middle,
        (axis.p1 - axis.p0).abs(),
        1,
        false,
    );
    42.0
}

/// The width the tick labels of a vertical `axis` need.
pub fn y_label_width(axis: &Axis) -> f64 {
    axis.ticks(SMALL, false)
        .iter()
        .map(|(_, l)| text_width(l, SMALL))
        .fold(0.0, f64::max)
}

/// A vertical axis left of a plot spanning `left..right`: gridlines, tick labels, and the
/// axis title turned upright at `title_x`.
pub fn y_axis(c: &mut Canvas, axis: &Axis, left: f64, right: f64, name: &str, title_x: f64) {
    let categories = matches!(axis.kind, Kind::Categories(_));
    for (v, label) in axis.ticks(SMALL, false) {
        let y = axis.px(v);
        if !categories {
            c.line(vec![(left, y), (right, y)], Stroke::solid(GRID, 1.0));
        }
        c.line(vec![(left - 4.0, y), (left, y)], Stroke::solid(INK, 1.0));
        c.text(left - 7.0, y, &label, SMALL, Anchor::End);
    }
    c.line(
        vec![(left, axis.p0.min(axis.p1)), (left, axis.p0.max(axis.p1))],
        Stroke::solid(INK, 1.0),
    );
    c.label(Label {
        x: title_x,
        y: (axis.p0 + axis.p1) / 2.0,
        text: name.to_string(),
        size: TEXT,
        anchor: Anchor::Middle,
        colour: INK,
        bold: false,
        vertical: true,
        title: None,
    });
}

/// An axis title: the quantity, its unit, and the scale when it is a log one.
pub fn axis_name(quantity: &str, suffix: &str, log: bool) -> String {
    match (suffix.is_empty(), log) {
        (true, false) => quantity.to_string(),
        (true, true) => format!("{quantity} (log scale)"),
        (false, false) => format!("{quantity} ({suffix})"),
        (false, true) => format!("{quantity} ({suffix}, log scale)"),
    }
}

/// A note in small grey text.
pub fn note(c: &mut Canvas, x: f64, y: f64, text: &str, anchor: Anchor) {
    c.label(Label {
        x,
        y,
        text: text.to_string(),
        size: SMALL,
        anchor,
        colour: FAINT,
        bold: false,
        vertical: false,
        title: None,
    });
}
