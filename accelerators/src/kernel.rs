//! Kernel names and their problem shapes (GEMM, conv2d, recurrent layers), with the
//! input-length checks and operation counts shared by every backend and the reference.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{AccelError, Result};

/// The kernels this crate can run on every backend that supports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KernelKind {
    /// Row-major f32 matrix product `C[m×n] = A[m×k] · B[k×n]`.
    GemmF32,
    /// Row-major f16 matrix product with f32 accumulation, f16 result.
    GemmF16,
    /// Row-major int8 matrix product with i32 accumulation, i32 result.
    GemmI8,
    /// f32 2-D convolution, NCHW input, OIHW weights, no bias.
    Conv2dF32,
    /// f32 LSTM layer over a sequence (gate order i, f, g, o), zero initial state.
    LstmF32,
    /// f32 Elman RNN layer (tanh) over a sequence, zero initial state.
    RnnF32,
}

impl KernelKind {
    /// All kernels, in a fixed order.
    pub const ALL: [KernelKind; 6] = [
        KernelKind::GemmF32,
        KernelKind::GemmF16,
        KernelKind::GemmI8,
        KernelKind::Conv2dF32,
        KernelKind::LstmF32,
        KernelKind::RnnF32,
    ];

    /// The snake_case name used in suites and scorecards.
    pub fn as_str(self) -> &'static str {
        match self {
            KernelKind::GemmF32 => "gemm_f32",
            KernelKind::GemmF16 => "gemm_f16",
            KernelKind::GemmI8 => "gemm_i8",
            KernelKind::Conv2dF32 => "conv2d_f32",
            KernelKind::LstmF32 => "lstm_f32",
            KernelKind::RnnF32 => "rnn_f32",
        }
    }

    /// Whether results are integers and must match the reference bit for bit.
    pub fn is_exact(self) -> bool {
        matches!(self, KernelKind::GemmI8)
    }
}

impl fmt::Display for KernelKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for KernelKind {
    type Err = AccelError;

    fn from_str(s: &str) -> Result<Self> {
        KernelKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| AccelError::UnknownKernel(s.to_string()))
    }
}

fn shape_err(kernel: KernelKind, reason: String) -> AccelError {
    AccelError::InvalidShape { kernel, reason }
}

/// Multiplies dimensions, failing instead of overflowing.
pub(crate) fn checked_product(kernel: KernelKind, dims: &[usize]) -> Result<usize> {
    dims.iter().try_fold(1usize, |acc, &d| {
        acc.checked_mul(d)
            .ok_or_else(|| shape_err(kernel, format!("dimensions {dims:?} overflow usize")))
    })
}

pub(crate) fn expect_len(kernel: KernelKind, what: &str, got: usize, want: usize) -> Result<()> {
    if got == want {
        Ok(())
    } else {
        Err(shape_err(
            kernel,
            format!("{what} has {got} elements, expected {want}"),
        ))
    }
}

/// Dimensions of a row-major matrix product `C[m×n] = A[m×k] · B[k×n]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct GemmShape {
    /// Rows of A and C.
    pub m: usize,
    /// Columns of B and C.
    pub n: usize,
    /// Columns of A, rows of B (the reduction length).
    pub k: usize,
}

impl GemmShape {
    /// A shape from its three dimensions.
    pub fn new(m: usize, n: usize, k: usize) -> Self {
        GemmShape { m, n, k }
    }

    /// Checks that no dimension is zero and `a`, `b` have `m·k` and `k·n` elements.
    pub fn check(&self, kernel: KernelKind, a_len: usize, b_len: usize) -> Result<()> {
        if self.m == 0 || self.n == 0 || self.k == 0 {
            return Err(shape_err(kernel, format!("zero dimension in {self:?}")));
        }
        let _ = checked_product(kernel, &[self.m, self.n])?;
        expect_len(
            kernel,
            "A",
            a_len,
            checked_product(kernel, &[self.m, self.k])?,
        )?;
        expect_len(
            kernel,
            "B",
            b_len,
            checked_product(kernel, &[self.k, self.n])?,
        )
    }

    /// Elements of the result, `m·n`.
    pub fn output_len(&self) -> usize {
        self.m * self.n
    }

    /// Arithmetic operations per product: one multiply and one add per `m·n·k`.
    pub fn ops(&self) -> u64 {
        2 * self.m as u64 * self.n as u64 * self.k as u64
    }
}

/// Dimensions of a 2-D convolution over an NCHW input with OIHW weights.
///
/// The same `stride` and zero `padding` apply to both spatial axes; dilation is 1 and
/// there is one group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Conv2dShape {
    /// Batch size N.
    pub batch: usize,
    /// Input channels C.
    pub in_channels: usize,
    /// Input height H.
    pub height: usize,
    /// Input width W.
    pub width: usize,
    /// Output channels O.
    pub out_channels: usize,
    /// Kernel height KH.
    pub kernel_h: usize,
    /// Kernel width KW.
    pub kernel_w: usize,
    /// Step between output positions, both axes.
    pub stride: usize,
    /// Zero padding added on every side.
    pub padding: usize,
}

impl Conv2dShape {
    /// Output height `(H + 2p − KH) / stride + 1`, or `None` if the kernel does not fit.
    pub fn out_height(&self) -> Option<usize> {
        out_dim(self.height, self.kernel_h, self.stride, self.padding)
    }

    /// Output width `(W + 2p − KW) / stride + 1`, or `None` if the kernel does not fit.
    pub fn out_width(&self) -> Option<usize> {
        out_dim(self.width, self.kernel_w, self.stride, self.padding)
    }

    /// Checks the dimensions and that input/weights have `N·C·H·W` and `O·C·KH·KW` elements.
    pub fn check(&self, input_len: usize, weights_len: usize) -> Result<()> {
        let k = KernelKind::Conv2dF32;
        let dims = [
            self.batch,
            self.in_channels,
            self.height,
            self.width,
            self.out_channels,
            self.kernel_h,
            self.kernel_w,
            self.stride,
        ];
        if dims.contains(&0) {
            return Err(shape_err(
                k,
                format!("zero dimension or stride in {self:?}"),
            ));
        }
        if self.out_height().is_none() || self.out_width().is_none() {
            return Err(shape_err(
                k,
                format!("kernel larger than padded input in {self:?}"),
            ));
        }
        let input = checked_product(k, &[self.batch, self.in_channels, self.height, self.width])?;
        let weights = checked_product(
            k,
            &[
                self.out_channels,
                self.in_channels,
                self.kernel_h,
                self.kernel_w,
            ],
        )?;
        let _ = checked_product(
            k,
            &[
                self.output_len_unchecked(),
                self.in_channels,
                self.kernel_h,
                self.kernel_w,
            ],
        )?;
        expect_len(k, "input (NCHW)", input_len, input)?;
        expect_len(k, "weights (OIHW)", weights_len, weights)
    }

    fn output_len_unchecked(&self) -> usize {
        let oh = self.out_height().unwrap_or(0);
        let ow = self.out_width().unwrap_or(0);
        self.batch
            .saturating_mul(self.out_channels)
            .saturating_mul(oh)
            .saturating_mul(ow)
    }

    /// Elements of the NCHW output `N·O·OH·OW` (0 if the shape is invalid).
    pub fn output_len(&self) -> usize {
        self.output_len_unchecked()
    }

    /// Arithmetic operations: a multiply and an add per output element and kernel tap.
    pub fn ops(&self) -> u64 {
        2 * self.output_len() as u64
            * self.in_channels as u64
            * self.kernel_h as u64
            * self.kernel_w as u64
    }
}

fn out_dim(size: usize, kernel: usize, stride: usize, padding: usize) -> Option<usize> {
    let padded = size.checked_add(padding.checked_mul(2)?)?;
    if stride == 0 || kernel == 0 || kernel > padded {
        return None;
    }
    Some((padded - kernel) / stride + 1)
}

/// Dimensions of a recurrent layer run over a sequence, input laid out `[T, B, I]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RnnShape {
    /// Time steps T.
    pub seq_len: usize,
    /// Batch size B.
    pub batch: usize,
    /// Input features I.
    pub input_size: usize,
    /// Hidden units H.
    pub hidden_size: usize,
}

impl RnnShape {
    /// Checks dimensions and the lengths of the input and of the parameters for `gates`
    /// gates per unit (4 for LSTM, 1 for a plain RNN).
    pub fn check(&self, kernel: KernelKind, x_len: usize, params: &RnnParams) -> Result<()> {
        if self.seq_len == 0 || self.batch == 0 || self.input_size == 0 || self.hidden_size == 0 {
            return Err(shape_err(kernel, format!("zero dimension in {self:?}")));
        }
        let g = gates(kernel);
        let rows = checked_product(kernel, &[g, self.hidden_size])?;
        let x = checked_product(kernel, &[self.seq_len, self.batch, self.input_size])?;
        let _ = checked_product(kernel, &[self.seq_len, self.batch, self.hidden_size])?;
        expect_len(kernel, "x ([T, B, I])", x_len, x)?;
        expect_len(
            kernel,
            "w_ih",
            params.w_ih.len(),
            checked_product(kernel, &[rows, self.input_size])?,
        )?;
        expect_len(
            kernel,
            "w_hh",
            params.w_hh.len(),
            checked_product(kernel, &[rows, self.hidden_size])?,
        )?;
        expect_len(kernel, "bias", params.bias.len(), rows)
    }

    /// Elements of the output: every step's hidden state, `[T, B, H]`.
    pub fn output_len(&self) -> usize {
        self.seq_len * self.batch * self.hidden_size
    }

    /// Operations in the gate matrix products (element-wise activations not counted).
    pub fn ops(&self, kernel: KernelKind) -> u64 {
        2 * self.seq_len as u64
            * self.batch as u64
            * (gates(kernel) * self.hidden_size) as u64
            * (self.input_size + self.hidden_size) as u64
    }
}

/// Gates per hidden unit: 4 for LSTM, 1 otherwise.
pub(crate) fn gates(kernel: KernelKind) -> usize {
    if kernel == KernelKind::LstmF32 { 4 } else { 1 }
}

/// Weights of a recurrent layer, row-major, PyTorch layout.
///
/// With G gates (4 for LSTM in order i, f, g, o; 1 for RNN): `w_ih` is `[G·H, I]`,
/// `w_hh` is `[G·H, H]`, `bias` is `[G·H]` (PyTorch's `b_ih + b_hh`).
#[derive(Debug, Clone, PartialEq)]
pub struct RnnParams {
    /// Input-to-hidden weights `[G·H, I]`.
    pub w_ih: Vec<f32>,
    /// Hidden-to-hidden weights `[G·H, H]`.
    pub w_hh: Vec<f32>,
    /// Combined bias `[G·H]`.
    pub bias: Vec<f32>,
}
