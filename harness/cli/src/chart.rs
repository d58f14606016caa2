//! Charts people would rather look at than read: one panel per indicator, each system's
//! measurement with its 95% interval, the national target as a dashed line, colour by verdict.
//! Rendered with plotters to SVG and PNG; text uses the embedded DejaVu Sans (no system fonts).

use anyhow::{Result, anyhow};
use jiebang_scorecard::{Scorecard, VerdictStatus};
use plotters::prelude::*;
use std::path::Path;

static FONT: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");

pub(crate) fn register_font() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // The embedded font is valid by construction; a failure would only lose text.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, FONT);
    });
}

/// One point on a panel: a system's measurement of an indicator.
struct Point {
    label: String,
    value: f64,
    ci: Option<[f64; 2]>,
    status: Option<VerdictStatus>,
}

/// One panel: an indicator across systems.
struct Panel {
    title: String,
    unit: String,
    target: Option<f64>,
    points: Vec<Point>,
}

fn panels(cards: &[&Scorecard]) -> Vec<Panel> {
    let mut out: Vec<Panel> = Vec::new();
    for sc in cards {
        for ind in &sc.indicators {
            let Some(value) = ind.measured else { continue };
            let title = format!("{} ({})", ind.name_en, ind.id);
            let idx = match out.iter().position(|p| p.title == title) {
                Some(i) => i,
                None => {
                    out.push(Panel {
                        title,
                        unit: ind.unit.clone(),
                        target: ind.national_target.as_ref().map(|t| t.value),
                        points: vec![],
                    });
                    out.len() - 1
                }
            };
            let scale = if ind.unit == "ratio" { 100.0 } else { 1.0 };
            out[idx].points.push(Point {
                label: format!("{}:{}", sc.pins.sut.adapter, sc.pins.sut.name),
                value: value * scale,
                ci: ind.ci95.map(|[a, b]| [a * scale, b * scale]),
                status: ind.verdicts.national.as_ref().map(|v| v.status),
            });
        }
    }
    out
}

fn colour(s: Option<VerdictStatus>) -> RGBColor {
    match s {
        Some(VerdictStatus::Met) => RGBColor(0x1a, 0x96, 0x41),
        Some(VerdictStatus::NotMet) => RGBColor(0xd7, 0x19, 0x1c),
        Some(VerdictStatus::Inconclusive) => RGBColor(0xe6, 0x9f, 0x00),
        _ => RGBColor(0x40, 0x40, 0x40),
    }
}

fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, plotters::coord::Shift>,
    panels: &[Panel],
) -> Result<()>
where
    DB::ErrorType: 'static,
{
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| anyhow!("drawing chart: {e:?}");
    root.fill(&WHITE).map_err(err)?;
    let cols = 2usize;
    let rows = panels.len().div_ceil(cols).max(1);
    let areas = root.split_evenly((rows, cols));
    for (panel, area) in panels.iter().zip(areas) {
        let pct = panel.unit == "ratio";
        let scale = if pct { 100.0 } else { 1.0 };
        let mut lo = f64::INFINITY;
        let mut hi = f64::NEG_INFINITY;
        for p in &panel.points {
            let [a, b] = p.ci.unwrap_or([p.value, p.value]);
            lo = lo.min(a).min(p.value);
            hi = hi.max(b).max(p.value);
        }
        if let Some(t) = panel.target {
            lo = lo.min(t * scale);
            hi = hi.max(t * scale);
        }
        let pad = ((hi - lo) * 0.15).max(if pct { 0.5 } else { hi.abs() * 0.05 + 1e-9 });
        let (x0, x1) = (lo - pad, hi + pad);
        let n = panel.points.len();
        let mut chart = ChartBuilder::on(&area)
            .caption(&panel.title, ("sans-serif", 16))
            .margin(12)
            .x_label_area_size(32)
            .y_label_area_size(150)
            .build_cartesian_2d(x0..x1, -0.5f64..(n as f64 - 0.5))
            .map_err(err)?;
        let labels: Vec<String> = panel.points.iter().map(|p| p.label.clone()).collect();
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n.max(1))
            .y_label_formatter(&|y| {
                let i = y.round();
                if (y - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < labels.len() {
                    labels[i as usize].clone()
                } else {
                    String::new()
                }
            })
            .x_desc(if pct {
                "%".to_string()
            } else {
                panel.unit.clone()
            })
            .label_style(("sans-serif", 12))
            .draw()
            .map_err(err)?;
        if let Some(t) = panel.target {
            let t = t * scale;
            chart
                .draw_series(DashedLineSeries::new(
                    vec![(t, -0.5), (t, n as f64 - 0.5)],
                    6,
                    4,
                    ShapeStyle::from(&RGBColor(0x80, 0x00, 0x80)).stroke_width(2),
                ))
                .map_err(err)?
                .label("national 2020 target")
                .legend(|(x, y)| {
                    PathElement::new(vec![(x, y), (x + 16, y)], RGBColor(0x80, 0x00, 0x80))
                });
        }
        for (i, p) in panel.points.iter().enumerate() {
            let y = i as f64;
            let c = colour(p.status);
            if let Some([a, b]) = p.ci {
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![(a, y), (b, y)],
                        c.stroke_width(2),
                    )))
                    .map_err(err)?;
            }
            chart
                .draw_series(std::iter::once(Circle::new((p.value, y), 5, c.filled())))
                .map_err(err)?;
        }
        if panel.target.is_some() {
            chart
                .configure_series_labels()
                .label_font(("sans-serif", 11))
                .background_style(WHITE.mix(0.8))
                .border_style(BLACK)
                .draw()
                .map_err(err)?;
        }
    }
    root.present().map_err(err)?;
    Ok(())
}

/// Writes `<stem>.svg` and `<stem>.png`: every measured indicator of `cards`, one panel each.
/// Returns false (and writes nothing) when no indicator was measured.
pub fn indicators(cards: &[&Scorecard], dir: &Path, stem: &str) -> Result<bool> {
    register_font();
    let panels = panels(cards);
    if panels.is_empty() {
        return Ok(false);
    }
    let rows = panels.len().div_ceil(2) as u32;
    let size = (1200u32, 60 + rows * (110 + 40 * cards.len().max(1) as u32));
    std::fs::create_dir_all(dir)?;
    let svg = dir.join(format!("{stem}.svg"));
    draw(SVGBackend::new(&svg, size).into_drawing_area(), &panels)?;
    let png = dir.join(format!("{stem}.png"));
    draw(BitMapBackend::new(&png, size).into_drawing_area(), &panels)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_svg_and_png_with_text() {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../scorecard/tests/golden/sample.scorecard.json"
        ))
        .unwrap();
        let sc = jiebang_scorecard::verify_bytes("golden", &bytes, None)
            .unwrap()
            .scorecard;
        let dir = tempfile::tempdir().unwrap();
        assert!(indicators(&[&sc, &sc], dir.path(), "ind").unwrap());
        let svg = std::fs::read_to_string(dir.path().join("ind.svg")).unwrap();
        assert!(svg.contains("detection rate") && svg.contains("national 2020 target"));
        let png = std::fs::read(dir.path().join("ind.png")).unwrap();
        if let Some(keep) = std::env::var_os("JIEBANG_KEEP_CHART") {
            std::fs::write(keep, &png).unwrap();
        }
        assert_eq!(&png[1..4], b"PNG");
    }
}
