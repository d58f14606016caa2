//! Latency distributions as box plots, one row per unit: median and quartiles in the box,
//! whiskers at the 5th and 95th percentiles, the extremes as rings; ms or s by magnitude.

use super::Series;
use super::canvas::{Anchor, Canvas, Stroke, text_width};
use super::frame::{self, SMALL, Swatch, TEXT};
use super::scale::Axis;
use crate::fmt;

/// One distribution's summary, in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub min: f64,
    pub p5: f64,
    pub q1: f64,
    pub median: f64,
    pub q3: f64,
    pub p95: f64,
    pub max: f64,
    pub n: usize,
}

/// The `q` quantile of sorted `v` (linear between order statistics, R's type 7).
fn quantile(v: &[f64], q: f64) -> f64 {
    let h = (v.len() - 1) as f64 * q;
    let (i, frac) = (h.floor() as usize, h - h.floor());
    match v.get(i + 1) {
        Some(next) => v[i] + frac * (next - v[i]),
        None => v[i],
    }
}

/// The summary of the finite, non-negative latencies in `data`; `None` when there are none.
pub fn summary(data: &[f64]) -> Option<Summary> {
    let mut v: Vec<f64> = data
        .iter()
        .copied()
        .filter(|x| x.is_finite() && *x >= 0.0)
        .collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    Some(Summary {
        min: v[0],
        p5: quantile(&v, 0.05),
        q1: quantile(&v, 0.25),
        median: quantile(&v, 0.5),
        q3: quantile(&v, 0.75),
        p95: quantile(&v, 0.95),
        max: v[v.len() - 1],
        n: v.len(),
    })
}

/// The latency chart.
pub fn draw(title: &str, series: &[Series<'_, [f64]>]) -> Canvas {
    let width = 900.0;
    let mut c = Canvas::new(width, 0.0);
    c.name = crate::escape::chart(title);
    let mut y = 12.0 + frame::title(&mut c, 12.0, width, title);
    let col = frame::series_stroke(0).colour;
    let items = [
        (
            Swatch::Box(col),
            "median and quartiles (25th–75th percentile)".to_string(),
        ),
        (
            Swatch::Line(Stroke::solid(col, 1.5)),
            "whiskers: 5th to 95th percentile".to_string(),
        ),
        (
            Swatch::Dot(frame::FAINT),
            "fastest and slowest query".to_string(),
        ),
    ];
    y += frame::key(&mut c, 16.0, y, width - 32.0, &items) + 10.0;
    let stats: Vec<Option<Summary>> = series.iter().map(|s| summary(s.data)).collect();
    let slowest = stats.iter().flatten().map(|s| s.max).fold(0.0, f64::max);
    let (factor, unit) = if slowest < 1.0 {
        (1000.0, "ms")
    } else {
        (1.0, "s")
    };
    let names: Vec<String> = series
        .iter()
        .map(|s| crate::escape::chart(&s.label))
        .collect();
    let values: Vec<String> = stats
        .iter()
        .map(|s| match s {
            Some(s) => format!("median {}, n = {}", fmt::value(Some(s.median), "s"), s.n),
            None => "no latencies".to_string(),
        })
        .collect();
    let left = 16.0;
    let name_w = names
        .iter()
        .map(|n| text_width(n, TEXT))
        .fold(60.0, f64::max)
        .min(width * 0.35);
    let value_w = values
        .iter()
        .map(|v| text_width(v, SMALL))
        .fold(0.0, f64::max);
    let plot_l = left + name_w + 16.0;
    let plot_r = width - value_w - 28.0;
    let mut all = Vec::new();
    for s in stats.iter().flatten() {
        all.extend([s.min, s.p5, s.q1, s.median, s.q3, s.p95, s.max].map(|v| v * factor));
    }
    let axis = Axis::fit(&all, (Some(0.0), None), true, plot_l, plot_r);
    let heights: Vec<f64> = names
        .iter()
        .map(|n| {
            let lines = super::canvas::wrap(n, TEXT, name_w).len().min(3);
            (lines as f64 * TEXT * 1.25 + 12.0).max(34.0)
        })
        .collect();
    let top = y + 6.0;
    let bottom = top + heights.iter().sum::<f64>().max(34.0);
    let mut ry = top;
    for (i, h) in heights.iter().enumerate() {
        if i % 2 == 0 {
            c.rect(left - 8.0, ry, width - left, *h, Some(frame::BAND), None);
        }
        let mid = ry + h / 2.0;
        c.text_block(left, mid, &names[i], TEXT, Anchor::Start, name_w, 3, false);
        c.text(width - 16.0, mid, &values[i], SMALL, Anchor::End);
        ry += h;
    }
    let name = frame::axis_name("latency per query", unit, axis.is_log());
    let under = frame::x_axis(&mut c, &axis, top, bottom, &name);
    let mut ry = top;
    for (i, (s, h)) in stats.iter().zip(&heights).enumerate() {
        let mid = ry + h / 2.0;
        ry += h;
        let Some(s) = s else { continue };
        let col = frame::series_stroke(i).colour;
        let x = |v: f64| axis.px(v * factor);
        let st = Stroke::solid(col, 1.5);
        c.line(vec![(x(s.p5), mid), (x(s.q1), mid)], st);
        c.line(vec![(x(s.q3), mid), (x(s.p95), mid)], st);
        c.line(vec![(x(s.p5), mid - 5.0), (x(s.p5), mid + 5.0)], st);
        c.line(vec![(x(s.p95), mid - 5.0), (x(s.p95), mid + 5.0)], st);
        c.rect(
            x(s.q1),
            mid - 8.0,
            (x(s.q3) - x(s.q1)).max(1.0),
            16.0,
            Some(super::canvas::Rgb(0xff, 0xff, 0xff)),
            Some(st),
        );
        c.line(
            vec![(x(s.median), mid - 8.0), (x(s.median), mid + 8.0)],
            Stroke::solid(col, 3.0),
        );
        c.dot(x(s.min), mid, 3.0, frame::FAINT);
        c.dot(x(s.max), mid, 3.0, frame::FAINT);
    }
    c.height = bottom + under + 12.0;
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quartiles_interpolate_between_order_statistics() {
        let s = summary(&[4.0, 1.0, 3.0, 2.0, 5.0, f64::NAN]).unwrap();
        assert_eq!(
            (s.min, s.q1, s.median, s.q3, s.max, s.n),
            (1.0, 2.0, 3.0, 4.0, 5.0, 5)
        );
        assert!((s.p5 - 1.2).abs() < 1e-12 && (s.p95 - 4.8).abs() < 1e-12);
        assert_eq!(summary(&[-1.0]), None);
    }
}
