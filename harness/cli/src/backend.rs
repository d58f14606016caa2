//! `--backend`: opens the compute device (CPU, wgpu, CUDA) once per command and hands it to the
//! engine as a `BackendHandle`, with the device fingerprint as the scorecard's backend pin.

use anyhow::{Result, anyhow};
use jiebang_accel::{BackendKind, Device};
use jiebang_core::BackendHandle;

/// Opens the device named by `--backend` (`cpu`, `wgpu`, `cuda`). A missing GPU or driver is a
/// clear error, never a silent fallback to another backend.
pub fn open(name: &str) -> Result<BackendHandle> {
    let kind: BackendKind = name.parse().map_err(|e| anyhow!("--backend {name}: {e}"))?;
    let device = Device::open(kind).map_err(|e| anyhow!("--backend {name}: {e}"))?;
    Ok(device.into_handle())
}
