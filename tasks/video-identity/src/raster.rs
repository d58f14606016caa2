//! An RGB raster with values in 0..=1 (what the generator draws and the built-in systems read),
//! its PNG encoding and a bounded PNG decoder that names the file at fault.

use image::{ImageFormat, RgbImage};
use jiebang_core::TaskError;
use std::io::Cursor;
use std::path::Path;

/// The largest width or height a decoded image may have.
pub const MAX_SIDE: u32 = 8192;

/// An RGB image, row-major, three values per pixel in 0..=1.
#[derive(Debug, Clone, PartialEq)]
pub struct Raster {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// `width * height * 3` values.
    pub data: Vec<f32>,
}

impl Raster {
    /// An image filled with one colour.
    pub fn filled(width: usize, height: usize, rgb: [f32; 3]) -> Raster {
        let mut data = Vec::with_capacity(width * height * 3);
        for _ in 0..width * height {
            data.extend_from_slice(&rgb);
        }
        Raster {
            width,
            height,
            data,
        }
    }

    /// The colour at column `x`, row `y` (both in range).
    pub fn at(&self, x: usize, y: usize) -> [f32; 3] {
        let i = (y * self.width + x) * 3;
        [self.data[i], self.data[i + 1], self.data[i + 2]]
    }

    /// Sets the colour at column `x`, row `y` (both in range).
    pub fn set(&mut self, x: usize, y: usize, rgb: [f32; 3]) {
        let i = (y * self.width + x) * 3;
        self.data[i..i + 3].copy_from_slice(&rgb);
    }

    /// Blends `rgb` over the pixel at `x`, `y` with weight `alpha` in 0..=1.
    pub fn blend(&mut self, x: usize, y: usize, rgb: [f32; 3], alpha: f32) {
        let i = (y * self.width + x) * 3;
        for (c, v) in rgb.iter().enumerate() {
            self.data[i + c] += alpha * (v - self.data[i + c]);
        }
    }

    /// Fills the ellipse centred at `(cx, cy)` with radii `(rx, ry)`, anti-aliased at the rim.
    pub fn fill_ellipse(&mut self, cx: f32, cy: f32, rx: f32, ry: f32, rgb: [f32; 3]) {
        self.fill_where(cx - rx, cy - ry, cx + rx, cy + ry, rgb, |x, y| {
            let (dx, dy) = ((x - cx) / rx.max(0.25), (y - cy) / ry.max(0.25));
            let r = (dx * dx + dy * dy).sqrt();
            // Coverage over about one pixel at the rim.
            ((1.0 - r) * rx.min(ry).max(0.5) + 0.5).clamp(0.0, 1.0)
        });
    }

    /// Fills the axis-aligned rectangle `[x0, x1) × [y0, y1)`.
    pub fn fill_rect(&mut self, x0: f32, y0: f32, x1: f32, y1: f32, rgb: [f32; 3]) {
        self.fill_where(x0, y0, x1, y1, rgb, |_, _| 1.0);
    }

    /// Blends `rgb` over the pixels of the box `[x0, x1] × [y0, y1]` with the coverage `cover`
    /// gives at each pixel centre.
    pub fn fill_where(
        &mut self,
        x0: f32,
        y0: f32,
        x1: f32,
        y1: f32,
        rgb: [f32; 3],
        cover: impl Fn(f32, f32) -> f32,
    ) {
        let clampx = |v: f32| (v.max(0.0) as usize).min(self.width);
        let clampy = |v: f32| (v.max(0.0) as usize).min(self.height);
        let (xa, xb) = (clampx(x0.floor()), clampx(x1.ceil() + 1.0));
        let (ya, yb) = (clampy(y0.floor()), clampy(y1.ceil() + 1.0));
        for y in ya..yb {
            for x in xa..xb {
                let a = cover(x as f32 + 0.5, y as f32 + 0.5);
                if a > 0.0 {
                    self.blend(x, y, rgb, a.min(1.0));
                }
            }
        }
    }

    /// Horizontal box blur of `length` pixels inside the box `[x0, x1) × [y0, y1)` (motion
    /// blur along x).
    pub fn motion_blur(&mut self, x0: usize, y0: usize, x1: usize, y1: usize, length: usize) {
        if length < 2 {
            return;
        }
        let (x1, y1) = (x1.min(self.width), y1.min(self.height));
        let half = length / 2;
        for y in y0..y1 {
            let row: Vec<[f32; 3]> = (0..self.width).map(|x| self.at(x, y)).collect();
            for x in x0..x1 {
                let (a, b) = (x.saturating_sub(half), (x + length - half).min(self.width));
                let mut sum = [0.0f32; 3];
                for p in &row[a..b] {
                    for c in 0..3 {
                        sum[c] += p[c];
                    }
                }
                let n = (b - a) as f32;
                self.set(x, y, [sum[0] / n, sum[1] / n, sum[2] / n]);
            }
        }
    }

    /// The 8-bit RGB PNG encoding (deterministic).
    pub fn to_png(&self) -> Vec<u8> {
        let bytes: Vec<u8> = self
            .data
            .iter()
            .map(|v| (v.clamp(0.0, 1.0) * 255.0).round() as u8)
            .collect();
        let mut out = Cursor::new(Vec::new());
        // An RGB buffer of the right length always encodes.
        if let Some(img) = RgbImage::from_raw(self.width as u32, self.height as u32, bytes) {
            let _ = img.write_to(&mut out, ImageFormat::Png);
        }
        out.into_inner()
    }

    /// Decodes a PNG (8- or 16-bit, RGB, RGBA, grey or palette) read from `path`; a corrupt
    /// or truncated file, another format or a side over [`MAX_SIDE`] is refused naming `path`.
    pub fn from_png(path: &Path, bytes: &[u8]) -> Result<Raster, TaskError> {
        let mut reader = image::io::Reader::new(Cursor::new(bytes));
        reader.set_format(ImageFormat::Png);
        let mut limits = image::io::Limits::default();
        limits.max_image_width = Some(MAX_SIDE);
        limits.max_image_height = Some(MAX_SIDE);
        limits.max_alloc = Some(256 << 20);
        reader.limits(limits);
        let img = reader.decode().map_err(|e| {
            TaskError::invalid(
                path,
                format!("not a readable PNG image ({e}); expected an 8-bit RGB or grey PNG"),
            )
        })?;
        let rgb = img.to_rgb8();
        let (w, h) = rgb.dimensions();
        if w == 0 || h == 0 {
            return Err(TaskError::invalid(
                path,
                "an empty image; expected at least 1×1 pixels",
            ));
        }
        Ok(Raster {
            width: w as usize,
            height: h as usize,
            data: rgb
                .into_raw()
                .into_iter()
                .map(|v| f32::from(v) / 255.0)
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_round_trips_and_bad_bytes_name_the_file() {
        let mut r = Raster::filled(8, 6, [0.2, 0.4, 0.6]);
        r.fill_ellipse(4.0, 3.0, 2.0, 2.0, [1.0, 0.0, 0.0]);
        let png = r.to_png();
        let back = Raster::from_png(Path::new("a.png"), &png).unwrap();
        assert_eq!((back.width, back.height), (8, 6));
        assert!((back.at(4, 3)[0] - 1.0).abs() < 0.01);
        let e = Raster::from_png(Path::new("cut.png"), &png[..png.len() / 2])
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("cut.png: not a readable PNG image"), "{e}");
    }
}
