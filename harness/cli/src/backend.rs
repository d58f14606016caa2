//! `--backend`: opens the compute device (CPU, wgpu, CUDA) once per command and hands it to the
//! engine as a `BackendHandle`, with the device fingerprint as the scorecard's backend pin.

use anyhow::{Result, anyhow};
use jiebang_accel::{BackendKind, Device, Fingerprint};
use jiebang_core::BackendHandle;
use jiebang_scorecard::BackendPin;
use std::sync::Arc;

/// The scorecard pin of a device fingerprint.
pub fn pin(fp: &Fingerprint) -> BackendPin {
    let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
    BackendPin {
        kind: fp.backend.to_string(),
        device: fp.device_name.clone(),
        vendor: some(&fp.vendor),
        api: some(&fp.backend_api),
        driver: some(&fp.driver_name),
        driver_info: some(&fp.driver_version),
        device_type: some(&fp.device_type),
    }
}

/// Opens the device named by `--backend` (`cpu`, `wgpu`, `cuda`). A missing GPU or driver is a
/// clear error, never a silent fallback to another backend.
pub fn open(name: &str) -> Result<BackendHandle> {
    let kind: BackendKind = name.parse().map_err(|e| anyhow!("--backend {name}: {e}"))?;
    let device = Device::open(kind).map_err(|e| anyhow!("--backend {name}: {e}"))?;
    Ok(BackendHandle {
        pin: pin(&device.fingerprint()),
        device: Arc::new(device),
    })
}
