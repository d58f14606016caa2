//! The crate's one error type: every fallible call returns [`AccelError`].
//! Variants say which backend or kernel failed and why, so callers can print them
//! as-is or match on "unavailable" versus "unsupported" versus "bad input".

use crate::backend::BackendKind;
use crate::kernel::KernelKind;

/// Everything that can go wrong when opening a backend or running a kernel.
#[derive(Debug, thiserror::Error)]
pub enum AccelError {
    /// A name did not parse as a backend.
    #[error("unknown backend {0:?}: expected one of cpu, cuda, wgpu")]
    UnknownBackend(String),
    /// A name did not parse as a kernel.
    #[error(
        "unknown kernel {0:?}: expected one of gemm_f32, gemm_f16, gemm_i8, conv2d_f32, lstm_f32, rnn_f32"
    )]
    UnknownKernel(String),
    /// The CUDA backend cannot be opened on this machine.
    #[error("no CUDA device: {0}")]
    NoCudaDevice(String),
    /// The wgpu backend found no Vulkan adapter.
    #[error("no wgpu Vulkan adapter: {0}")]
    NoWgpuAdapter(String),
    /// The backend is present but this kernel cannot run on it.
    #[error("{kernel} is unsupported on {backend} device {device:?}: {reason}")]
    Unsupported {
        /// The kernel that was asked for.
        kernel: KernelKind,
        /// The backend it was asked of.
        backend: BackendKind,
        /// The device name from the fingerprint.
        device: String,
        /// Why it cannot run there.
        reason: String,
    },
    /// Input lengths or dimensions do not fit the kernel.
    #[error("invalid {kernel} input: {reason}")]
    InvalidShape {
        /// The kernel whose input was wrong.
        kernel: KernelKind,
        /// What was expected and what was given.
        reason: String,
    },
    /// An error reported by candle-core on the CPU backend.
    #[error("cpu backend (candle): {0}")]
    Candle(#[from] candle_core::Error),
    /// An error reported by wgpu (device lost, validation, mapping, ...).
    #[error("wgpu backend: {0}")]
    Wgpu(String),
    /// An error reported by the CUDA driver, cuBLAS or NVRTC.
    #[error("cuda backend: {0}")]
    Cuda(String),
    /// An energy counter cannot be read; the value is not estimated.
    #[error("energy not measurable: {0}")]
    EnergyNotMeasurable(String),
    /// A backend handle of the engine that does not hold a [`crate::Device`].
    #[error(
        "the backend handle does not hold a jiebang_accel::Device (it was opened by something else than jiebang's backend selection)"
    )]
    NotADevice,
    /// A template, template set or matching request that was refused.
    #[error(transparent)]
    Template(#[from] crate::templates::TemplateError),
    /// A timing request that cannot produce a measurement.
    #[error("invalid timing request: {0}")]
    InvalidTiming(String),
}

/// Shorthand used throughout the crate.
pub type Result<T, E = AccelError> = std::result::Result<T, E>;
