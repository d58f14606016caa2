//! The peak search as a picture: each trial's latency percentile (with its 95% interval) against
//! its target arrival rate, the latency bound as a dashed line, the peak marked and labelled.

use crate::charts::canvas::{Anchor, Canvas, Label, Stroke};
use crate::charts::frame::{self, SMALL, Swatch};
use crate::charts::scale::Axis;
use crate::fmt;
use anyhow::Result;
use std::path::Path;

/// One trial on the chart.
pub struct ChartTrial {
    /// Target arrival rate.
    pub qps: f64,
    /// The latency percentile, `None` when it fell on failed queries.
    pub latency_s: Option<f64>,
    /// Its 95% interval.
    pub ci: Option<[f64; 2]>,
    /// Whether the trial met the bound.
    pub passed: bool,
}

fn bound_stroke() -> Stroke {
    Stroke::dashed(frame::NATIONAL, 2.0, 6.0, 4.0)
}

/// The percentile's name: `p99`, `p99.9`.
fn percentile_name(percentile: f64) -> String {
    let p = (percentile * 1000.0).round() / 10.0;
    if p == p.trunc() {
        format!("p{}", p as i64)
    } else {
        format!("p{p}")
    }
}

/// The peak chart.
pub(crate) fn draw(trials: &[ChartTrial], bound: f64, percentile: f64, title: &str) -> Canvas {
    let width = 900.0;
    let mut c = Canvas::new(width, 0.0);
    c.name = crate::escape::chart(title);
    let mut y = 12.0 + frame::title(&mut c, 12.0, width, &crate::escape::chart(title));
    let items = [
        (
            Swatch::Dot(frame::MET),
            "trial within the bound".to_string(),
        ),
        (
            Swatch::Dot(frame::NOT_MET),
            "trial over the bound".to_string(),
        ),
        (
            Swatch::Measured(frame::NO_TARGET),
            "95% interval of the percentile".to_string(),
        ),
        (Swatch::Line(bound_stroke()), "latency bound".to_string()),
        (
            Swatch::Diamond(frame::MET),
            "peak: the highest rate within the bound".to_string(),
        ),
    ];
    y += frame::key(&mut c, 16.0, y, width - 32.0, &items) + 22.0;
    let slowest = trials
        .iter()
        .filter_map(|t| t.ci.map(|c| c[1]).or(t.latency_s))
        .fold(bound, f64::max);
    let (factor, unit) = if slowest < 1.0 {
        (1000.0, "ms")
    } else {
        (1.0, "s")
    };
    let mut lat: Vec<f64> = trials
        .iter()
        .flat_map(|t| t.latency_s.into_iter().chain(t.ci.into_iter().flatten()))
        .map(|v| v * factor)
        .collect();
    lat.push(bound * factor);
    let (top, bottom) = (y, y + 380.0);
    let mut yaxis = Axis::fit(&lat, (Some(0.0), None), true, bottom, top);
    if !yaxis.is_log() {
        yaxis.lo = 0.0;
    }
    let left = 24.0 + frame::y_label_width(&yaxis) + 30.0;
    let right = width - 110.0;
    let rates: Vec<f64> = trials.iter().map(|t| t.qps).collect();
    let mut xaxis = Axis::fit(&rates, (Some(0.0), None), true, left, right);
    if !xaxis.is_log() {
        xaxis.lo = 0.0;
    }
    let pname = percentile_name(percentile);
    frame::y_axis(
        &mut c,
        &yaxis,
        left,
        right,
        &frame::axis_name(&format!("{pname} latency"), unit, yaxis.is_log()),
        22.0,
    );
    let under = frame::x_axis(
        &mut c,
        &xaxis,
        top,
        bottom,
        &frame::axis_name("target arrival rate", "queries/s", xaxis.is_log()),
    );
    let by = yaxis.px(bound * factor);
    c.line(vec![(left, by), (right, by)], bound_stroke());
    c.label(Label {
        x: right + 6.0,
        y: by,
        text: format!("bound {}", fmt::value(Some(bound), "s")),
        size: SMALL,
        anchor: Anchor::Start,
        colour: frame::NATIONAL,
        bold: false,
        vertical: false,
        title: None,
    });
    let mut failed_at_top = false;
    for t in trials {
        let col = if t.passed { frame::MET } else { frame::NOT_MET };
        let x = xaxis.px(t.qps);
        if let Some([a, b]) = t.ci {
            let s = Stroke::solid(col, 2.0);
            let (ya, yb) = (yaxis.px(a * factor), yaxis.px(b * factor));
            c.line(vec![(x, ya), (x, yb)], s);
            c.line(vec![(x - 4.0, ya), (x + 4.0, ya)], s);
            c.line(vec![(x - 4.0, yb), (x + 4.0, yb)], s);
        }
        match t.latency_s {
            Some(l) => c.dot(x, yaxis.px(l * factor), 5.5, col),
            None => {
                c.ring(x, top, 5.5, col);
                failed_at_top = true;
            }
        }
    }
    let peak = trials
        .iter()
        .filter(|t| t.passed)
        .max_by(|a, b| a.qps.total_cmp(&b.qps));
    if let Some(p) = peak {
        let x = xaxis.px(p.qps);
        let py = p.latency_s.map_or(top, |l| yaxis.px(l * factor));
        c.diamond(x, py, 8.0, frame::MET);
        c.dot(x, py, 3.0, frame::MET);
        let text = format!("peak {}", fmt::value(Some(p.qps), "queries/s"));
        let ly = (p.ci.map_or(py, |c| yaxis.px(c[1] * factor).min(py)) - 16.0).max(top - 12.0);
        // A white ground, so that gridlines and the bound do not run through the label.
        let w = crate::charts::canvas::text_width(&text, SMALL);
        let white = crate::charts::canvas::Rgb(0xff, 0xff, 0xff);
        c.rect(
            x - w / 2.0 - 3.0,
            ly - 8.0,
            w + 6.0,
            16.0,
            Some(white),
            None,
        );
        c.label(Label {
            x,
            y: ly,
            text,
            size: SMALL,
            anchor: Anchor::Middle,
            colour: frame::MET,
            bold: true,
            vertical: false,
            title: None,
        });
    }
    let mut h = bottom + under;
    if failed_at_top {
        frame::note(
            &mut c,
            left,
            h + 4.0,
            "rings at the top: the percentile fell on failed queries",
            Anchor::Start,
        );
        h += 18.0;
    }
    c.height = h + 10.0;
    c
}

/// Writes `<stem>.svg` and `<stem>.png` into `dir`; false (nothing written) with no trials.
pub fn write(
    trials: &[ChartTrial],
    bound: f64,
    percentile: f64,
    title: &str,
    dir: &Path,
    stem: &str,
) -> Result<bool> {
    if trials.is_empty() {
        return Ok(false);
    }
    std::fs::create_dir_all(dir)?;
    let canvas = draw(trials, bound, percentile, title);
    jiebang_core::atomic::write(&dir.join(format!("{stem}.svg")), canvas.svg().as_bytes())?;
    canvas.png(&dir.join(format!("{stem}.png")))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trial(qps: f64, lat: Option<f64>, passed: bool) -> ChartTrial {
        ChartTrial {
            qps,
            latency_s: lat,
            ci: lat.map(|l| [l * 0.9, l * 1.1]),
            passed,
        }
    }

    #[test]
    fn marks_the_peak_and_explains_the_dots() {
        let trials = [
            trial(10.0, Some(0.02), true),
            trial(20.0, Some(0.04), true),
            trial(40.0, Some(0.09), false),
            trial(30.0, None, false),
        ];
        let dir = tempfile::tempdir().unwrap();
        assert!(write(&trials, 0.05, 0.99, "suite — sut", dir.path(), "x.peak").unwrap());
        let svg = std::fs::read_to_string(dir.path().join("x.peak.svg")).unwrap();
        crate::charts::tests::well_formed(&svg);
        assert!(svg.contains("peak 20.00 queries/s"), "{svg}");
        for k in [
            "trial within the bound",
            "trial over the bound",
            "95% interval",
            "latency bound",
            "p99 latency (ms)",
        ] {
            assert!(svg.contains(k), "{k}");
        }
        assert!(svg.contains("failed queries"));
        let png = std::fs::read(dir.path().join("x.peak.png")).unwrap();
        assert_eq!(&png[1..4], b"PNG");
        if let Some(keep) = std::env::var_os("JIEBANG_KEEP_CHART") {
            std::fs::write(format!("{}.peak.svg", keep.to_string_lossy()), &svg).unwrap();
            std::fs::write(format!("{}.peak.png", keep.to_string_lossy()), &png).unwrap();
        }
        assert!(!write(&[], 0.05, 0.99, "t", dir.path(), "y").unwrap());
    }
}
