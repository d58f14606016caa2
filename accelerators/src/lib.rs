//! jiebang-accel: compute backends for jiebang's kernels (GEMM f32/f16/int8, conv2d,
//! LSTM/RNN) on the CPU, on any Vulkan adapter through wgpu, and on NVIDIA GPUs through
//! CUDA probed at run time — plus the reference, comparison, timing and energy tools.
//!
//! ```
//! use jiebang_accel::{BackendKind, Device, KernelKind, Tolerance, Workload, reference};
//! let device = Device::open(BackendKind::Cpu)?;
//! let work = Workload::standard(KernelKind::GemmF32, 32, 7);
//! let got = device.run(&work)?;
//! let want = reference::run(&work)?;
//! got.compare(&want, Tolerance::for_kernel(KernelKind::GemmF32)).expect("agrees");
//! # Ok::<(), jiebang_accel::AccelError>(())
//! ```

pub mod backend;
pub mod compare;
pub mod cpu;
pub mod cuda;
pub mod device;
pub mod energy;
pub mod error;
pub mod fingerprint;
pub mod kernel;
pub mod peak;
pub mod reference;
pub mod seeded;
pub mod templates;
pub mod timing;
pub mod wgpu_backend;
pub mod workload;

pub use backend::{Backend, BackendKind, PreparedKernel};
pub use compare::{Agreement, Mismatch, Tolerance, digest};
pub use device::Device;
pub use energy::{EnergyMeter, EnergySample};
pub use error::{AccelError, Result};
pub use fingerprint::{CpuInfo, Fingerprint};
pub use kernel::{Conv2dShape, GemmShape, KernelKind, RnnParams, RnnShape};
pub use peak::Peak;
pub use timing::{KernelTiming, Stopwatch, TimingOptions};
pub use workload::{Output, Workload};
