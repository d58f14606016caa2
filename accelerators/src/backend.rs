//! Backend names (`cpu`, `cuda`, `wgpu`) and the [`Backend`] trait each concrete
//! backend implements; [`crate::Device`] dispatches to one of them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{AccelError, Result};
use crate::fingerprint::Fingerprint;
use crate::workload::{Output, Workload};

/// Which compute backend a [`crate::Device`] runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BackendKind {
    /// Host CPU: candle-core tensors plus rayon loops.
    Cpu,
    /// NVIDIA GPU through the CUDA driver API, cuBLAS and NVRTC (loaded at run time).
    Cuda,
    /// Any GPU (or lavapipe) through wgpu's Vulkan backend and WGSL compute shaders.
    Wgpu,
}

impl BackendKind {
    /// All backends, in a fixed order.
    pub const ALL: [BackendKind; 3] = [BackendKind::Cpu, BackendKind::Cuda, BackendKind::Wgpu];

    /// The lowercase name used on command lines and in scorecards.
    pub fn as_str(self) -> &'static str {
        match self {
            BackendKind::Cpu => "cpu",
            BackendKind::Cuda => "cuda",
            BackendKind::Wgpu => "wgpu",
        }
    }
}

impl fmt::Display for BackendKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for BackendKind {
    type Err = AccelError;

    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "cpu" => Ok(BackendKind::Cpu),
            "cuda" => Ok(BackendKind::Cuda),
            "wgpu" => Ok(BackendKind::Wgpu),
            _ => Err(AccelError::UnknownBackend(s.to_string())),
        }
    }
}

/// A workload uploaded to a device once, ready to be launched many times.
///
/// [`PreparedKernel::launch`] enqueues one iteration and may return before the device
/// finishes; [`Backend::synchronize`] waits for it. Uploads happen when the kernel is
/// prepared and readback happens in [`PreparedKernel::read_output`], so neither is inside
/// a timed loop built from `launch` + `synchronize`.
pub trait PreparedKernel {
    /// Enqueues one iteration of the kernel on the device.
    fn launch(&mut self) -> Result<()>;
    /// Waits for the device and copies the result of the last launch back to the host.
    fn read_output(&mut self) -> Result<Output>;
}

/// What every backend provides; [`crate::Device`] forwards to it.
pub trait Backend {
    /// Which backend this is.
    fn kind(&self) -> BackendKind;
    /// Identity of the device, driver and host, for scorecards.
    fn fingerprint(&self) -> Fingerprint;
    /// Blocks until all work submitted to the device has finished.
    fn synchronize(&self) -> Result<()>;
    /// Uploads a workload's inputs and returns a handle that runs it.
    fn prepare<'a>(&'a self, workload: &Workload) -> Result<Box<dyn PreparedKernel + 'a>>;
    /// Runs a workload once: upload, launch, synchronize, read back.
    fn run(&self, workload: &Workload) -> Result<Output> {
        let mut prepared = self.prepare(workload)?;
        prepared.launch()?;
        self.synchronize()?;
        prepared.read_output()
    }
}
