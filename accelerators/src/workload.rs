//! A [`Workload`] is one kernel plus its concrete inputs; an [`Output`] is its result.
//! Both are backend-neutral, so the same workload runs on any device and on the
//! reference, and outputs are compared and hashed the same way.

use half::f16;

use crate::compare::{self, Agreement, Tolerance};
use crate::error::Result;
use crate::kernel::{Conv2dShape, GemmShape, KernelKind, RnnParams, RnnShape, gates};
use crate::seeded::{f16_values, f32_values, i8_values, sub_seed};

/// One kernel invocation with its inputs, owned.
#[derive(Debug, Clone, PartialEq)]
pub enum Workload {
    /// f32 GEMM, A `[m×k]`, B `[k×n]`, row-major.
    GemmF32 {
        /// Dimensions.
        shape: GemmShape,
        /// Left operand, row-major.
        a: Vec<f32>,
        /// Right operand, row-major.
        b: Vec<f32>,
    },
    /// f16 GEMM with f32 accumulation.
    GemmF16 {
        /// Dimensions.
        shape: GemmShape,
        /// Left operand, row-major.
        a: Vec<f16>,
        /// Right operand, row-major.
        b: Vec<f16>,
    },
    /// int8 GEMM with i32 accumulation.
    GemmI8 {
        /// Dimensions.
        shape: GemmShape,
        /// Left operand, row-major.
        a: Vec<i8>,
        /// Right operand, row-major.
        b: Vec<i8>,
    },
    /// f32 convolution, NCHW input, OIHW weights.
    Conv2dF32 {
        /// Dimensions, stride and padding.
        shape: Conv2dShape,
        /// Input `[N, C, H, W]`.
        input: Vec<f32>,
        /// Weights `[O, C, KH, KW]`.
        weights: Vec<f32>,
    },
    /// LSTM layer over a sequence.
    LstmF32 {
        /// Dimensions.
        shape: RnnShape,
        /// Input `[T, B, I]`.
        x: Vec<f32>,
        /// Weights with 4 gates.
        params: RnnParams,
    },
    /// Plain tanh RNN layer over a sequence.
    RnnF32 {
        /// Dimensions.
        shape: RnnShape,
        /// Input `[T, B, I]`.
        x: Vec<f32>,
        /// Weights with 1 gate.
        params: RnnParams,
    },
}

impl Workload {
    /// The kernel this workload runs.
    pub fn kernel(&self) -> KernelKind {
        match self {
            Workload::GemmF32 { .. } => KernelKind::GemmF32,
            Workload::GemmF16 { .. } => KernelKind::GemmF16,
            Workload::GemmI8 { .. } => KernelKind::GemmI8,
            Workload::Conv2dF32 { .. } => KernelKind::Conv2dF32,
            Workload::LstmF32 { .. } => KernelKind::LstmF32,
            Workload::RnnF32 { .. } => KernelKind::RnnF32,
        }
    }

    /// Checks that the input lengths match the shape.
    pub fn check(&self) -> Result<()> {
        let k = self.kernel();
        match self {
            Workload::GemmF32 { shape, a, b } => shape.check(k, a.len(), b.len()),
            Workload::GemmF16 { shape, a, b } => shape.check(k, a.len(), b.len()),
            Workload::GemmI8 { shape, a, b } => shape.check(k, a.len(), b.len()),
            Workload::Conv2dF32 {
                shape,
                input,
                weights,
            } => shape.check(input.len(), weights.len()),
            Workload::LstmF32 { shape, x, params } | Workload::RnnF32 { shape, x, params } => {
                shape.check(k, x.len(), params)
            }
        }
    }

    /// Arithmetic operations per run (multiply and add counted separately), the
    /// numerator of FLOP/s or OP/s.
    pub fn ops(&self) -> u64 {
        match self {
            Workload::GemmF32 { shape, .. }
            | Workload::GemmF16 { shape, .. }
            | Workload::GemmI8 { shape, .. } => shape.ops(),
            Workload::Conv2dF32 { shape, .. } => shape.ops(),
            Workload::LstmF32 { shape, .. } | Workload::RnnF32 { shape, .. } => {
                shape.ops(self.kernel())
            }
        }
    }

    /// A short description of the shape, e.g. `gemm_f32 m=64 n=64 k=64`.
    pub fn describe(&self) -> String {
        let k = self.kernel();
        match self {
            Workload::GemmF32 { shape, .. }
            | Workload::GemmF16 { shape, .. }
            | Workload::GemmI8 { shape, .. } => {
                format!("{k} m={} n={} k={}", shape.m, shape.n, shape.k)
            }
            Workload::Conv2dF32 { shape: s, .. } => format!(
                "{k} n={} c={} h={} w={} o={} kh={} kw={} stride={} pad={}",
                s.batch,
                s.in_channels,
                s.height,
                s.width,
                s.out_channels,
                s.kernel_h,
                s.kernel_w,
                s.stride,
                s.padding
            ),
            Workload::LstmF32 { shape: s, .. } | Workload::RnnF32 { shape: s, .. } => format!(
                "{k} t={} b={} i={} h={}",
                s.seq_len, s.batch, s.input_size, s.hidden_size
            ),
        }
    }

    /// Seeded f32 GEMM inputs in `[-1, 1)`.
    pub fn gemm_f32(shape: GemmShape, seed: u64) -> Self {
        Workload::GemmF32 {
            shape,
            a: f32_values(sub_seed(seed, 0), shape.m * shape.k, 1.0),
            b: f32_values(sub_seed(seed, 1), shape.k * shape.n, 1.0),
        }
    }

    /// Seeded f16 GEMM inputs in `[-1, 1)`.
    pub fn gemm_f16(shape: GemmShape, seed: u64) -> Self {
        Workload::GemmF16 {
            shape,
            a: f16_values(sub_seed(seed, 0), shape.m * shape.k, 1.0),
            b: f16_values(sub_seed(seed, 1), shape.k * shape.n, 1.0),
        }
    }

    /// Seeded int8 GEMM inputs over the full range `[-128, 127]`.
    pub fn gemm_i8(shape: GemmShape, seed: u64) -> Self {
        Workload::GemmI8 {
            shape,
            a: i8_values(sub_seed(seed, 0), shape.m * shape.k),
            b: i8_values(sub_seed(seed, 1), shape.k * shape.n),
        }
    }

    /// Seeded convolution: input in `[-1, 1)`, weights scaled by `1/sqrt(C·KH·KW)`.
    pub fn conv2d_f32(shape: Conv2dShape, seed: u64) -> Self {
        let fan_in = (shape.in_channels * shape.kernel_h * shape.kernel_w).max(1) as f32;
        Workload::Conv2dF32 {
            shape,
            input: f32_values(
                sub_seed(seed, 0),
                shape.batch * shape.in_channels * shape.height * shape.width,
                1.0,
            ),
            weights: f32_values(
                sub_seed(seed, 1),
                shape.out_channels * shape.in_channels * shape.kernel_h * shape.kernel_w,
                1.0 / fan_in.sqrt(),
            ),
        }
    }

    /// Seeded LSTM: input in `[-1, 1)`, weights and bias in `[-1/sqrt(H), 1/sqrt(H))`
    /// (PyTorch's initialisation range).
    pub fn lstm_f32(shape: RnnShape, seed: u64) -> Self {
        let (x, params) = seeded_rnn(KernelKind::LstmF32, shape, seed);
        Workload::LstmF32 { shape, x, params }
    }

    /// Seeded tanh RNN, same ranges as [`Workload::lstm_f32`].
    pub fn rnn_f32(shape: RnnShape, seed: u64) -> Self {
        let (x, params) = seeded_rnn(KernelKind::RnnF32, shape, seed);
        Workload::RnnF32 { shape, x, params }
    }

    /// A seeded workload of a standard shape family, scaled by `size`:
    /// GEMMs are `size³`; conv2d is N=1, C=O=16, H=W=`size`, 3×3, stride 1, padding 1;
    /// LSTM/RNN are T=8, B=4, I=H=`size`.
    pub fn standard(kernel: KernelKind, size: usize, seed: u64) -> Self {
        let gemm = GemmShape::new(size, size, size);
        let rnn = RnnShape {
            seq_len: 8,
            batch: 4,
            input_size: size,
            hidden_size: size,
        };
        match kernel {
            KernelKind::GemmF32 => Workload::gemm_f32(gemm, seed),
            KernelKind::GemmF16 => Workload::gemm_f16(gemm, seed),
            KernelKind::GemmI8 => Workload::gemm_i8(gemm, seed),
            KernelKind::Conv2dF32 => Workload::conv2d_f32(
                Conv2dShape {
                    batch: 1,
                    in_channels: 16,
                    height: size,
                    width: size,
                    out_channels: 16,
                    kernel_h: 3,
                    kernel_w: 3,
                    stride: 1,
                    padding: 1,
                },
                seed,
            ),
            KernelKind::LstmF32 => Workload::lstm_f32(rnn, seed),
            KernelKind::RnnF32 => Workload::rnn_f32(rnn, seed),
        }
    }
}

fn seeded_rnn(kernel: KernelKind, s: RnnShape, seed: u64) -> (Vec<f32>, RnnParams) {
    let rows = gates(kernel) * s.hidden_size;
    let scale = 1.0 / (s.hidden_size.max(1) as f32).sqrt();
    let x = f32_values(sub_seed(seed, 0), s.seq_len * s.batch * s.input_size, 1.0);
    let params = RnnParams {
        w_ih: f32_values(sub_seed(seed, 1), rows * s.input_size, scale),
        w_hh: f32_values(sub_seed(seed, 2), rows * s.hidden_size, scale),
        bias: f32_values(sub_seed(seed, 3), rows, scale),
    };
    (x, params)
}

/// A kernel's result, read back to the host.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// f32 results (GEMM f32, conv2d, LSTM/RNN hidden states `[T, B, H]`).
    F32(Vec<f32>),
    /// f16 results (GEMM f16).
    F16(Vec<f16>),
    /// i32 results (GEMM int8).
    I32(Vec<i32>),
    /// f64 results (the reference for float kernels).
    F64(Vec<f64>),
}

impl Output {
    /// Number of elements.
    pub fn len(&self) -> usize {
        match self {
            Output::F32(v) => v.len(),
            Output::F16(v) => v.len(),
            Output::I32(v) => v.len(),
            Output::F64(v) => v.len(),
        }
    }

    /// Whether there are no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// sha256 (hex) of the little-endian bytes of the elements; see [`compare::digest`].
    pub fn digest(&self) -> String {
        match self {
            Output::F32(v) => compare::digest(v),
            Output::F16(v) => compare::digest(v),
            Output::I32(v) => compare::digest(v),
            Output::F64(v) => compare::digest(v),
        }
    }

    /// Every element widened to f64 (integers exactly).
    pub fn to_f64(&self) -> Vec<f64> {
        match self {
            Output::F32(v) => v.iter().map(|&x| f64::from(x)).collect(),
            Output::F16(v) => v.iter().map(|x| f64::from(x.to_f32())).collect(),
            Output::I32(v) => v.iter().map(|&x| f64::from(x)).collect(),
            Output::F64(v) => v.clone(),
        }
    }

    /// Compares this output with a reference: integer outputs must be equal element
    /// for element, float outputs within `tolerance` (see [`compare::compare_close`]).
    pub fn compare(
        &self,
        reference: &Output,
        tolerance: Tolerance,
    ) -> Result<Agreement, compare::Mismatch> {
        match (self, reference) {
            (Output::I32(got), Output::I32(want)) => compare::compare_exact(got, want),
            (Output::I32(_), _) | (_, Output::I32(_)) => Err(compare::Mismatch::Kind {
                got: self.type_name(),
                want: reference.type_name(),
            }),
            _ => compare::compare_close(&self.to_f64(), &reference.to_f64(), tolerance),
        }
    }

    fn type_name(&self) -> &'static str {
        match self {
            Output::F32(_) => "f32",
            Output::F16(_) => "f16",
            Output::I32(_) => "i32",
            Output::F64(_) => "f64",
        }
    }
}
