//! The CUDA backend: on a machine without an NVIDIA driver opening it must give a clear
//! `NoCudaDevice` error (never a panic); with a device, it is checked like the others.

mod common;

use jiebang_accel::{AccelError, BackendKind, Device, KernelKind};

#[test]
fn cuda_opens_or_reports_no_device_without_panicking() {
    let opened = std::panic::catch_unwind(|| Device::open(BackendKind::Cuda));
    let Ok(result) = opened else {
        panic!("opening CUDA panicked")
    };
    match result {
        Err(e) => {
            assert!(
                matches!(e, AccelError::NoCudaDevice(_)),
                "unexpected error kind: {e}"
            );
            assert!(e.to_string().starts_with("no CUDA device: "), "{e}");
            if !std::path::Path::new("/dev/nvidia0").exists() {
                eprintln!("no GPU here, as expected: {e}");
            }
        }
        Ok(device) => {
            let fp = device.fingerprint();
            eprintln!("cuda device: {fp:?}");
            assert_eq!(fp.backend, BackendKind::Cuda);
            let unsupported = common::check_against_reference(&device);
            eprintln!("unsupported on cuda: {unsupported:?}");
            assert!(!unsupported.contains(&KernelKind::GemmF32));
        }
    }
}

#[test]
fn cuda_probe_is_repeatable() {
    // A second probe after a failed one must behave the same (no poisoned state).
    let a = Device::open(BackendKind::Cuda)
        .map(|_| ())
        .map_err(|e| e.to_string());
    let b = Device::open(BackendKind::Cuda)
        .map(|_| ())
        .map_err(|e| e.to_string());
    assert_eq!(a.is_ok(), b.is_ok());
    if let (Err(a), Err(b)) = (&a, &b) {
        assert_eq!(a, b);
    }
}

#[test]
fn cuda_kernel_source_compiles_with_nvrtc_when_present() {
    // NVRTC needs no GPU: with libnvrtc on the library path (e.g. from the
    // nvidia-cuda-nvrtc-cu12 wheel) the CUDA C kernels are compiled and must be accepted.
    match jiebang_accel::cuda::compile_kernels() {
        Ok(ptx) => {
            let text = ptx.to_src();
            assert!(text.contains("conv2d_f32") && text.contains("recurrent_step"));
        }
        Err(AccelError::Unsupported { reason, .. }) => eprintln!("SKIPPED: {reason}"),
        Err(e) => panic!("kernels.cu does not compile: {e}"),
    }
}
