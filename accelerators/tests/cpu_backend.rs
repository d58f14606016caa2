//! The CPU backend against the f64 reference, bit-exact int8 digests, and timing.

mod common;

use jiebang_accel::{
    BackendKind, Device, GemmShape, KernelKind, Output, TimingOptions, Workload, digest, reference,
};

#[test]
fn cpu_matches_reference_on_every_kernel() {
    let device = Device::open(BackendKind::Cpu).unwrap();
    let unsupported = common::check_against_reference(&device);
    assert!(
        unsupported.is_empty(),
        "cpu must run every kernel, missing {unsupported:?}"
    );
}

#[test]
fn int8_gemm_digest_is_bit_exact_with_reference() {
    let device = Device::cpu();
    let work = Workload::gemm_i8(GemmShape::new(37, 29, 131), 5);
    let got = device.run(&work).unwrap();
    let want = reference::run(&work).unwrap();
    assert_eq!(got.digest(), want.digest());
    let Output::I32(values) = got else {
        panic!("int8 GEMM returns i32")
    };
    assert_eq!(digest(&values), want.digest());
}

#[test]
fn convenience_methods_validate_lengths() {
    let device = Device::cpu();
    let err = device.gemm_f32(2, 2, 2, &[1.0; 3], &[1.0; 4]).unwrap_err();
    assert!(
        err.to_string().contains("A has 3 elements, expected 4"),
        "{err}"
    );
    assert_eq!(
        device.gemm_f32(1, 1, 2, &[1.0, 2.0], &[3.0, 4.0]).unwrap(),
        vec![11.0]
    );
}

#[test]
fn timing_reports_every_iteration() {
    let device = Device::cpu();
    let work = Workload::standard(KernelKind::GemmF32, 64, 1);
    let t = device
        .time(
            &work,
            TimingOptions {
                warmup: 1,
                iterations: 5,
            },
        )
        .unwrap();
    assert_eq!(t.seconds.len(), 5);
    assert!(t.seconds.iter().all(|s| *s > 0.0));
    assert_eq!(t.ops_per_iteration, 2 * 64 * 64 * 64);
    assert!(
        device
            .time(
                &work,
                TimingOptions {
                    warmup: 0,
                    iterations: 0
                }
            )
            .is_err()
    );
}

#[test]
fn fingerprint_names_the_cpu() {
    let fp = Device::cpu().fingerprint();
    assert_eq!(fp.backend, BackendKind::Cpu);
    assert!(fp.threads >= 1);
    if std::path::Path::new("/proc/cpuinfo").exists() {
        assert!(fp.cpu_model.is_some());
    }
}
