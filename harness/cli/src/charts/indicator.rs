//! The indicator panel: one row per unit in rank order (place, name, value), the measurement
//! with its interval coloured by verdict, the unit's own marks and the national target line.

use super::canvas::{Anchor, Canvas, Stroke, text_width};
use super::frame::{self, SMALL, Swatch, TEXT};
use super::scale::{Axis, UnitView};
use super::{IndicatorPanel, IndicatorRow};
use crate::fmt;
use jiebang_scorecard::{Better, VerdictStatus};

/// What the marks of an indicator chart mean.
pub fn key_items(yes_no: bool) -> Vec<(Swatch, String)> {
    let m = |s| {
        if yes_no {
            Swatch::Dot(frame::verdict_colour(s))
        } else {
            Swatch::Measured(frame::verdict_colour(s))
        }
    };
    let what = if yes_no {
        "measured"
    } else {
        "measured ± 95% CI"
    };
    vec![
        (m(Some(VerdictStatus::Met)), format!("{what}: met")),
        (m(Some(VerdictStatus::NotMet)), "not met".into()),
        (m(Some(VerdictStatus::Inconclusive)), "inconclusive".into()),
        (m(None), "no national target".into()),
        (
            Swatch::Cross(frame::DECLARED),
            "declared current level".into(),
        ),
        (Swatch::Triangle(frame::DECLARED), "own 2020 target".into()),
        (
            Swatch::Line(national_stroke()),
            "national 2020 target".into(),
        ),
    ]
}

fn national_stroke() -> Stroke {
    Stroke::dashed(frame::NATIONAL, 2.0, 6.0, 4.0)
}

/// The English name in a `name_zh / name_en (id)` title, for the axis; the whole title when it
/// has another shape.
fn quantity(title: &str) -> String {
    let after = title.rsplit_once(" / ").map_or(title, |(_, b)| b);
    let name = after.rsplit_once(" (").map_or(after, |(a, _)| a).trim();
    if name.is_empty() {
        "measured".into()
    } else {
        name.to_string()
    }
}

/// A yes/no value's category: 1 for yes, 0 for no.
fn yes(v: f64) -> f64 {
    if v >= 0.5 { 1.0 } else { 0.0 }
}

/// The place and the name of a row, as shown.
fn row_texts(r: &IndicatorRow) -> (String, String) {
    (r.place.clone(), crate::escape::chart(&r.label))
}

/// Draws `panel` (without title or key) from `y0` across `width`; returns the height used.
pub fn draw(c: &mut Canvas, panel: &IndicatorPanel, y0: f64, width: f64) -> f64 {
    let stored = panel_values(panel);
    let view = UnitView::of(&panel.unit, &stored);
    let f = view.factor;
    let left = 16.0;
    let place_w = panel
        .rows
        .iter()
        .map(|r| text_width(&r.place, TEXT))
        .fold(text_width("=88", TEXT), f64::max);
    let name_max = (width * 0.4).max(160.0);
    let name_w = panel
        .rows
        .iter()
        .map(|r| text_width(&row_texts(r).1, TEXT))
        .fold(60.0, f64::max)
        .min(name_max);
    let values: Vec<String> = panel
        .rows
        .iter()
        .map(|r| fmt::value(r.measured, &panel.unit))
        .collect();
    let value_w = values
        .iter()
        .map(|v| text_width(v, SMALL))
        .fold(40.0, f64::max);
    let plot_l = left + place_w + 8.0 + name_w + 14.0;
    let plot_r = width - value_w - 24.0;
    let top = y0 + 20.0;
    // Row heights from the lines each name needs.
    let heights: Vec<f64> = panel
        .rows
        .iter()
        .map(|r| {
            let lines = super::canvas::wrap(&row_texts(r).1, TEXT, name_w)
                .len()
                .min(3);
            (lines as f64 * TEXT * 1.25 + 12.0).max(30.0)
        })
        .collect();
    let bottom = top + heights.iter().sum::<f64>().max(30.0);

    let axis = if view.yes_no {
        Axis::categories(vec!["no".into(), "yes".into()], plot_l, plot_r)
    } else {
        let shown: Vec<f64> = stored.iter().map(|v| v * f).collect();
        Axis::fit(&shown, view.bounds, true, plot_l, plot_r)
    };
    let at = |v: f64| {
        if view.yes_no {
            axis.px(yes(v))
        } else {
            axis.px(v * f)
        }
    };

    // Bands, names and values first, so that marks sit on top.
    let mut y = top;
    for (i, (r, h)) in panel.rows.iter().zip(&heights).enumerate() {
        if i % 2 == 0 {
            c.rect(left - 8.0, y, width - left, *h, Some(frame::BAND), None);
        }
        let mid = y + h / 2.0;
        let (place, name) = row_texts(r);
        c.text(left + place_w, mid, &place, TEXT, Anchor::End);
        c.text_block(
            left + place_w + 8.0,
            mid,
            &name,
            TEXT,
            Anchor::Start,
            name_w,
            3,
            false,
        );
        c.text(width - 16.0, mid, &values[i], SMALL, Anchor::End);
        y += h;
    }
    let better = match panel.better {
        Better::Higher => "higher is better",
        Better::Lower => "lower is better",
    };
    let name = if view.yes_no {
        format!("{} (yes / no)", quantity(&panel.title))
    } else {
        frame::axis_name(&quantity(&panel.title), &view.suffix, axis.is_log())
    };
    let under = frame::x_axis(c, &axis, top, bottom, &format!("{name} — {better}"));

    if let Some(t) = &panel.national {
        let x = at(t.value);
        c.line(vec![(x, top - 4.0), (x, bottom)], national_stroke());
        let text = if view.yes_no {
            format!("national target: {}", fmt::target(t, &panel.unit))
        } else {
            format!("national {}", fmt::target(t, &panel.unit))
        };
        let half = text_width(&text, SMALL) / 2.0;
        let cx = x.clamp(plot_l + half, plot_r - half);
        c.label(super::canvas::Label {
            x: cx,
            y: top - 11.0,
            text,
            size: SMALL,
            anchor: Anchor::Middle,
            colour: frame::NATIONAL,
            bold: false,
            vertical: false,
            title: None,
        });
    }
    let mut y = top;
    for (r, h) in panel.rows.iter().zip(&heights) {
        let mid = y + h / 2.0;
        y += h;
        let col = frame::verdict_colour(r.status);
        // On a yes/no axis the marks share two places: set them apart.
        let apart = if view.yes_no { 9.0 } else { 0.0 };
        if let Some(d) = r.declared_current {
            c.cross(at(d) - apart, mid + 8.0, 4.0, frame::DECLARED);
        }
        if let Some(d) = r.own_target {
            c.triangle(at(d) + apart, mid + 8.0, 5.0, frame::DECLARED);
        }
        let Some(m) = r.measured else {
            frame::note(c, plot_l + 6.0, mid, "not measured", Anchor::Start);
            continue;
        };
        if let (Some([a, b]), false) = (r.ci, view.yes_no) {
            let (xa, xb) = (at(a), at(b));
            let s = Stroke::solid(col, 2.0);
            c.line(vec![(xa, mid), (xb, mid)], s);
            c.line(vec![(xa, mid - 5.0), (xa, mid + 5.0)], s);
            c.line(vec![(xb, mid - 5.0), (xb, mid + 5.0)], s);
        }
        c.dot(at(m), mid, 5.5, col);
    }
    bottom + under - y0 + 6.0
}

/// Every stored value the panel shows: measurements, intervals, declared levels, the target.
fn panel_values(panel: &IndicatorPanel) -> Vec<f64> {
    let mut all: Vec<f64> = panel
        .rows
        .iter()
        .flat_map(|r| {
            r.measured
                .into_iter()
                .chain(r.ci.into_iter().flatten())
                .chain(r.declared_current)
                .chain(r.own_target)
        })
        .collect();
    all.extend(panel.national.as_ref().map(|t| t.value));
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_names_the_english_quantity() {
        assert_eq!(
            quantity("检出率 / detection rate (imaging.detection_rate)"),
            "detection rate"
        );
        assert_eq!(quantity("latency"), "latency");
    }
}
