//! Input tensors as the dataset stores them — raw little-endian arrays, one file per tensor —
//! and the conversion between a [`WorkloadSpec`] plus its tensors and a `jiebang-accel`
//! [`Workload`], including the seeded random inputs the generator writes.

use crate::spec::{DType, KernelShape, WorkloadSpec};
use half::f16;
use jiebang_accel::{KernelKind, RnnParams, Workload};

/// The values of one input tensor.
#[derive(Debug, Clone, PartialEq)]
pub enum TensorData {
    /// f32 values.
    F32(Vec<f32>),
    /// f16 values.
    F16(Vec<f16>),
    /// i8 values.
    I8(Vec<i8>),
}

impl TensorData {
    /// Element type.
    pub fn dtype(&self) -> DType {
        match self {
            TensorData::F32(_) => DType::F32,
            TensorData::F16(_) => DType::F16,
            TensorData::I8(_) => DType::I8,
        }
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        match self {
            TensorData::F32(v) => v.len(),
            TensorData::F16(v) => v.len(),
            TensorData::I8(v) => v.len(),
        }
    }

    /// Whether there are no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The little-endian bytes.
    pub fn to_le_bytes(&self) -> Vec<u8> {
        match self {
            TensorData::F32(v) => v.iter().flat_map(|x| x.to_le_bytes()).collect(),
            TensorData::F16(v) => v.iter().flat_map(|x| x.to_le_bytes()).collect(),
            TensorData::I8(v) => v.iter().flat_map(|x| x.to_le_bytes()).collect(),
        }
    }

    /// Reads `len` elements of `dtype` from little-endian bytes; `Err` says what the length
    /// should have been.
    pub fn from_le_bytes(dtype: DType, len: usize, bytes: &[u8]) -> Result<TensorData, String> {
        let want = len.saturating_mul(dtype.size());
        if bytes.len() != want {
            return Err(format!(
                "{} bytes, expected {want} ({len} little-endian {} values)",
                bytes.len(),
                dtype.as_str()
            ));
        }
        Ok(match dtype {
            DType::F32 => TensorData::F32(
                bytes
                    .chunks_exact(4)
                    .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                    .collect(),
            ),
            DType::F16 => TensorData::F16(
                bytes
                    .chunks_exact(2)
                    .map(|c| f16::from_le_bytes([c[0], c[1]]))
                    .collect(),
            ),
            DType::I8 => TensorData::I8(bytes.iter().map(|&b| b as i8).collect()),
            DType::I32 => return Err("i32 is an output type, not an input type".into()),
        })
    }
}

/// The seeded random workload of a spec (inputs never all zero; see `jiebang_accel::seeded`).
pub fn seeded(spec: &WorkloadSpec, seed: u64) -> Workload {
    match (spec.kernel, spec.shape) {
        (KernelKind::GemmF16, KernelShape::Gemm(s)) => Workload::gemm_f16(s, seed),
        (KernelKind::GemmI8, KernelShape::Gemm(s)) => Workload::gemm_i8(s, seed),
        (_, KernelShape::Gemm(s)) => Workload::gemm_f32(s, seed),
        (_, KernelShape::Conv2d(s)) => Workload::conv2d_f32(s, seed),
        (KernelKind::LstmF32, KernelShape::Rnn(s)) => Workload::lstm_f32(s, seed),
        (_, KernelShape::Rnn(s)) => Workload::rnn_f32(s, seed),
    }
}

/// A workload's input tensors in the order of [`WorkloadSpec::inputs`].
pub fn split(workload: &Workload) -> Vec<TensorData> {
    match workload {
        Workload::GemmF32 { a, b, .. } => {
            vec![TensorData::F32(a.clone()), TensorData::F32(b.clone())]
        }
        Workload::GemmF16 { a, b, .. } => {
            vec![TensorData::F16(a.clone()), TensorData::F16(b.clone())]
        }
        Workload::GemmI8 { a, b, .. } => vec![TensorData::I8(a.clone()), TensorData::I8(b.clone())],
        Workload::Conv2dF32 { input, weights, .. } => {
            vec![
                TensorData::F32(input.clone()),
                TensorData::F32(weights.clone()),
            ]
        }
        Workload::LstmF32 { x, params, .. } | Workload::RnnF32 { x, params, .. } => vec![
            TensorData::F32(x.clone()),
            TensorData::F32(params.w_ih.clone()),
            TensorData::F32(params.w_hh.clone()),
            TensorData::F32(params.bias.clone()),
        ],
    }
}

/// Builds the workload of `spec` from its input tensors (in [`WorkloadSpec::inputs`] order);
/// `Err` names the tensor whose type or length does not fit.
pub fn assemble(spec: &WorkloadSpec, tensors: Vec<TensorData>) -> Result<Workload, String> {
    let inputs = spec.inputs();
    if tensors.len() != inputs.len() {
        return Err(format!(
            "{} tensors given, a {} workload takes {}",
            tensors.len(),
            spec.kernel,
            inputs.len()
        ));
    }
    for (t, want) in tensors.iter().zip(&inputs) {
        if t.dtype() != want.dtype || t.len() != want.len {
            return Err(format!(
                "tensor `{}` is {} {} values, expected {} {}",
                want.name,
                t.len(),
                t.dtype().as_str(),
                want.len,
                want.dtype.as_str()
            ));
        }
    }
    let mut it = tensors.into_iter();
    let mut next = || it.next();
    let f32s = |t: Option<TensorData>| match t {
        Some(TensorData::F32(v)) => Ok(v),
        _ => Err("internal: expected an f32 tensor".to_string()),
    };
    let workload = match (spec.kernel, spec.shape) {
        (KernelKind::GemmF16, KernelShape::Gemm(shape)) => match (next(), next()) {
            (Some(TensorData::F16(a)), Some(TensorData::F16(b))) => {
                Workload::GemmF16 { shape, a, b }
            }
            _ => return Err("internal: expected f16 tensors".into()),
        },
        (KernelKind::GemmI8, KernelShape::Gemm(shape)) => match (next(), next()) {
            (Some(TensorData::I8(a)), Some(TensorData::I8(b))) => Workload::GemmI8 { shape, a, b },
            _ => return Err("internal: expected i8 tensors".into()),
        },
        (_, KernelShape::Gemm(shape)) => Workload::GemmF32 {
            shape,
            a: f32s(next())?,
            b: f32s(next())?,
        },
        (_, KernelShape::Conv2d(shape)) => Workload::Conv2dF32 {
            shape,
            input: f32s(next())?,
            weights: f32s(next())?,
        },
        (kernel, KernelShape::Rnn(shape)) => {
            let x = f32s(next())?;
            let params = RnnParams {
                w_ih: f32s(next())?,
                w_hh: f32s(next())?,
                bias: f32s(next())?,
            };
            if kernel == KernelKind::LstmF32 {
                Workload::LstmF32 { shape, x, params }
            } else {
                Workload::RnnF32 { shape, x, params }
            }
        }
    };
    workload.check().map_err(|e| e.to_string())?;
    Ok(workload)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(v: serde_json::Value) -> WorkloadSpec {
        WorkloadSpec::from_table(v.as_object().unwrap(), &[]).unwrap()
    }

    #[test]
    fn split_assemble_and_bytes_round_trip() {
        let specs = [
            spec(json!({"id": "a", "kernel": "gemm_f16", "m": 3, "n": 5, "k": 7})),
            spec(json!({"id": "b", "kernel": "gemm_i8", "m": 3, "n": 5, "k": 7})),
            spec(
                json!({"id": "c", "kernel": "conv2d_f32", "batch": 1, "in_channels": 2,
                "height": 5, "width": 5, "out_channels": 3, "kernel_h": 3, "kernel_w": 3,
                "stride": 1, "padding": 1}),
            ),
            spec(
                json!({"id": "d", "kernel": "lstm_f32", "seq_len": 3, "batch": 2,
                "input_size": 4, "hidden_size": 5}),
            ),
        ];
        for s in &specs {
            let w = seeded(s, 11);
            assert_eq!(w.kernel(), s.kernel);
            assert_eq!(w.ops(), s.ops());
            let tensors = split(&w);
            for (t, want) in tensors.iter().zip(s.inputs()) {
                let back = TensorData::from_le_bytes(want.dtype, want.len, &t.to_le_bytes());
                assert_eq!(back.as_ref(), Ok(t));
            }
            assert_eq!(assemble(s, tensors).unwrap(), w);
        }
        let wrong = vec![
            TensorData::F32(vec![0.0; 21]),
            TensorData::F32(vec![0.0; 35]),
        ];
        let e = assemble(&specs[0], wrong).unwrap_err();
        assert!(e.contains("tensor `a`") && e.contains("f16"), "{e}");
        let e = TensorData::from_le_bytes(DType::F32, 3, &[0; 11]).unwrap_err();
        assert!(e.contains("expected 12"), "{e}");
    }
}
