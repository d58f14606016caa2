//! The backend the kit runs on: the CPU device of `jiebang-accel`, handed to the engine as a
//! `BackendHandle` (the engine never names the accelerator crate).

use jiebang_accel::Device;
use jiebang_core::BackendHandle;

/// The CPU backend, pinned by its fingerprint.
pub fn cpu() -> BackendHandle {
    Device::cpu().into_handle()
}
