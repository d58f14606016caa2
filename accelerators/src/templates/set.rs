//! [`TemplateSet`]: n templates of one dimension, row-major, each L2-normalised on insert
//! (so a dot product is the cosine similarity), remembering the rows that failed.

use super::check::{TemplateError, norm};

/// n × dim templates, row-major and unit-length; a failed row is all zeros and never matches.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateSet {
    dim: usize,
    data: Vec<f32>,
    failed: Vec<bool>,
    failed_count: usize,
}

impl TemplateSet {
    /// An empty set for templates of `dim` values.
    pub fn new(dim: usize) -> Result<Self, TemplateError> {
        Self::with_capacity(dim, 0)
    }

    /// An empty set with room for `rows` templates (no reallocation while filling it).
    pub fn with_capacity(dim: usize, rows: usize) -> Result<Self, TemplateError> {
        if dim == 0 || dim > super::check::MAX_DIM {
            return Err(TemplateError::BadDimension(dim));
        }
        Ok(TemplateSet {
            dim,
            data: Vec::with_capacity(rows.saturating_mul(dim)),
            failed: Vec::with_capacity(rows),
            failed_count: 0,
        })
    }

    /// Checks and appends a template, normalised, and returns its row. A refused template
    /// still takes a row, marked failed (so rows stay aligned with the caller's list: a
    /// gallery row that failed is a failure to enrol), and its error is returned.
    pub fn push(&mut self, template: &[f32]) -> Result<usize, TemplateError> {
        match norm(template, self.dim) {
            Ok(n) => {
                let row = self.failed.len();
                self.data
                    .extend(template.iter().map(|&v| (f64::from(v) / n) as f32));
                self.failed.push(false);
                Ok(row)
            }
            Err(e) => {
                self.push_failed();
                Err(e)
            }
        }
    }

    /// Appends a failed row (no template at all, e.g. the system gave no answer).
    pub fn push_failed(&mut self) -> usize {
        let row = self.failed.len();
        self.data.resize(self.data.len() + self.dim, 0.0);
        self.failed.push(true);
        self.failed_count += 1;
        row
    }

    /// The template dimension.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Rows, failed ones included.
    pub fn len(&self) -> usize {
        self.failed.len()
    }

    /// Whether the set has no rows.
    pub fn is_empty(&self) -> bool {
        self.failed.is_empty()
    }

    /// Whether row `i` failed (out-of-range rows count as failed).
    pub fn is_failed(&self, i: usize) -> bool {
        self.failed.get(i).copied().unwrap_or(true)
    }

    /// How many rows failed.
    pub fn failed_count(&self) -> usize {
        self.failed_count
    }

    /// The normalised template of row `i`, or `None` when it failed or does not exist.
    pub fn row(&self, i: usize) -> Option<&[f32]> {
        if self.is_failed(i) {
            return None;
        }
        Some(&self.data[i * self.dim..(i + 1) * self.dim])
    }

    /// All rows, row-major (failed rows are zeros).
    pub fn as_slice(&self) -> &[f32] {
        &self.data
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_unit_length_and_failures_keep_their_place() {
        let mut s = TemplateSet::new(2).unwrap();
        assert_eq!(s.push(&[3.0, 4.0]), Ok(0));
        assert!(matches!(
            s.push(&[1.0]),
            Err(TemplateError::WrongDimension { .. })
        ));
        assert_eq!(s.push(&[0.0, -2.0]), Ok(2));
        assert_eq!(s.push_failed(), 3);
        assert_eq!(s.len(), 4);
        assert_eq!(s.failed_count(), 2);
        assert_eq!(s.row(0), Some(&[0.6f32, 0.8][..]));
        assert_eq!(s.row(1), None);
        assert_eq!(s.row(2), Some(&[0.0f32, -1.0][..]));
        assert!(s.is_failed(3) && s.is_failed(4) && !s.is_failed(2));
        assert_eq!(s.as_slice().len(), 8);
        assert_eq!(TemplateSet::new(0), Err(TemplateError::BadDimension(0)));
    }
}
