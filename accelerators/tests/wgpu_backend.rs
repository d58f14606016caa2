//! The wgpu backend against the f64 reference on seeded inputs. Without an adapter the
//! tests print a skip, unless `JIEBANG_REQUIRE_WGPU=1`, in which case they fail.

mod common;

use jiebang_accel::{
    AccelError, BackendKind, Device, GemmShape, KernelKind, TimingOptions, Workload, reference,
};

fn open_wgpu() -> Option<Device> {
    match Device::open(BackendKind::Wgpu) {
        Ok(d) => Some(d),
        Err(e) => {
            if std::env::var("JIEBANG_REQUIRE_WGPU").as_deref() == Ok("1") {
                panic!("JIEBANG_REQUIRE_WGPU=1 but the wgpu backend did not open: {e}");
            }
            assert!(
                matches!(e, AccelError::NoWgpuAdapter(_)),
                "unexpected error: {e}"
            );
            eprintln!("SKIPPED: {e}");
            None
        }
    }
}

#[test]
fn wgpu_matches_reference_on_every_kernel() {
    let Some(device) = open_wgpu() else { return };
    let fp = device.fingerprint();
    eprintln!("wgpu adapter: {fp:?}");
    assert_eq!(fp.backend_api, "Vulkan");
    let unsupported = common::check_against_reference(&device);
    let Device::Wgpu(w) = &device else {
        unreachable!()
    };
    if w.supports_shader_f16() {
        assert!(unsupported.is_empty(), "unsupported: {unsupported:?}");
    } else {
        assert_eq!(unsupported, vec![KernelKind::GemmF16]);
    }
}

#[test]
fn wgpu_int8_gemm_is_bit_exact_and_repeatable() {
    let Some(device) = open_wgpu() else { return };
    let work = Workload::gemm_i8(GemmShape::new(70, 90, 203), 99);
    let want = reference::run(&work).unwrap().digest();
    let mut prepared = device.prepare(&work).unwrap();
    for _ in 0..3 {
        prepared.launch().unwrap();
    }
    device.synchronize().unwrap();
    assert_eq!(prepared.read_output().unwrap().digest(), want);
}

#[test]
fn wgpu_lstm_repeated_launches_restart_from_zero_state() {
    let Some(device) = open_wgpu() else { return };
    let work = Workload::standard(KernelKind::LstmF32, 16, 3);
    let once = device.run(&work).unwrap();
    let t = device
        .time(
            &work,
            TimingOptions {
                warmup: 1,
                iterations: 3,
            },
        )
        .unwrap();
    assert_eq!(t.seconds.len(), 3);
    let mut prepared = device.prepare(&work).unwrap();
    prepared.launch().unwrap();
    prepared.launch().unwrap();
    assert_eq!(prepared.read_output().unwrap(), once);
}

#[test]
fn wgpu_rejects_bad_lengths_with_typed_error() {
    let Some(device) = open_wgpu() else { return };
    let err = device
        .gemm_f32(4, 4, 4, &[0.5; 16], &[0.5; 15])
        .unwrap_err();
    assert!(
        matches!(
            err,
            AccelError::InvalidShape {
                kernel: KernelKind::GemmF32,
                ..
            }
        ),
        "{err}"
    );
}
