//! The backend the kit runs on: the CPU device of `jiebang-accel`, handed to the engine as a
//! `BackendHandle` (the engine never names the accelerator crate).

use jiebang_accel::Device;
use jiebang_core::BackendHandle;
use jiebang_scorecard::BackendPin;
use std::sync::Arc;

/// The CPU backend, pinned by its fingerprint.
pub fn cpu() -> BackendHandle {
    let device = Device::cpu();
    let fp = device.fingerprint();
    let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
    BackendHandle {
        pin: BackendPin {
            kind: fp.backend.to_string(),
            device: fp.device_name.clone(),
            vendor: some(&fp.vendor),
            api: some(&fp.backend_api),
            driver: some(&fp.driver_name),
            driver_info: some(&fp.driver_version),
            device_type: some(&fp.device_type),
        },
        device: Arc::new(device),
    }
}
