//! Operating curves overlaid, one colour per unit: ROC (with the chance diagonal), DET (both
//! axes log), FROC (false positives per case on a log axis, LUNA16's operating points marked), CMC.

use super::Series;
use super::canvas::{Anchor, Canvas, Stroke};
use super::frame::{self, Swatch};
use super::scale::{Axis, Kind};
use jiebang_scorecard::{Curve, CurveAxis, CurveKind};

/// LUNA16's FROC operating points, in false positives per case.
const LUNA16: [(f64, &str); 7] = [
    (0.125, "1/8"),
    (0.25, "1/4"),
    (0.5, "1/2"),
    (1.0, "1"),
    (2.0, "2"),
    (4.0, "4"),
    (8.0, "8"),
];

/// How one axis of the chart shows a curve axis: the factor to its display values, the
/// suffix and whether it is log.
struct Shown {
    factor: f64,
    suffix: String,
    log: bool,
}

fn shown(kind: CurveKind, axis: &CurveAxis, horizontal: bool) -> Shown {
    let log = match kind {
        CurveKind::Roc | CurveKind::Cmc => false,
        CurveKind::Det => true,
        CurveKind::Froc => horizontal,
    };
    let percent = axis.unit == "ratio" && kind != CurveKind::Roc;
    let suffix = if percent {
        "%".to_string()
    } else if axis.unit == "ratio" || axis.label.contains(&axis.unit) {
        String::new()
    } else {
        axis.unit.clone()
    };
    Shown {
        factor: if percent { 100.0 } else { 1.0 },
        suffix,
        log,
    }
}

/// The axis for display values `vals` shown as `s`, from pixel `p0` to `p1`.
fn axis_for(kind: CurveKind, axis: &CurveAxis, s: &Shown, vals: &[f64], p0: f64, p1: f64) -> Axis {
    let max_ratio = 1.0 * s.factor;
    let ratio = axis.unit == "ratio";
    if s.log {
        let pos = vals.iter().copied().filter(|v| *v > 0.0 && v.is_finite());
        let mut lo = pos.clone().fold(f64::INFINITY, f64::min);
        let mut hi = pos.fold(0.0, f64::max);
        if kind == CurveKind::Froc && !ratio {
            lo = lo.min(LUNA16[0].0);
            hi = hi.max(LUNA16[6].0);
        }
        if !lo.is_finite() {
            lo = 1e-3 * max_ratio;
            hi = max_ratio;
        }
        let lo = 10f64.powf(lo.log10().floor()).max(1e-6 * max_ratio);
        let mut hi = 10f64.powf(hi.log10().ceil());
        if ratio {
            hi = hi.min(max_ratio);
        }
        return Axis {
            kind: Kind::Log,
            lo,
            hi: hi.max(lo * 10.0),
            p0,
            p1,
            integer: false,
        };
    }
    if ratio {
        return Axis {
            kind: Kind::Linear,
            lo: 0.0,
            hi: max_ratio,
            p0,
            p1,
            integer: false,
        };
    }
    let hi = vals
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(1.0, f64::max);
    let integer = kind == CurveKind::Cmc || axis.unit == "rank";
    let lo = if integer { 1.0 } else { 0.0 };
    Axis {
        kind: Kind::Linear,
        lo,
        hi: if integer { hi.ceil().max(lo + 1.0) } else { hi },
        p0,
        p1,
        integer,
    }
}

/// The curve's `y` where it crosses `x` (straight between the points around it as drawn: in
/// `log10 x` on a log axis), when it does.
fn y_at(points: &[[f64; 2]], x: f64, log: bool) -> Option<f64> {
    let t = |v: f64| if log { v.log10() } else { v };
    let x = t(x);
    points.windows(2).find_map(|w| {
        let ([x0, y0], [x1, y1]) = (w[0], w[1]);
        let (x0, x1) = (t(x0), t(x1));
        if (x0 - x) * (x1 - x) > 0.0 || !(x0.is_finite() && x1.is_finite()) {
            return None;
        }
        if x1 == x0 {
            return Some(y0.max(y1));
        }
        Some(y0 + (y1 - y0) * (x - x0) / (x1 - x0))
    })
}

/// The curve chart.
pub fn draw(title: &str, series: &[Series<'_, Curve>]) -> Canvas {
    let width = 860.0;
    let mut c = Canvas::new(width, 0.0);
    c.name = crate::escape::chart(title);
    let mut y = 12.0 + frame::title(&mut c, 12.0, width, title);
    let Some(first) = series.first() else {
        frame::note(&mut c, width / 2.0, y + 20.0, "no curves", Anchor::Middle);
        c.height = y + 40.0;
        return c;
    };
    let kind = first.data.kind;
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
    if kind == CurveKind::Roc {
        items.push((
            Swatch::Line(Stroke::dashed(frame::FAINT, 1.0, 4.0, 4.0)),
            "chance".into(),
        ));
    }
    if kind == CurveKind::Froc {
        items.push((
            Swatch::Line(Stroke::dashed(frame::FAINT, 1.0, 2.0, 3.0)),
            "LUNA16 operating points (1/8 to 8 false positives per case), dots: each unit's sensitivity there".into(),
        ));
    }
    y += frame::key(&mut c, 16.0, y, width - 32.0, &items) + 18.0;
    let (sx, sy) = (
        shown(kind, &first.data.x, true),
        shown(kind, &first.data.y, false),
    );
    let xs: Vec<f64> = series
        .iter()
        .flat_map(|s| s.data.points.iter().map(|p| p[0] * sx.factor))
        .collect();
    let ys: Vec<f64> = series
        .iter()
        .flat_map(|s| s.data.points.iter().map(|p| p[1] * sy.factor))
        .collect();
    let (top, bottom) = (y + 8.0, y + 8.0 + 400.0);
    let yaxis = axis_for(kind, &first.data.y, &sy, &ys, bottom, top);
    let left = 24.0 + frame::y_label_width(&yaxis) + 30.0;
    let right = width - 30.0;
    let xaxis = axis_for(kind, &first.data.x, &sx, &xs, left, right);
    frame::y_axis(
        &mut c,
        &yaxis,
        left,
        right,
        &frame::axis_name(&first.data.y.label, &sy.suffix, yaxis.is_log()),
        22.0,
    );
    let under = frame::x_axis(
        &mut c,
        &xaxis,
        top,
        bottom,
        &frame::axis_name(&first.data.x.label, &sx.suffix, xaxis.is_log()),
    );
    if kind == CurveKind::Roc {
        c.line(
            vec![
                (xaxis.px(0.0), yaxis.px(0.0)),
                (xaxis.px(1.0), yaxis.px(1.0)),
            ],
            Stroke::dashed(frame::FAINT, 1.0, 4.0, 4.0),
        );
    }
    if kind == CurveKind::Froc && sx.factor == 1.0 {
        for (v, name) in LUNA16 {
            if v < xaxis.lo || v > xaxis.hi {
                continue;
            }
            let x = xaxis.px(v);
            c.line(
                vec![(x, top), (x, bottom)],
                Stroke::dashed(frame::FAINT, 1.0, 2.0, 3.0),
            );
            frame::note(&mut c, x, top - 8.0, name, Anchor::Middle);
        }
    }
    for (i, s) in series.iter().enumerate() {
        if s.data.kind != kind {
            continue;
        }
        let pts: Vec<(f64, f64)> = s
            .data
            .points
            .iter()
            .map(|p| (p[0] * sx.factor, p[1] * sy.factor))
            .filter(|(x, y)| {
                x.is_finite()
                    && y.is_finite()
                    && (!xaxis.is_log() || *x > 0.0)
                    && (!yaxis.is_log() || *y > 0.0)
            })
            .map(|(x, y)| (xaxis.px(x), yaxis.px(y)))
            .collect();
        let stroke = frame::series_stroke(i);
        if pts.len() == 1 {
            c.dot(pts[0].0, pts[0].1, 4.0, stroke.colour);
        }
        c.line(pts, stroke);
        if kind == CurveKind::Froc && sx.factor == 1.0 {
            for (v, _) in LUNA16 {
                if let Some(yv) = y_at(&s.data.points, v, xaxis.is_log()) {
                    c.dot(xaxis.px(v), yaxis.px(yv * sy.factor), 3.5, stroke.colour);
                }
            }
        }
    }
    c.height = bottom + under + 12.0;
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_curve_between_its_points() {
        let pts = [[0.1, 0.5], [1.0, 0.8], [10.0, 0.9]];
        assert_eq!(y_at(&pts, 1.0, false), Some(0.8));
        assert!((y_at(&pts, 0.55, false).unwrap() - 0.65).abs() < 1e-12);
        assert_eq!(y_at(&pts, 20.0, false), None);
        // Half way in log10 between 1 and 10.
        assert!((y_at(&pts, 10f64.sqrt(), true).unwrap() - 0.85).abs() < 1e-12);
    }
}
