//! A single-channel image slice in row-major order: the form generated phantoms, loaded DICOM
//! slices and the detector share. Values are rescaled intensities (Hounsfield units for CT).

/// A 2-D image, `rows × cols`, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    /// Number of rows (height, DICOM `Rows`).
    pub rows: usize,
    /// Number of columns (width, DICOM `Columns`).
    pub cols: usize,
    /// `rows * cols` values, row `y` at `y * cols ..`.
    pub data: Vec<f32>,
}

impl Image {
    /// An image filled with `value`.
    pub fn filled(rows: usize, cols: usize, value: f32) -> Image {
        Image {
            rows,
            cols,
            data: vec![value; rows * cols],
        }
    }

    /// The value at column `x`, row `y` (both must be in range).
    pub fn at(&self, x: usize, y: usize) -> f32 {
        self.data[y * self.cols + x]
    }

    /// Whether a point in pixel coordinates (`x` along columns, `y` along rows, pixel centres
    /// at integer coordinates) lies inside the image.
    pub fn contains_point(&self, x: f64, y: f64) -> bool {
        x >= -0.5 && y >= -0.5 && x < self.cols as f64 - 0.5 && y < self.rows as f64 - 0.5
    }
}
