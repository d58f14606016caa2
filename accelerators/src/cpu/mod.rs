//! The CPU backend: candle-core tensors for f32/f16 GEMM and conv2d, rayon loops where
//! candle has no kernel (int8 GEMM with i32 accumulation), and LSTM/RNN built from
//! candle matrix products plus element-wise activations.

mod gemm_i8;
mod recurrent;

use std::collections::BTreeMap;

use candle_core::{DType, Device as CandleDevice, Tensor};

use crate::backend::{Backend, BackendKind, PreparedKernel};
use crate::error::Result;
use crate::fingerprint::{CpuInfo, Fingerprint, os_release};
use crate::kernel::GemmShape;
use crate::workload::{Output, Workload};

/// The host CPU as a compute device.
#[derive(Debug, Clone)]
pub struct CpuDevice {
    info: CpuInfo,
}

impl CpuDevice {
    /// Opens the CPU backend (always available).
    pub fn new() -> Self {
        CpuDevice {
            info: CpuInfo::read(),
        }
    }

    /// The parsed `/proc/cpuinfo` of the host.
    pub fn cpu_info(&self) -> &CpuInfo {
        &self.info
    }
}

impl Default for CpuDevice {
    fn default() -> Self {
        CpuDevice::new()
    }
}

impl Backend for CpuDevice {
    fn kind(&self) -> BackendKind {
        BackendKind::Cpu
    }

    fn fingerprint(&self) -> Fingerprint {
        let mut details = BTreeMap::new();
        for flag in [
            "avx2",
            "fma",
            "avx512f",
            "avx512_vnni",
            "avx512_bf16",
            "f16c",
        ] {
            details.insert(
                format!("cpu_flag.{flag}"),
                self.info.has_flag(flag).to_string(),
            );
        }
        if let Some(mhz) = self.info.mhz {
            details.insert("cpu_mhz".into(), format!("{mhz:.3}"));
        }
        details.insert("logical_cpus".into(), self.info.logical_cpus.to_string());
        details.insert("candle_core".into(), "0.11".into());
        let model = self.info.model_name.clone();
        Fingerprint {
            backend: BackendKind::Cpu,
            device_name: model.clone().unwrap_or_else(|| "unknown cpu".into()),
            vendor: self
                .info
                .vendor_id
                .clone()
                .unwrap_or_else(|| "unknown".into()),
            device_type: "cpu".into(),
            backend_api: "host (candle-core + rayon)".into(),
            driver_name: "linux".into(),
            driver_version: os_release().unwrap_or_else(|| "unknown".into()),
            cpu_model: model,
            threads: rayon::current_num_threads(),
            details,
        }
    }

    fn synchronize(&self) -> Result<()> {
        // Every CPU launch completes before it returns.
        Ok(())
    }

    fn prepare<'a>(&'a self, workload: &Workload) -> Result<Box<dyn PreparedKernel + 'a>> {
        workload.check()?;
        let dev = CandleDevice::Cpu;
        Ok(match workload {
            Workload::GemmF32 { shape, a, b } => Box::new(CandleGemm {
                a: Tensor::from_slice(a, (shape.m, shape.k), &dev)?,
                b: Tensor::from_slice(b, (shape.k, shape.n), &dev)?,
                out: None,
            }),
            Workload::GemmF16 { shape, a, b } => Box::new(CandleGemm {
                a: Tensor::from_slice(a, (shape.m, shape.k), &dev)?,
                b: Tensor::from_slice(b, (shape.k, shape.n), &dev)?,
                out: None,
            }),
            Workload::GemmI8 { shape, a, b } => {
                Box::new(gemm_i8::PreparedGemmI8::new(*shape, a, b))
            }
            Workload::Conv2dF32 {
                shape,
                input,
                weights,
            } => Box::new(CandleConv {
                input: Tensor::from_slice(
                    input,
                    (shape.batch, shape.in_channels, shape.height, shape.width),
                    &dev,
                )?,
                weights: Tensor::from_slice(
                    weights,
                    (
                        shape.out_channels,
                        shape.in_channels,
                        shape.kernel_h,
                        shape.kernel_w,
                    ),
                    &dev,
                )?,
                stride: shape.stride,
                padding: shape.padding,
                out: None,
            }),
            Workload::LstmF32 { shape, x, params } => Box::new(recurrent::PreparedRecurrent::new(
                workload.kernel(),
                *shape,
                x,
                params,
            )?),
            Workload::RnnF32 { shape, x, params } => Box::new(recurrent::PreparedRecurrent::new(
                workload.kernel(),
                *shape,
                x,
                params,
            )?),
        })
    }
}

/// A candle matrix product; the output dtype follows the inputs (f32 or f16).
struct CandleGemm {
    a: Tensor,
    b: Tensor,
    out: Option<Tensor>,
}

impl PreparedKernel for CandleGemm {
    fn launch(&mut self) -> Result<()> {
        self.out = Some(self.a.matmul(&self.b)?);
        Ok(())
    }

    fn read_output(&mut self) -> Result<Output> {
        read_tensor(self.out.as_ref())
    }
}

struct CandleConv {
    input: Tensor,
    weights: Tensor,
    stride: usize,
    padding: usize,
    out: Option<Tensor>,
}

impl PreparedKernel for CandleConv {
    fn launch(&mut self) -> Result<()> {
        self.out = Some(
            self.input
                .conv2d(&self.weights, self.padding, self.stride, 1, 1)?,
        );
        Ok(())
    }

    fn read_output(&mut self) -> Result<Output> {
        read_tensor(self.out.as_ref())
    }
}

fn read_tensor(t: Option<&Tensor>) -> Result<Output> {
    let Some(t) = t else {
        return Err(crate::AccelError::InvalidTiming(
            "read_output called before launch".into(),
        ));
    };
    let flat = t.flatten_all()?;
    Ok(match flat.dtype() {
        DType::F16 => Output::F16(flat.to_vec1()?),
        _ => Output::F32(flat.to_dtype(DType::F32)?.to_vec1()?),
    })
}

/// f32 GEMM through candle, for callers that want the plain function form.
pub fn gemm_f32(shape: GemmShape, a: &[f32], b: &[f32]) -> Result<Vec<f32>> {
    shape.check(crate::KernelKind::GemmF32, a.len(), b.len())?;
    let dev = CandleDevice::Cpu;
    let c = Tensor::from_slice(a, (shape.m, shape.k), &dev)?.matmul(&Tensor::from_slice(
        b,
        (shape.k, shape.n),
        &dev,
    )?)?;
    Ok(c.flatten_all()?.to_vec1()?)
}
