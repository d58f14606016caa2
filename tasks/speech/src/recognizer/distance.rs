//! Local distances between an utterance's frames and every template frame: Euclidean, by
//! plain loops or as one GEMM on a device (‖a−b‖² = ‖a‖² + ‖b‖² − 2a·b).

use super::features::{DIM, Features};
use jiebang_accel::{AccelError, Device};

/// Every template's frames stacked, with where each template starts.
#[derive(Debug, Clone)]
pub struct TemplateBank {
    /// Stacked frames, `columns × DIM`.
    frames: Vec<f32>,
    /// The same transposed, `DIM × columns` (the GEMM's right operand).
    transposed: Vec<f32>,
    /// Squared norm of each stacked frame.
    norms: Vec<f32>,
    /// First stacked frame of each template.
    pub offsets: Vec<usize>,
    /// Frames of each template.
    pub lengths: Vec<usize>,
}

impl TemplateBank {
    /// The bank of `templates` (in word order).
    pub fn new(templates: &[Features]) -> TemplateBank {
        let mut frames = Vec::new();
        let (mut offsets, mut lengths) = (Vec::new(), Vec::new());
        for t in templates {
            offsets.push(frames.len() / DIM);
            lengths.push(t.frames());
            frames.extend_from_slice(&t.data);
        }
        let columns = frames.len() / DIM;
        let mut transposed = vec![0.0; frames.len()];
        for c in 0..columns {
            for k in 0..DIM {
                transposed[k * columns + c] = frames[c * DIM + k];
            }
        }
        let norms = frames.chunks(DIM).map(squared_norm).collect();
        TemplateBank {
            frames,
            transposed,
            norms,
            offsets,
            lengths,
        }
    }

    /// Number of stacked template frames.
    pub fn columns(&self) -> usize {
        self.norms.len()
    }
}

/// A `rows × columns` matrix of local distances (utterance frames × template frames).
#[derive(Debug, Clone, PartialEq)]
pub struct Distances {
    /// Utterance frames.
    pub rows: usize,
    /// Template frames.
    pub columns: usize,
    /// Row-major values.
    pub data: Vec<f32>,
}

impl Distances {
    /// Row `t` (utterance frame `t` against every template frame).
    pub fn row(&self, t: usize) -> &[f32] {
        &self.data[t * self.columns..(t + 1) * self.columns]
    }
}

fn squared_norm(v: &[f32]) -> f32 {
    v.iter().map(|x| x * x).sum()
}

/// Distances by direct loops on the host.
pub fn distances_host(input: &Features, bank: &TemplateBank) -> Distances {
    let (rows, columns) = (input.frames(), bank.columns());
    let mut data = Vec::with_capacity(rows * columns);
    for t in 0..rows {
        let a = input.frame(t);
        for b in bank.frames.chunks(DIM) {
            let d: f32 = a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum();
            data.push(d.sqrt());
        }
    }
    Distances {
        rows,
        columns,
        data,
    }
}

/// Distances through one `frames × DIM × columns` GEMM on `device`.
pub fn distances_gemm(
    device: &Device,
    input: &Features,
    bank: &TemplateBank,
) -> Result<Distances, AccelError> {
    let (rows, columns) = (input.frames(), bank.columns());
    let mut data = device.gemm_f32(rows, columns, DIM, &input.data, &bank.transposed)?;
    for t in 0..rows {
        let a = squared_norm(input.frame(t));
        for (d, b) in data[t * columns..(t + 1) * columns]
            .iter_mut()
            .zip(&bank.norms)
        {
            *d = (a + b - 2.0 * *d).max(0.0).sqrt();
        }
    }
    Ok(Distances {
        rows,
        columns,
        data,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn features(frames: usize, seed: u32) -> Features {
        let mut state = seed;
        let data = (0..frames * DIM)
            .map(|_| {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (state >> 8) as f32 / (1u32 << 24) as f32 * 2.0 - 1.0
            })
            .collect();
        Features { data }
    }

    #[test]
    fn gemm_and_loops_agree() {
        let bank = TemplateBank::new(&[features(7, 1), features(4, 2)]);
        assert_eq!(
            (bank.offsets.clone(), bank.lengths.clone()),
            (vec![0, 7], vec![7, 4])
        );
        let input = features(5, 3);
        let host = distances_host(&input, &bank);
        let gemm = distances_gemm(&Device::cpu(), &input, &bank).expect("CPU GEMM runs");
        assert_eq!((host.rows, host.columns), (5, 11));
        for (h, g) in host.data.iter().zip(&gemm.data) {
            assert!((h - g).abs() < 1e-3, "{h} vs {g}");
        }
        let same = distances_host(&features(7, 1), &bank);
        assert!(same.row(3)[3] < 1e-6 && same.row(3)[4] > 0.1);
    }
}
