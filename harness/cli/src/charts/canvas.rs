//! A chart as a list of shapes in pixels, written out as SVG text or replayed onto a PNG, so that
//! both files come from one layout; text is escaped for XML and keeps a full-text `<title>`.

use anyhow::{Result, anyhow};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::fmt::Write as _;
use std::path::Path;

/// The SVG font list: CJK names stay text and find a CJK font where one is installed.
pub const FONT_FAMILY: &str =
    "'Noto Sans CJK SC', 'WenQuanYi Micro Hei', 'Microsoft YaHei', 'DejaVu Sans', sans-serif";

/// A colour, `#rrggbb` in SVG.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
    fn plotters(self) -> RGBColor {
        RGBColor(self.0, self.1, self.2)
    }
}

/// Where a text's `x` is: its start, middle or end.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

/// A line's look.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stroke {
    pub colour: Rgb,
    pub width: f64,
    /// Dash and gap lengths, for a dashed line.
    pub dash: Option<(f64, f64)>,
}

impl Stroke {
    pub fn solid(colour: Rgb, width: f64) -> Stroke {
        Stroke {
            colour,
            width,
            dash: None,
        }
    }
    pub fn dashed(colour: Rgb, width: f64, dash: f64, gap: f64) -> Stroke {
        Stroke {
            colour,
            width,
            dash: Some((dash, gap)),
        }
    }
}

/// One text: `y` is its vertical middle.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub x: f64,
    pub y: f64,
    pub text: String,
    pub size: f64,
    pub anchor: Anchor,
    pub colour: Rgb,
    pub bold: bool,
    /// Turned a quarter left (a vertical axis title).
    pub vertical: bool,
    /// The full text, when `text` is a shortened or wrapped part of it.
    pub title: Option<String>,
}

/// What can be drawn.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    Line(Vec<(f64, f64)>, Stroke),
    Rect {
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        fill: Option<Rgb>,
        stroke: Option<Stroke>,
    },
    Circle {
        x: f64,
        y: f64,
        r: f64,
        fill: Option<Rgb>,
        stroke: Option<Stroke>,
    },
    Polygon(Vec<(f64, f64)>, Rgb),
    Text(Label),
}

/// A chart being drawn: its size and shapes, in drawing order.
#[derive(Debug, Clone, Default)]
pub struct Canvas {
    /// What the chart shows, for screen readers and as the document's title.
    pub name: String,
    pub width: f64,
    pub height: f64,
    pub shapes: Vec<Shape>,
}

/// The approximate width of `text` at `size` pixels: wide (CJK, full-width) characters take
/// one em, others a little over half. It errs wide, so that space sized by it is never short.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars().map(|c| char_em(c) * size).sum()
}

fn char_em(c: char) -> f64 {
    let u = c as u32;
    let wide = matches!(u, 0x1100..=0x115f | 0x2e80..=0xa4cf | 0xac00..=0xd7a3 | 0xf900..=0xfaff
        | 0xfe30..=0xfe4f | 0xff00..=0xff60 | 0xffe0..=0xffe6 | 0x20000..=0x3fffd);
    if wide {
        1.0
    } else if c.is_ascii_uppercase() || matches!(c, 'm' | 'w' | '%' | '@' | '—' | '…') {
        0.8
    } else if matches!(
        c,
        'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '|' | '\'' | ' '
    ) {
        0.35
    } else {
        0.62
    }
}

/// `text` cut into lines no wider than `max` pixels (at spaces where it can, anywhere in a run
/// of CJK or a word too long for a line).
pub fn wrap(text: &str, size: f64, max: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_inclusive(' ') {
        if text_width(format!("{line}{word}").trim_end_matches(' '), size) <= max {
            line.push_str(word);
            continue;
        }
        if !line.is_empty() && text_width(word.trim_end(), size) <= max {
            lines.push(std::mem::take(&mut line).trim_end().to_string());
            line.push_str(word);
            continue;
        }
        for c in word.chars() {
            if !line.is_empty() && text_width(format!("{line}{c}").trim_end(), size) > max {
                lines.push(std::mem::take(&mut line).trim_end().to_string());
            }
            line.push(c);
        }
    }
    if !line.trim().is_empty() || lines.is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// `lines` kept to `max_lines`, the last one ending in an ellipsis when some were dropped.
pub fn clip_lines(mut lines: Vec<String>, max_lines: usize, size: f64, max: f64) -> Vec<String> {
    if lines.len() <= max_lines {
        return lines;
    }
    lines.truncate(max_lines);
    if let Some(last) = lines.last_mut() {
        while !last.is_empty() && text_width(&format!("{last}…"), size) > max {
            last.pop();
        }
        last.push('…');
    }
    lines
}

/// `text` within `max` pixels by leaving out its middle (`2020-ro…nd-11`): the start and the
/// end, where names like round ids differ, stay.
pub fn shorten_middle(text: &str, size: f64, max: f64) -> String {
    if text_width(text, size) <= max {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let (mut head, mut tail) = (chars.len().div_ceil(2), chars.len() / 2);
    loop {
        let s: String = chars[..head]
            .iter()
            .chain(std::iter::once(&'…'))
            .chain(&chars[chars.len() - tail..])
            .collect();
        if text_width(&s, size) <= max || head + tail == 0 {
            return s;
        }
        if head >= tail && head > 0 {
            head -= 1;
        } else {
            tail -= 1;
        }
    }
}

impl Canvas {
    pub fn new(width: f64, height: f64) -> Canvas {
        Canvas {
            name: String::new(),
            width,
            height,
            shapes: Vec::new(),
        }
    }

    pub fn line(&mut self, pts: Vec<(f64, f64)>, stroke: Stroke) {
        if pts.len() >= 2 {
            self.shapes.push(Shape::Line(pts, stroke));
        }
    }

    pub fn rect(
        &mut self,
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        fill: Option<Rgb>,
        stroke: Option<Stroke>,
    ) {
        self.shapes.push(Shape::Rect {
            x,
            y,
            w,
            h,
            fill,
            stroke,
        });
    }

    pub fn dot(&mut self, x: f64, y: f64, r: f64, fill: Rgb) {
        self.shapes.push(Shape::Circle {
            x,
            y,
            r,
            fill: Some(fill),
            stroke: Some(Stroke::solid(Rgb(0xff, 0xff, 0xff), 1.0)),
        });
    }

    pub fn ring(&mut self, x: f64, y: f64, r: f64, colour: Rgb) {
        self.shapes.push(Shape::Circle {
            x,
            y,
            r,
            fill: None,
            stroke: Some(Stroke::solid(colour, 1.5)),
        });
    }

    /// An × mark (a declared current level).
    pub fn cross(&mut self, x: f64, y: f64, r: f64, colour: Rgb) {
        let s = Stroke::solid(colour, 2.0);
        self.line(vec![(x - r, y - r), (x + r, y + r)], s);
        self.line(vec![(x - r, y + r), (x + r, y - r)], s);
    }

    /// A triangle pointing up (an own target).
    pub fn triangle(&mut self, x: f64, y: f64, r: f64, colour: Rgb) {
        self.shapes.push(Shape::Polygon(
            vec![(x, y - r), (x + r, y + r * 0.8), (x - r, y + r * 0.8)],
            colour,
        ));
    }

    /// A diamond (a marked point, such as the peak).
    pub fn diamond(&mut self, x: f64, y: f64, r: f64, colour: Rgb) {
        self.shapes.push(Shape::Polygon(
            vec![(x, y - r), (x + r, y), (x, y + r), (x - r, y)],
            colour,
        ));
    }

    /// A text in the chart's ink.
    pub fn text(&mut self, x: f64, y: f64, text: &str, size: f64, anchor: Anchor) {
        self.label(Label {
            x,
            y,
            text: text.to_string(),
            size,
            anchor,
            colour: INK,
            bold: false,
            vertical: false,
            title: None,
        });
    }

    pub fn label(&mut self, label: Label) {
        self.shapes.push(Shape::Text(label));
    }

    /// A text that may need several lines within `max` pixels, at most `max_lines` of them
    /// (shortened past that); when it is cut, each line carries the full text as its title.
    /// Returns the number of lines.
    #[allow(clippy::too_many_arguments)]
    pub fn text_block(
        &mut self,
        x: f64,
        y: f64,
        text: &str,
        size: f64,
        anchor: Anchor,
        max: f64,
        max_lines: usize,
        bold: bool,
    ) -> usize {
        let lines = clip_lines(wrap(text, size, max), max_lines, size, max);
        let cut = lines.len() > 1 || lines.first().is_some_and(|l| l != text);
        let n = lines.len();
        let lead = size * 1.25;
        for (i, l) in lines.into_iter().enumerate() {
            self.label(Label {
                x,
                y: y + (i as f64 - (n as f64 - 1.0) / 2.0) * lead,
                text: l,
                size,
                anchor,
                colour: INK,
                bold,
                vertical: false,
                title: cut.then(|| text.to_string()),
            });
        }
        n
    }

    /// The SVG document.
    pub fn svg(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"{FONT_FAMILY}\" role=\"img\" aria-label=\"{name}\">",
            w = num(self.width),
            h = num(self.height),
            name = crate::escape::html(&self.name),
        );
        if !self.name.is_empty() {
            let _ = writeln!(s, "<title>{}</title>", crate::escape::html(&self.name));
        }
        let _ = writeln!(
            s,
            "<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
            num(self.width),
            num(self.height)
        );
        for shape in &self.shapes {
            svg_shape(&mut s, shape);
        }
        s.push_str("</svg>\n");
        s
    }

    /// Writes the chart as a PNG (text in the embedded DejaVu Sans; glyphs it lacks are lost).
    pub fn png(&self, path: &Path) -> Result<()> {
        crate::chart::register_font();
        let size = (self.width.ceil() as u32, self.height.ceil() as u32);
        let root = BitMapBackend::new(path, size).into_drawing_area();
        let err = |e| anyhow!("drawing {}: {e:?}", path.display());
        root.fill(&WHITE).map_err(err)?;
        for shape in &self.shapes {
            png_shape(&root, shape).map_err(err)?;
        }
        root.present().map_err(err)?;
        Ok(())
    }
}

/// The ink of text and axes.
pub const INK: Rgb = Rgb(0x22, 0x22, 0x22);

/// A coordinate with one decimal, the same on every platform.
fn num(v: f64) -> String {
    let v = if v.is_finite() { v } else { 0.0 };
    let r = (v * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

fn stroke_attrs(s: &Stroke) -> String {
    let mut a = format!(
        " stroke=\"{}\" stroke-width=\"{}\"",
        s.colour.hex(),
        num(s.width)
    );
    if let Some((d, g)) = s.dash {
        let _ = write!(a, " stroke-dasharray=\"{} {}\"", num(d), num(g));
    }
    a
}

fn svg_shape(s: &mut String, shape: &Shape) {
    match shape {
        Shape::Line(pts, st) => {
            let p: Vec<String> = pts
                .iter()
                .map(|(x, y)| format!("{},{}", num(*x), num(*y)))
                .collect();
            let _ = writeln!(
                s,
                "<polyline points=\"{}\" fill=\"none\"{} stroke-linejoin=\"round\"/>",
                p.join(" "),
                stroke_attrs(st)
            );
        }
        Shape::Rect {
            x,
            y,
            w,
            h,
            fill,
            stroke,
        } => {
            let _ = writeln!(
                s,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"{}/>",
                num(*x),
                num(*y),
                num(*w),
                num(*h),
                fill.map_or("none".into(), Rgb::hex),
                stroke.as_ref().map(stroke_attrs).unwrap_or_default()
            );
        }
        Shape::Circle {
            x,
            y,
            r,
            fill,
            stroke,
        } => {
            let _ = writeln!(
                s,
                "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\"{}/>",
                num(*x),
                num(*y),
                num(*r),
                fill.map_or("none".into(), Rgb::hex),
                stroke.as_ref().map(stroke_attrs).unwrap_or_default()
            );
        }
        Shape::Polygon(pts, fill) => {
            let p: Vec<String> = pts
                .iter()
                .map(|(x, y)| format!("{},{}", num(*x), num(*y)))
                .collect();
            let _ = writeln!(
                s,
                "<polygon points=\"{}\" fill=\"{}\"/>",
                p.join(" "),
                fill.hex()
            );
        }
        Shape::Text(l) => {
            let anchor = match l.anchor {
                Anchor::Start => "start",
                Anchor::Middle => "middle",
                Anchor::End => "end",
            };
            let _ = write!(
                s,
                "<text x=\"{x}\" y=\"{y}\" dy=\"0.35em\" font-size=\"{}\" text-anchor=\"{anchor}\" fill=\"{}\"",
                num(l.size),
                l.colour.hex(),
                x = num(l.x),
                y = num(l.y),
            );
            if l.bold {
                s.push_str(" font-weight=\"bold\"");
            }
            if l.vertical {
                let _ = write!(s, " transform=\"rotate(-90 {} {})\"", num(l.x), num(l.y));
            }
            s.push('>');
            if let Some(t) = &l.title {
                let _ = write!(s, "<title>{}</title>", crate::escape::html(t));
            }
            let _ = writeln!(s, "{}</text>", crate::escape::html(&l.text));
        }
    }
}

type Area<'a> = DrawingArea<BitMapBackend<'a>, plotters::coord::Shift>;

fn px(p: (f64, f64)) -> (i32, i32) {
    (p.0.round() as i32, p.1.round() as i32)
}

fn png_shape(
    root: &Area<'_>,
    shape: &Shape,
) -> Result<(), DrawingAreaErrorKind<<BitMapBackend<'static> as DrawingBackend>::ErrorType>> {
    match shape {
        Shape::Line(pts, st) => {
            let style = st
                .colour
                .plotters()
                .stroke_width(st.width.round().max(1.0) as u32);
            for seg in dashes(pts, st.dash) {
                root.draw(&PathElement::new(
                    seg.into_iter().map(px).collect::<Vec<_>>(),
                    style,
                ))?;
            }
        }
        Shape::Rect {
            x,
            y,
            w,
            h,
            fill,
            stroke,
        } => {
            let corners = [px((*x, *y)), px((x + w, y + h))];
            if let Some(f) = fill {
                root.draw(&Rectangle::new(corners, f.plotters().filled()))?;
            }
            if let Some(st) = stroke {
                let style = st
                    .colour
                    .plotters()
                    .stroke_width(st.width.round().max(1.0) as u32);
                root.draw(&Rectangle::new(corners, style))?;
            }
        }
        Shape::Circle {
            x,
            y,
            r,
            fill,
            stroke,
        } => {
            let r = r.round().max(1.0) as i32;
            if let Some(f) = fill {
                root.draw(&Circle::new(px((*x, *y)), r, f.plotters().filled()))?;
            } else if let Some(st) = stroke {
                let style = st
                    .colour
                    .plotters()
                    .stroke_width(st.width.round().max(1.0) as u32);
                root.draw(&Circle::new(px((*x, *y)), r, style))?;
            }
        }
        Shape::Polygon(pts, fill) => {
            root.draw(&Polygon::new(
                pts.iter().copied().map(px).collect::<Vec<_>>(),
                fill.plotters().filled(),
            ))?;
        }
        Shape::Text(l) => {
            let h = match l.anchor {
                Anchor::Start => HPos::Left,
                Anchor::Middle => HPos::Center,
                Anchor::End => HPos::Right,
            };
            let mut style = ("sans-serif", l.size)
                .into_font()
                .color(&l.colour.plotters())
                .pos(Pos::new(h, VPos::Center));
            if l.vertical {
                style = style.transform(FontTransform::Rotate270);
            }
            root.draw(&Text::new(
                crate::escape::chart(&l.text),
                px((l.x, l.y)),
                style,
            ))?;
        }
    }
    Ok(())
}

/// A polyline cut into its dashes (the whole line when not dashed).
fn dashes(pts: &[(f64, f64)], dash: Option<(f64, f64)>) -> Vec<Vec<(f64, f64)>> {
    let Some((on, off)) = dash else {
        return vec![pts.to_vec()];
    };
    let period = on + off;
    let mut out = Vec::new();
    let mut cur: Vec<(f64, f64)> = Vec::new();
    let mut phase = 0.0f64;
    for w in pts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        let mut t = 0.0;
        while t < len {
            let in_dash = phase < on;
            let left = if in_dash { on - phase } else { period - phase };
            let step = left.min(len - t);
            let p0 = (a.0 + (b.0 - a.0) * t / len, a.1 + (b.1 - a.1) * t / len);
            let t1 = t + step;
            let p1 = (a.0 + (b.0 - a.0) * t1 / len, a.1 + (b.1 - a.1) * t1 / len);
            if in_dash {
                if cur.is_empty() {
                    cur.push(p0);
                }
                cur.push(p1);
            } else if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            phase = (phase + step) % period;
            t = t1;
        }
    }
    if cur.len() >= 2 {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_long_cjk_and_words_within_the_width() {
        let name = "甲".repeat(60);
        let lines = wrap(&name, 12.0, 240.0);
        assert_eq!(lines.concat(), name);
        assert!(lines.iter().all(|l| text_width(l, 12.0) <= 240.0));
        assert_eq!(wrap("a b", 12.0, 1000.0), vec!["a b"]);
        let short = shorten_middle("round-with-a-long-name-11", 10.0, 60.0);
        assert!(short.starts_with('r') && short.ends_with("e-11"), "{short}");
        assert!(text_width(&short, 10.0) <= 60.0);
        assert_eq!(shorten_middle("r1", 10.0, 60.0), "r1");
        let cut = clip_lines(lines, 2, 12.0, 240.0);
        assert_eq!(cut.len(), 2);
        assert!(cut[1].ends_with('…'));
    }

    #[test]
    fn dashes_cover_only_the_dash_lengths() {
        let d = dashes(&[(0.0, 0.0), (20.0, 0.0)], Some((6.0, 4.0)));
        assert_eq!(d.len(), 2);
        assert_eq!(d[0], vec![(0.0, 0.0), (6.0, 0.0)]);
    }
}
