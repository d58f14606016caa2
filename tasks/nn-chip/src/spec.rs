//! Kernel workload specs: a workload's id, kernel and shape as suites and dataset files write
//! them (flat tables of integers), the names, element types and lengths of its input tensors
//! and of its output, its operation count, precision and network family.

use jiebang_accel::{Conv2dShape, GemmShape, KernelKind, RnnShape};
use serde_json::{Map, Value, json};

/// Largest number of elements any one tensor (input or output) of a workload may have: 2^28,
/// 1 GiB of f32. Keeps a malformed dataset from asking for an absurd allocation.
pub const MAX_TENSOR_ELEMENTS: usize = 1 << 28;

/// Element type of a tensor file or of a kernel's output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DType {
    /// IEEE binary32.
    F32,
    /// IEEE binary16.
    F16,
    /// Signed 8-bit integer.
    I8,
    /// Signed 32-bit integer.
    I32,
}

impl DType {
    /// The name used in queries and file extensions (`f32`, `f16`, `i8`, `i32`).
    pub fn as_str(self) -> &'static str {
        match self {
            DType::F32 => "f32",
            DType::F16 => "f16",
            DType::I8 => "i8",
            DType::I32 => "i32",
        }
    }

    /// Bytes per element.
    pub fn size(self) -> usize {
        match self {
            DType::F32 | DType::I32 => 4,
            DType::F16 => 2,
            DType::I8 => 1,
        }
    }

    /// Whether results of this type must match the reference bit for bit.
    pub fn is_integer(self) -> bool {
        matches!(self, DType::I8 | DType::I32)
    }
}

/// The arithmetic precision a workload's rate is reported under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Precision {
    /// f32 arithmetic (GEMM f32, conv2d, LSTM, RNN): TFLOPS.
    F32,
    /// f16 inputs with f32 accumulation: TFLOPS.
    F16,
    /// int8 inputs with i32 accumulation: TOPS.
    Int8,
}

impl Precision {
    /// The suffix of the aggregate metric ids (`throughput.f32`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::F32 => "f32",
            Precision::F16 => "f16",
            Precision::Int8 => "int8",
        }
    }

    /// The rate unit: `TFLOPS` for floats, `TOPS` for integers.
    pub fn rate_unit(self) -> &'static str {
        match self {
            Precision::Int8 => "TOPS",
            _ => "TFLOPS",
        }
    }
}

/// The network family a kernel stands for in the CNN/RNN/LSTM support indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Family {
    /// Matrix products.
    Gemm,
    /// Convolutions.
    Cnn,
    /// Plain (tanh) recurrent layers.
    Rnn,
    /// LSTM layers.
    Lstm,
}

/// A kernel's problem shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KernelShape {
    /// `C[m×n] = A[m×k] · B[k×n]`.
    Gemm(GemmShape),
    /// NCHW convolution with OIHW weights.
    Conv2d(Conv2dShape),
    /// A recurrent layer over a `[T, B, I]` sequence.
    Rnn(RnnShape),
}

/// One input or output tensor of a workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TensorSpec {
    /// Name (`a`, `b`, `input`, `weights`, `x`, `w_ih`, `w_hh`, `bias`, `output`).
    pub name: &'static str,
    /// Element type.
    pub dtype: DType,
    /// Number of elements.
    pub len: usize,
    /// Layout in words, e.g. `row-major [m, k]`.
    pub layout: &'static str,
}

/// A kernel workload: id, kernel and shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkloadSpec {
    /// Id, unique in a suite (`gemm-f32-256`); used in metric ids and file names.
    pub id: String,
    /// The kernel.
    pub kernel: KernelKind,
    /// Its shape.
    pub shape: KernelShape,
}

const GEMM_DIMS: [&str; 3] = ["m", "n", "k"];
const CONV_DIMS: [&str; 9] = [
    "batch",
    "in_channels",
    "height",
    "width",
    "out_channels",
    "kernel_h",
    "kernel_w",
    "stride",
    "padding",
];
const RNN_DIMS: [&str; 4] = ["seq_len", "batch", "input_size", "hidden_size"];

fn dims_of(kernel: KernelKind) -> &'static [&'static str] {
    match kernel {
        KernelKind::GemmF32 | KernelKind::GemmF16 | KernelKind::GemmI8 => &GEMM_DIMS,
        KernelKind::Conv2dF32 => &CONV_DIMS,
        KernelKind::LstmF32 | KernelKind::RnnF32 => &RNN_DIMS,
    }
}

/// Whether `id` is usable as a workload id: 1–64 ASCII letters, digits, `-` or `_`.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn product(dims: &[usize]) -> Option<usize> {
    dims.iter().try_fold(1usize, |a, &d| a.checked_mul(d))
}

impl WorkloadSpec {
    /// Parses a flat table (`id`, `kernel` and the kernel's dimensions; `extra` keys such as
    /// `seed` and `inputs` are allowed and ignored here). An error names the field and what
    /// was expected; the caller adds the file and entry (`dataset.workloads[3]`).
    pub fn from_table(table: &Map<String, Value>, extra: &[&str]) -> Result<WorkloadSpec, String> {
        let id = table
            .get("id")
            .and_then(Value::as_str)
            .ok_or("field `id`: expected a string")?;
        if !valid_id(id) {
            return Err(format!(
                "field `id` = {id:?}: expected 1-64 ASCII letters, digits, `-` or `_`"
            ));
        }
        let kernel_name = table
            .get("kernel")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("`{id}` field `kernel`: expected a string"))?;
        let kernel: KernelKind = kernel_name
            .parse()
            .map_err(|e: jiebang_accel::AccelError| format!("`{id}` field `kernel`: {e}"))?;
        let names = dims_of(kernel);
        for key in table.keys() {
            let known = key == "id" || key == "kernel" || names.contains(&key.as_str());
            if !known && !extra.contains(&key.as_str()) {
                return Err(format!(
                    "`{id}`: unknown field `{key}`; a {kernel} workload has {}",
                    names.join(", ")
                ));
            }
        }
        let mut dims = Vec::with_capacity(names.len());
        for name in names {
            let v = table
                .get(*name)
                .and_then(Value::as_u64)
                .and_then(|v| usize::try_from(v).ok())
                .ok_or_else(|| format!("`{id}` field `{name}`: expected a non-negative integer"))?;
            dims.push(v);
        }
        let shape = match kernel {
            KernelKind::GemmF32 | KernelKind::GemmF16 | KernelKind::GemmI8 => {
                KernelShape::Gemm(GemmShape::new(dims[0], dims[1], dims[2]))
            }
            KernelKind::Conv2dF32 => KernelShape::Conv2d(Conv2dShape {
                batch: dims[0],
                in_channels: dims[1],
                height: dims[2],
                width: dims[3],
                out_channels: dims[4],
                kernel_h: dims[5],
                kernel_w: dims[6],
                stride: dims[7],
                padding: dims[8],
            }),
            KernelKind::LstmF32 | KernelKind::RnnF32 => KernelShape::Rnn(RnnShape {
                seq_len: dims[0],
                batch: dims[1],
                input_size: dims[2],
                hidden_size: dims[3],
            }),
        };
        let spec = WorkloadSpec {
            id: id.to_string(),
            kernel,
            shape,
        };
        spec.check().map_err(|m| format!("`{id}`: {m}"))?;
        Ok(spec)
    }

    /// The flat table form (`id`, `kernel`, dimensions).
    pub fn to_table(&self) -> Map<String, Value> {
        let mut t = Map::new();
        t.insert("id".into(), json!(self.id));
        t.insert("kernel".into(), json!(self.kernel.as_str()));
        let values: Vec<usize> = match self.shape {
            KernelShape::Gemm(s) => vec![s.m, s.n, s.k],
            KernelShape::Conv2d(s) => vec![
                s.batch,
                s.in_channels,
                s.height,
                s.width,
                s.out_channels,
                s.kernel_h,
                s.kernel_w,
                s.stride,
                s.padding,
            ],
            KernelShape::Rnn(s) => vec![s.seq_len, s.batch, s.input_size, s.hidden_size],
        };
        for (name, v) in dims_of(self.kernel).iter().zip(values) {
            t.insert((*name).into(), json!(v));
        }
        t
    }

    /// Checks dimensions: none zero (stride may not be zero; padding may), the kernel fits the
    /// padded input, and no tensor exceeds [`MAX_TENSOR_ELEMENTS`].
    pub fn check(&self) -> Result<(), String> {
        let zero = match self.shape {
            KernelShape::Gemm(s) => [s.m, s.n, s.k].contains(&0),
            KernelShape::Conv2d(s) => [
                s.batch,
                s.in_channels,
                s.height,
                s.width,
                s.out_channels,
                s.kernel_h,
                s.kernel_w,
                s.stride,
            ]
            .contains(&0),
            KernelShape::Rnn(s) => [s.seq_len, s.batch, s.input_size, s.hidden_size].contains(&0),
        };
        if zero {
            return Err("every dimension (and the stride) must be at least 1".into());
        }
        if let KernelShape::Conv2d(s) = self.shape
            && (s.out_height().is_none() || s.out_width().is_none())
        {
            return Err(format!(
                "a {}×{} kernel does not fit the {}×{} input with padding {}",
                s.kernel_h, s.kernel_w, s.height, s.width, s.padding
            ));
        }
        for t in self.tensors_checked()? {
            if t.len > MAX_TENSOR_ELEMENTS {
                return Err(format!(
                    "tensor `{}` would have {} elements; at most {MAX_TENSOR_ELEMENTS} are allowed",
                    t.name, t.len
                ));
            }
        }
        Ok(())
    }

    fn tensors_checked(&self) -> Result<Vec<TensorSpec>, String> {
        let overflow = || "dimensions overflow".to_string();
        let p = |d: &[usize]| product(d).ok_or_else(overflow);
        let t = |name, dtype, len, layout| TensorSpec {
            name,
            dtype,
            len,
            layout,
        };
        Ok(match self.shape {
            KernelShape::Gemm(s) => {
                let dtype = match self.kernel {
                    KernelKind::GemmF16 => DType::F16,
                    KernelKind::GemmI8 => DType::I8,
                    _ => DType::F32,
                };
                let out = if dtype == DType::I8 {
                    DType::I32
                } else {
                    dtype
                };
                vec![
                    t("a", dtype, p(&[s.m, s.k])?, "row-major [m, k]"),
                    t("b", dtype, p(&[s.k, s.n])?, "row-major [k, n]"),
                    t("output", out, p(&[s.m, s.n])?, "row-major [m, n]"),
                ]
            }
            KernelShape::Conv2d(s) => {
                let (oh, ow) = (
                    s.out_height().ok_or_else(overflow)?,
                    s.out_width().ok_or_else(overflow)?,
                );
                vec![
                    t(
                        "input",
                        DType::F32,
                        p(&[s.batch, s.in_channels, s.height, s.width])?,
                        "NCHW",
                    ),
                    t(
                        "weights",
                        DType::F32,
                        p(&[s.out_channels, s.in_channels, s.kernel_h, s.kernel_w])?,
                        "OIHW",
                    ),
                    t(
                        "output",
                        DType::F32,
                        p(&[s.batch, s.out_channels, oh, ow])?,
                        "NCHW",
                    ),
                ]
            }
            KernelShape::Rnn(s) => {
                let rows = p(&[gates(self.kernel), s.hidden_size])?;
                vec![
                    t(
                        "x",
                        DType::F32,
                        p(&[s.seq_len, s.batch, s.input_size])?,
                        "[T, B, I]",
                    ),
                    t(
                        "w_ih",
                        DType::F32,
                        p(&[rows, s.input_size])?,
                        "row-major [G·H, I], gates i,f,g,o",
                    ),
                    t(
                        "w_hh",
                        DType::F32,
                        p(&[rows, s.hidden_size])?,
                        "row-major [G·H, H], gates i,f,g,o",
                    ),
                    t("bias", DType::F32, rows, "[G·H] (b_ih + b_hh)"),
                    t(
                        "output",
                        DType::F32,
                        p(&[s.seq_len, s.batch, s.hidden_size])?,
                        "[T, B, H] hidden states",
                    ),
                ]
            }
        })
    }

    /// The input tensors, in the order the kernel takes them.
    pub fn inputs(&self) -> Vec<TensorSpec> {
        let mut all = self.tensors_checked().unwrap_or_default();
        all.retain(|t| t.name != "output");
        all
    }

    /// The output tensor.
    pub fn output(&self) -> TensorSpec {
        self.tensors_checked()
            .unwrap_or_default()
            .into_iter()
            .find(|t| t.name == "output")
            .unwrap_or(TensorSpec {
                name: "output",
                dtype: DType::F32,
                len: 0,
                layout: "",
            })
    }

    /// Arithmetic operations per run (multiply and add counted apart), as `jiebang-accel`
    /// counts them.
    pub fn ops(&self) -> u64 {
        match self.shape {
            KernelShape::Gemm(s) => s.ops(),
            KernelShape::Conv2d(s) => s.ops(),
            KernelShape::Rnn(s) => s.ops(self.kernel),
        }
    }

    /// The precision its rate counts under.
    pub fn precision(&self) -> Precision {
        match self.kernel {
            KernelKind::GemmF16 => Precision::F16,
            KernelKind::GemmI8 => Precision::Int8,
            _ => Precision::F32,
        }
    }

    /// The network family it stands for.
    pub fn family(&self) -> Family {
        match self.kernel {
            KernelKind::GemmF32 | KernelKind::GemmF16 | KernelKind::GemmI8 => Family::Gemm,
            KernelKind::Conv2dF32 => Family::Cnn,
            KernelKind::RnnF32 => Family::Rnn,
            KernelKind::LstmF32 => Family::Lstm,
        }
    }
}

fn gates(kernel: KernelKind) -> usize {
    if kernel == KernelKind::LstmF32 { 4 } else { 1 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn parses_round_trips_and_counts() {
        let t = table(json!({"id": "g", "kernel": "gemm_i8", "m": 2, "n": 3, "k": 4}));
        let s = WorkloadSpec::from_table(&t, &[]).unwrap();
        assert_eq!(s.to_table(), t);
        assert_eq!(s.ops(), 2 * 2 * 3 * 4);
        assert_eq!(s.precision(), Precision::Int8);
        let names: Vec<_> = s
            .inputs()
            .iter()
            .map(|t| (t.name, t.dtype, t.len))
            .collect();
        assert_eq!(names, [("a", DType::I8, 8), ("b", DType::I8, 12)]);
        assert_eq!((s.output().dtype, s.output().len), (DType::I32, 6));
        let c = table(
            json!({"id": "c", "kernel": "conv2d_f32", "batch": 1, "in_channels": 3,
            "height": 224, "width": 224, "out_channels": 64, "kernel_h": 7, "kernel_w": 7,
            "stride": 2, "padding": 3}),
        );
        let s = WorkloadSpec::from_table(&c, &[]).unwrap();
        assert_eq!(s.output().len, 64 * 112 * 112);
        assert_eq!(s.family(), Family::Cnn);
        let l = table(
            json!({"id": "l", "kernel": "lstm_f32", "seq_len": 2, "batch": 3,
            "input_size": 4, "hidden_size": 5, "seed": 1}),
        );
        let s = WorkloadSpec::from_table(&l, &["seed"]).unwrap();
        assert_eq!(s.inputs()[1].len, 4 * 5 * 4);
        assert_eq!(s.output().len, 2 * 3 * 5);
    }

    #[test]
    fn bad_tables_name_the_field() {
        let cases = [
            (
                json!({"kernel": "gemm_f32", "m": 1, "n": 1, "k": 1}),
                "field `id`",
            ),
            (
                json!({"id": "a/b", "kernel": "gemm_f32", "m": 1, "n": 1, "k": 1}),
                "`id`",
            ),
            (
                json!({"id": "a", "kernel": "fft", "m": 1, "n": 1, "k": 1}),
                "unknown kernel",
            ),
            (
                json!({"id": "a", "kernel": "gemm_f32", "m": 1, "n": 1}),
                "field `k`",
            ),
            (
                json!({"id": "a", "kernel": "gemm_f32", "m": 1, "n": 1, "k": 0}),
                "at least 1",
            ),
            (
                json!({"id": "a", "kernel": "gemm_f32", "m": 1, "n": 1, "k": 1, "q": 2}),
                "unknown field `q`",
            ),
            (
                json!({"id": "a", "kernel": "gemm_f32", "m": 1, "n": 1, "k": -1}),
                "non-negative",
            ),
            (
                json!({"id": "a", "kernel": "gemm_f32", "m": 65536, "n": 65536, "k": 1}),
                "at most",
            ),
            (
                json!({"id": "a", "kernel": "conv2d_f32", "batch": 1, "in_channels": 1, "height": 2,
                "width": 2, "out_channels": 1, "kernel_h": 5, "kernel_w": 5, "stride": 1,
                "padding": 0}),
                "does not fit",
            ),
        ];
        for (v, want) in cases {
            let e = WorkloadSpec::from_table(&table(v), &[]).unwrap_err();
            assert!(e.contains(want), "{e} should mention {want}");
        }
    }
}
