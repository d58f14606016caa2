//! Charts people would rather look at than read: one panel per indicator, each system's
//! measurement with its 95% interval, its declared current level and own 2020 target as marks,
//! the national target as a dashed line, colour by verdict against it.
//! Rendered with plotters to SVG and PNG; text uses the embedded DejaVu Sans (no system fonts).

use crate::escape;
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
    /// The unit's declared current level and own 2020 target, scaled like `value`.
    declared: [Option<f64>; 2],
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
            let title = short(&escape::chart(&format!("{} ({})", ind.name_en, ind.id)), 64);
            let idx = match out.iter().position(|p| p.title == title) {
                Some(i) => i,
                None => {
                    out.push(Panel {
                        title,
                        unit: escape::chart(&ind.unit),
                        target: ind.national_target.as_ref().map(|t| t.value),
                        points: vec![],
                    });
                    out.len() - 1
                }
            };
            let scale = if ind.unit == "ratio" { 100.0 } else { 1.0 };
            let suite = sc.pins.suite.id.rsplit('/').next().unwrap_or_default();
            out[idx].points.push(Point {
                label: short(
                    &escape::chart(&format!(
                        "{}:{} · {suite}",
                        sc.pins.sut.adapter, sc.pins.sut.name
                    )),
                    34,
                ),
                value: value * scale,
                ci: ind.ci95.map(|[a, b]| [a * scale, b * scale]),
                status: ind.verdicts.national.as_ref().map(|v| v.status),
                declared: [
                    ind.declared_current.map(|v| v * scale),
                    ind.declared_target_2020.map(|v| v * scale),
                ],
            });
        }
    }
    out
}

/// `text` cut to `max` characters with an ellipsis, so titles and labels fit their space.
fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut s: String = text.chars().take(max - 1).collect();
    s.push('…');
    s
}

const TARGET: RGBColor = RGBColor(0x80, 0x00, 0x80);
const DECLARED: RGBColor = RGBColor(0x1f, 0x4e, 0x9a);

/// A strip across the top that says what the marks mean, instead of a legend in every panel
/// (where it would cover the data).
fn key<DB: DrawingBackend>(area: &DrawingArea<DB, plotters::coord::Shift>) -> Result<()>
where
    DB::ErrorType: 'static,
{
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| anyhow!("drawing chart: {e:?}");
    let style = ("sans-serif", 13).into_font().color(&BLACK);
    let y = 18;
    let mut x = 16;
    let text = |x: &mut i32, t: &str| -> Result<()> {
        area.draw(&Text::new(t.to_string(), (*x, y - 7), style.clone()))
            .map_err(err)?;
        *x += 8 * t.chars().count() as i32 + 18;
        Ok(())
    };
    for (c, t) in [
        (colour(Some(VerdictStatus::Met)), "met"),
        (colour(Some(VerdictStatus::NotMet)), "not met"),
        (colour(Some(VerdictStatus::Inconclusive)), "inconclusive"),
        (colour(None), "no national target"),
    ] {
        area.draw(&Circle::new((x, y), 5, c.filled()))
            .map_err(err)?;
        x += 10;
        text(&mut x, t)?;
    }
    area.draw(&PathElement::new(
        vec![(x, y), (x + 20, y)],
        ShapeStyle::from(&TARGET).stroke_width(2),
    ))
    .map_err(err)?;
    x += 26;
    text(&mut x, "national 2020 target")?;
    area.draw(&Cross::new((x, y), 5, DECLARED.stroke_width(2)))
        .map_err(err)?;
    x += 10;
    text(&mut x, "declared current level")?;
    area.draw(&TriangleMarker::new((x, y), 6, DECLARED.filled()))
        .map_err(err)?;
    x += 10;
    text(&mut x, "own 2020 target")?;
    Ok(())
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
    let (header, body) = root.split_vertically(36);
    key(&header)?;
    let cols = 2usize;
    let rows = panels.len().div_ceil(cols).max(1);
    let areas = body.split_evenly((rows, cols));
    for (panel, area) in panels.iter().zip(areas) {
        let pct = panel.unit == "ratio";
        let scale = if pct { 100.0 } else { 1.0 };
        let mut lo = f64::INFINITY;
        let mut hi = f64::NEG_INFINITY;
        for p in &panel.points {
            let [a, b] = p.ci.unwrap_or([p.value, p.value]);
            lo = lo.min(a).min(p.value);
            hi = hi.max(b).max(p.value);
            for d in p.declared.iter().flatten() {
                lo = lo.min(*d);
                hi = hi.max(*d);
            }
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
            .y_label_area_size(230)
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
                    ShapeStyle::from(&TARGET).stroke_width(2),
                ))
                .map_err(err)?;
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
            if let Some(d) = p.declared[0] {
                chart
                    .draw_series(std::iter::once(Cross::new(
                        (d, y + 0.22),
                        5,
                        DECLARED.stroke_width(2),
                    )))
                    .map_err(err)?;
            }
            if let Some(d) = p.declared[1] {
                chart
                    .draw_series(std::iter::once(TriangleMarker::new(
                        (d, y + 0.22),
                        6,
                        DECLARED.filled(),
                    )))
                    .map_err(err)?;
            }
            chart
                .draw_series(std::iter::once(Circle::new((p.value, y), 5, c.filled())))
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
    let size = (1200u32, 96 + rows * (110 + 40 * cards.len().max(1) as u32));
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
        assert!(svg.contains("declared current level") && svg.contains("own 2020 target"));
        let png = std::fs::read(dir.path().join("ind.png")).unwrap();
        if let Some(keep) = std::env::var_os("JIEBANG_KEEP_CHART") {
            std::fs::write(keep, &png).unwrap();
        }
        assert_eq!(&png[1..4], b"PNG");
    }
}
