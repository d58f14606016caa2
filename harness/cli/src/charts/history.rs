//! An indicator across rounds: one line per unit (rounds in the order given), each round's
//! interval as a bar, the national target as a dashed line; clamped and log like the panels.

use super::canvas::{Anchor, Canvas, Label, Stroke, text_width};
use super::frame::{self, SMALL, Swatch};
use super::scale::{Axis, UnitView};
use super::{HistoryPoint, Series};
use crate::fmt;
use jiebang_scorecard::Target;

/// The history chart of values in display unit `unit`.
pub fn draw(
    title: &str,
    unit: &str,
    national: Option<&Target>,
    series: &[Series<'_, [HistoryPoint]>],
) -> Canvas {
    let width = 860.0;
    let mut c = Canvas::new(width, 0.0);
    c.name = crate::escape::chart(title);
    let mut y = 12.0 + frame::title(&mut c, 12.0, width, title);
    let mut items: Vec<(Swatch, String)> = series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            (
                Swatch::Line(frame::series_stroke(i)),
                crate::escape::chart(&s.label),
            )
        })
        .collect();
    items.push((
        Swatch::Measured(frame::NO_TARGET),
        "measured ± 95% CI".into(),
    ));
    if national.is_some() {
        items.push((
            Swatch::Line(Stroke::dashed(frame::NATIONAL, 2.0, 6.0, 4.0)),
            "national 2020 target".into(),
        ));
    }
    y += frame::key(&mut c, 16.0, y, width - 32.0, &items) + 14.0;

    let mut rounds: Vec<String> = Vec::new();
    for s in series {
        for p in s.data {
            if !rounds.contains(&p.round) {
                rounds.push(p.round.clone());
            }
        }
    }
    let values: Vec<f64> = series
        .iter()
        .flat_map(|s| s.data.iter())
        .flat_map(|p| p.measured.into_iter().chain(p.ci.into_iter().flatten()))
        .chain(national.map(|t| t.value))
        .collect();
    let view = UnitView::of(unit, &values);
    let f = view.factor;
    let display: Vec<f64> = values.iter().map(|v| v * f).collect();
    let (top, bottom) = (y + 8.0, y + 8.0 + 340.0);
    let yaxis = if view.yes_no {
        Axis::categories(vec!["no".into(), "yes".into()], bottom, top)
    } else {
        Axis::fit(&display, view.bounds, true, bottom, top)
    };
    let left = 24.0 + frame::y_label_width(&yaxis) + 30.0;
    let national_label = national.map(|t| format!("national {}", fmt::target(t, unit)));
    let right = width
        - 24.0
        - national_label
            .as_deref()
            .map_or(0.0, |l| text_width(l, SMALL) + 8.0);
    let shown_rounds: Vec<String> = rounds.iter().map(|r| crate::escape::chart(r)).collect();
    let xaxis = Axis::categories(shown_rounds, left, right);
    let at = |v: f64| {
        if view.yes_no {
            yaxis.px(if v >= 0.5 { 1.0 } else { 0.0 })
        } else {
            yaxis.px(v * f)
        }
    };
    let quantity = if view.yes_no {
        "yes / no".to_string()
    } else {
        frame::axis_name("measured", &view.suffix, yaxis.is_log())
    };
    frame::y_axis(&mut c, &yaxis, left, right, &quantity, 22.0);
    let under = frame::x_axis(&mut c, &xaxis, top, bottom, "round");
    if let (Some(t), Some(l)) = (national, national_label) {
        let ty = at(t.value);
        c.line(
            vec![(left, ty), (right, ty)],
            Stroke::dashed(frame::NATIONAL, 2.0, 6.0, 4.0),
        );
        c.label(Label {
            x: right + 6.0,
            y: ty,
            text: l,
            size: SMALL,
            anchor: Anchor::Start,
            colour: frame::NATIONAL,
            bold: false,
            vertical: false,
            title: None,
        });
    }
    let band = (right - left) / rounds.len().max(1) as f64;
    let n = series.len() as f64;
    let spread = (band * 0.5 / n.max(1.0)).min(10.0);
    for (i, s) in series.iter().enumerate() {
        let stroke = frame::series_stroke(i);
        let dx = (i as f64 - (n - 1.0) / 2.0) * spread;
        let mut line = Vec::new();
        let mut dots = Vec::new();
        for p in s.data {
            let Some(k) = rounds.iter().position(|r| *r == p.round) else {
                continue;
            };
            let x = xaxis.px(k as f64) + dx;
            let Some(m) = p.measured else {
                // A round without a value breaks the line.
                c.line(std::mem::take(&mut line), stroke);
                continue;
            };
            if let (Some([a, b]), false) = (p.ci, view.yes_no) {
                let st = Stroke::solid(stroke.colour, 1.5);
                c.line(vec![(x, at(a)), (x, at(b))], st);
                c.line(vec![(x - 4.0, at(a)), (x + 4.0, at(a))], st);
                c.line(vec![(x - 4.0, at(b)), (x + 4.0, at(b))], st);
            }
            line.push((x, at(m)));
            dots.push((x, at(m)));
        }
        c.line(line, stroke);
        for (x, y) in dots {
            c.dot(x, y, 4.5, stroke.colour);
        }
    }
    c.height = bottom + under + 12.0;
    c
}
