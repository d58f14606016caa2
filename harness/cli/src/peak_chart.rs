//! The peak search as a picture: each trial's latency percentile (with its 95% interval) against
//! its target arrival rate, the latency bound as a dashed line, trials coloured by verdict.

use crate::chart::register_font;
use anyhow::{Result, anyhow};
use plotters::prelude::*;
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

const PASS: RGBColor = RGBColor(0x1a, 0x96, 0x41);
const FAIL: RGBColor = RGBColor(0xd7, 0x19, 0x1c);
const BOUND: RGBColor = RGBColor(0x80, 0x00, 0x80);

fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, plotters::coord::Shift>,
    trials: &[ChartTrial],
    bound: f64,
    percentile: f64,
    title: &str,
) -> Result<()>
where
    DB::ErrorType: 'static,
{
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| anyhow!("drawing chart: {e:?}");
    root.fill(&WHITE).map_err(err)?;
    let x_hi = trials.iter().map(|t| t.qps).fold(0.0, f64::max) * 1.1;
    let y_hi = trials
        .iter()
        .filter_map(|t| t.ci.map(|c| c[1]).or(t.latency_s))
        .fold(bound, f64::max)
        * 1.15;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 18))
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(70)
        .build_cartesian_2d(0.0..x_hi.max(1e-9), 0.0..y_hi.max(1e-9))
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc("target arrival rate (queries/s)")
        .y_desc(format!("p{} latency (s)", percentile * 100.0))
        .label_style(("sans-serif", 12))
        .draw()
        .map_err(err)?;
    chart
        .draw_series(DashedLineSeries::new(
            vec![(0.0, bound), (x_hi, bound)],
            6,
            4,
            ShapeStyle::from(&BOUND).stroke_width(2),
        ))
        .map_err(err)?
        .label("latency bound")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], BOUND));
    for t in trials {
        let c = if t.passed { PASS } else { FAIL };
        if let Some([a, b]) = t.ci {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(t.qps, a), (t.qps, b)],
                    c.stroke_width(2),
                )))
                .map_err(err)?;
        }
        // A percentile that fell on failed queries is drawn at the top edge.
        let y = t.latency_s.unwrap_or(y_hi);
        chart
            .draw_series(std::iter::once(Circle::new((t.qps, y), 5, c.filled())))
            .map_err(err)?;
    }
    chart
        .configure_series_labels()
        .label_font(("sans-serif", 12))
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()
        .map_err(err)?;
    root.present().map_err(err)?;
    Ok(())
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
    register_font();
    std::fs::create_dir_all(dir)?;
    let size = (900u32, 560u32);
    let svg = dir.join(format!("{stem}.svg"));
    draw(
        SVGBackend::new(&svg, size).into_drawing_area(),
        trials,
        bound,
        percentile,
        title,
    )?;
    let png = dir.join(format!("{stem}.png"));
    draw(
        BitMapBackend::new(&png, size).into_drawing_area(),
        trials,
        bound,
        percentile,
        title,
    )?;
    Ok(true)
}
