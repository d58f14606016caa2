//! Shared helpers for the integration tests: the workloads every backend is checked on
//! and the comparison against the f64 reference.

#![allow(dead_code)]

use jiebang_accel::{
    AccelError, Conv2dShape, Device, GemmShape, KernelKind, RnnShape, Tolerance, Workload,
    reference,
};

/// Seeded workloads at small sizes, including shapes that are not multiples of the
/// 64×64 GEMM tile or the 64-wide workgroups, stride 2, asymmetric kernels and padding.
pub fn workloads() -> Vec<Workload> {
    let mut w = Vec::new();
    let gemms = [
        (1, 1, 1),
        (3, 5, 7),
        (64, 64, 64),
        (65, 63, 17),
        (100, 130, 70),
        (256, 256, 256),
    ];
    for (i, &(m, n, k)) in gemms.iter().enumerate() {
        let s = GemmShape::new(m, n, k);
        w.push(Workload::gemm_f32(s, 10 + i as u64));
        w.push(Workload::gemm_f16(s, 20 + i as u64));
        w.push(Workload::gemm_i8(s, 30 + i as u64));
    }
    let convs = [
        (1, 1, 5, 5, 1, 3, 3, 1, 1),
        (2, 3, 17, 13, 4, 3, 3, 1, 1),
        (1, 8, 32, 32, 16, 5, 5, 2, 2),
        (2, 4, 9, 11, 6, 1, 3, 2, 0),
        (1, 16, 64, 64, 16, 3, 3, 1, 1),
    ];
    for (
        i,
        &(batch, in_channels, height, width, out_channels, kernel_h, kernel_w, stride, padding),
    ) in convs.iter().enumerate()
    {
        let s = Conv2dShape {
            batch,
            in_channels,
            height,
            width,
            out_channels,
            kernel_h,
            kernel_w,
            stride,
            padding,
        };
        w.push(Workload::conv2d_f32(s, 40 + i as u64));
    }
    let rnns = [(1, 1, 1, 1), (5, 3, 7, 13), (8, 4, 64, 64), (3, 2, 100, 65)];
    for (i, &(seq_len, batch, input_size, hidden_size)) in rnns.iter().enumerate() {
        let s = RnnShape {
            seq_len,
            batch,
            input_size,
            hidden_size,
        };
        w.push(Workload::lstm_f32(s, 50 + i as u64));
        w.push(Workload::rnn_f32(s, 60 + i as u64));
    }
    w
}

/// Runs every workload on `device` and checks it against the reference. A kernel the
/// device reports as unsupported is listed in the return value (and must be a typed
/// `Unsupported` error); any other error or any mismatch fails the test.
pub fn check_against_reference(device: &Device) -> Vec<KernelKind> {
    let mut unsupported = Vec::new();
    for work in workloads() {
        let want = reference::run(&work).expect("reference runs");
        match device.run(&work) {
            Ok(got) => {
                let tol = Tolerance::for_kernel(work.kernel());
                if let Err(e) = got.compare(&want, tol) {
                    panic!("{} on {}: {e}", work.describe(), device.kind());
                }
            }
            Err(AccelError::Unsupported { kernel, .. }) => {
                assert_eq!(kernel, work.kernel());
                if !unsupported.contains(&kernel) {
                    unsupported.push(kernel);
                }
            }
            Err(e) => panic!("{} on {}: {e}", work.describe(), device.kind()),
        }
    }
    unsupported
}
