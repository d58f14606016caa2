//! [`Device`]: the one handle callers use. It is always the same enum whatever the
//! machine has; opening a backend that is not available returns a typed error, so no
//! caller needs `cfg`. Kernel entry points, timing, energy and peak live here.

use half::f16;

use crate::backend::{Backend, BackendKind, PreparedKernel};
use crate::cpu::CpuDevice;
use crate::cuda::CudaDevice;
use crate::energy::EnergyMeter;
use crate::error::{AccelError, Result};
use crate::fingerprint::{CpuInfo, Fingerprint};
use crate::kernel::{Conv2dShape, GemmShape, KernelKind, RnnParams, RnnShape};
use crate::peak::{Peak, cpu_f32_peak};
use crate::timing::{KernelTiming, Stopwatch, TimingOptions, time_iterations};
use crate::wgpu_backend::WgpuDevice;
use crate::workload::{Output, Workload};

/// A compute device on one of the three backends.
// A program holds one or a few devices, so the size difference between variants is
// irrelevant, and unboxed variants keep `Device::Wgpu(w)` patterns simple for callers.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Device {
    /// The host CPU.
    Cpu(CpuDevice),
    /// An NVIDIA GPU through CUDA.
    Cuda(CudaDevice),
    /// A Vulkan adapter through wgpu.
    Wgpu(WgpuDevice),
}

impl Device {
    /// Opens the first device of a backend: CPU always works; CUDA fails with
    /// [`AccelError::NoCudaDevice`] and wgpu with [`AccelError::NoWgpuAdapter`] when absent.
    pub fn open(kind: BackendKind) -> Result<Device> {
        Ok(match kind {
            BackendKind::Cpu => Device::Cpu(CpuDevice::new()),
            BackendKind::Cuda => Device::Cuda(CudaDevice::new(0)?),
            BackendKind::Wgpu => Device::Wgpu(WgpuDevice::new()?),
        })
    }

    /// The device inside the engine's backend handle (what `--backend` opened), for built-in
    /// systems and scorers.
    pub fn from_handle(handle: &jiebang_core::BackendHandle) -> Result<&Device> {
        handle
            .device
            .downcast_ref::<Device>()
            .ok_or(AccelError::NotADevice)
    }

    /// The device as the engine carries it (`jiebang_core` never names this crate), pinned by
    /// its fingerprint.
    pub fn into_handle(self) -> jiebang_core::BackendHandle {
        jiebang_core::BackendHandle {
            pin: self.fingerprint().pin(),
            device: std::sync::Arc::new(self),
        }
    }

    /// The host CPU.
    pub fn cpu() -> Device {
        Device::Cpu(CpuDevice::new())
    }

    fn backend(&self) -> &dyn Backend {
        match self {
            Device::Cpu(d) => d,
            Device::Cuda(d) => d,
            Device::Wgpu(d) => d,
        }
    }

    /// Which backend this device is on.
    pub fn kind(&self) -> BackendKind {
        self.backend().kind()
    }

    /// Device, driver and host identity for scorecards.
    pub fn fingerprint(&self) -> Fingerprint {
        self.backend().fingerprint()
    }

    /// Blocks until all submitted work has finished.
    pub fn synchronize(&self) -> Result<()> {
        self.backend().synchronize()
    }

    /// Uploads a workload once; launch it repeatedly through the returned handle.
    pub fn prepare<'a>(&'a self, workload: &Workload) -> Result<Box<dyn PreparedKernel + 'a>> {
        self.backend().prepare(workload)
    }

    /// Runs a workload once and returns its output.
    pub fn run(&self, workload: &Workload) -> Result<Output> {
        self.backend().run(workload)
    }

    /// Times a workload: upload once (untimed), `warmup` untimed runs, then per-iteration
    /// seconds of launch + synchronize. Readback is not timed.
    pub fn time(&self, workload: &Workload, options: TimingOptions) -> Result<KernelTiming> {
        let mut prepared = self.prepare(workload)?;
        let seconds = time_iterations(self.backend(), prepared.as_mut(), options)?;
        Ok(KernelTiming {
            kernel: workload.kernel(),
            description: workload.describe(),
            ops_per_iteration: workload.ops(),
            seconds,
        })
    }

    /// A stopwatch that synchronizes this device at start and before stopping.
    pub fn stopwatch(&self) -> Result<Stopwatch<'_>> {
        Stopwatch::start(self.backend())
    }

    /// `C[m×n] = A[m×k] · B[k×n]`, row-major f32.
    pub fn gemm_f32(&self, m: usize, n: usize, k: usize, a: &[f32], b: &[f32]) -> Result<Vec<f32>> {
        let w = Workload::GemmF32 {
            shape: GemmShape::new(m, n, k),
            a: a.to_vec(),
            b: b.to_vec(),
        };
        match self.run(&w)? {
            Output::F32(v) => Ok(v),
            other => Err(wrong_output(KernelKind::GemmF32, &other)),
        }
    }

    /// `C[m×n] = A[m×k] · B[k×n]`, row-major f16 with f32 accumulation.
    pub fn gemm_f16(&self, m: usize, n: usize, k: usize, a: &[f16], b: &[f16]) -> Result<Vec<f16>> {
        let w = Workload::GemmF16 {
            shape: GemmShape::new(m, n, k),
            a: a.to_vec(),
            b: b.to_vec(),
        };
        match self.run(&w)? {
            Output::F16(v) => Ok(v),
            other => Err(wrong_output(KernelKind::GemmF16, &other)),
        }
    }

    /// `C[m×n] = A[m×k] · B[k×n]`, row-major int8 with i32 accumulation.
    pub fn gemm_i8(&self, m: usize, n: usize, k: usize, a: &[i8], b: &[i8]) -> Result<Vec<i32>> {
        let w = Workload::GemmI8 {
            shape: GemmShape::new(m, n, k),
            a: a.to_vec(),
            b: b.to_vec(),
        };
        match self.run(&w)? {
            Output::I32(v) => Ok(v),
            other => Err(wrong_output(KernelKind::GemmI8, &other)),
        }
    }

    /// 2-D convolution of an NCHW input with OIHW weights; returns NCHW output.
    pub fn conv2d_f32(
        &self,
        shape: Conv2dShape,
        input: &[f32],
        weights: &[f32],
    ) -> Result<Vec<f32>> {
        let w = Workload::Conv2dF32 {
            shape,
            input: input.to_vec(),
            weights: weights.to_vec(),
        };
        match self.run(&w)? {
            Output::F32(v) => Ok(v),
            other => Err(wrong_output(KernelKind::Conv2dF32, &other)),
        }
    }

    /// LSTM over `x` (`[T, B, I]`) from a zero state; returns every step's hidden state `[T, B, H]`.
    pub fn lstm_sequence(
        &self,
        shape: RnnShape,
        x: &[f32],
        params: &RnnParams,
    ) -> Result<Vec<f32>> {
        let w = Workload::LstmF32 {
            shape,
            x: x.to_vec(),
            params: params.clone(),
        };
        match self.run(&w)? {
            Output::F32(v) => Ok(v),
            other => Err(wrong_output(KernelKind::LstmF32, &other)),
        }
    }

    /// tanh RNN over `x` (`[T, B, I]`) from a zero state; returns `[T, B, H]`.
    pub fn rnn_sequence(&self, shape: RnnShape, x: &[f32], params: &RnnParams) -> Result<Vec<f32>> {
        let w = Workload::RnnF32 {
            shape,
            x: x.to_vec(),
            params: params.clone(),
        };
        match self.run(&w)? {
            Output::F32(v) => Ok(v),
            other => Err(wrong_output(KernelKind::RnnF32, &other)),
        }
    }

    /// An energy counter for this device: RAPL for the CPU (and for wgpu on a CPU
    /// adapter such as lavapipe, which runs on the same package), NVML for CUDA.
    pub fn energy_meter(&self) -> Result<EnergyMeter> {
        match self {
            Device::Cpu(_) => EnergyMeter::rapl(),
            Device::Cuda(d) => EnergyMeter::nvml(&d.uuid()?),
            Device::Wgpu(d) if d.adapter_info().device_type == wgpu::DeviceType::Cpu => {
                EnergyMeter::rapl()
            }
            Device::Wgpu(d) => Err(AccelError::EnergyNotMeasurable(format!(
                "wgpu exposes no power sensor for adapter {:?}",
                d.adapter_info().name
            ))),
        }
    }

    /// Theoretical peak for a kernel's arithmetic on this device, or why it is unknown.
    /// Known: CPU f32 kernels (tabulated FMA width), CUDA f32 kernels (SMs × clock × lanes).
    pub fn theoretical_peak(&self, kernel: KernelKind) -> Peak {
        let f32_kernel = matches!(
            kernel,
            KernelKind::GemmF32 | KernelKind::Conv2dF32 | KernelKind::LstmF32 | KernelKind::RnnF32
        );
        if !f32_kernel {
            return Peak::unknown(format!(
                "no peak is derived for {kernel} (only f32 kernels)"
            ));
        }
        match self {
            Device::Cpu(d) => cpu_f32_peak(d.cpu_info(), d.cpu_info().physical_cores()),
            Device::Cuda(d) => match d.fp32_peak() {
                Ok((peak, basis)) => Peak::known(peak, basis),
                Err(reason) => Peak::unknown(reason),
            },
            Device::Wgpu(d) if d.adapter_info().device_type == wgpu::DeviceType::Cpu => {
                let info = CpuInfo::read();
                let mut p = cpu_f32_peak(&info, info.physical_cores());
                p.basis = format!("host CPU under a CPU adapter: {}", p.basis);
                p
            }
            Device::Wgpu(_) => Peak::unknown("wgpu does not report core counts or clocks"),
        }
    }
}

fn wrong_output(kernel: KernelKind, got: &Output) -> AccelError {
    AccelError::InvalidShape {
        kernel,
        reason: format!(
            "backend returned an unexpected output type ({} elements)",
            got.len()
        ),
    }
}

#[cfg(test)]
mod handle_tests {
    use super::*;
    use std::sync::Arc;

    fn handle(device: Arc<dyn std::any::Any + Send + Sync>) -> jiebang_core::BackendHandle {
        jiebang_core::BackendHandle {
            pin: jiebang_scorecard::BackendPin {
                kind: "cpu".into(),
                device: "test".into(),
                vendor: None,
                api: None,
                driver: None,
                driver_info: None,
                device_type: None,
            },
            device,
        }
    }

    #[test]
    fn from_handle_finds_the_device_or_says_what_is_wrong() {
        let h = handle(Arc::new(Device::cpu()));
        assert_eq!(Device::from_handle(&h).unwrap().kind(), BackendKind::Cpu);
        let e = Device::from_handle(&handle(Arc::new(7u8))).unwrap_err();
        assert!(matches!(e, AccelError::NotADevice));
        assert!(e.to_string().contains("jiebang_accel::Device"), "{e}");
    }
}
