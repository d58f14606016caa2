//! Criterion benches: every kernel on every backend that opens here, at a few sizes.
//! Inputs are uploaded once per benchmark (`Device::prepare`); each measured iteration
//! is one launch plus `synchronize()`, so upload and readback are not timed.
//! Backends that are unavailable are skipped with a message on stderr.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use jiebang_accel::{BackendKind, Device, KernelKind, Workload};

fn sizes(kernel: KernelKind, backend: BackendKind) -> &'static [usize] {
    // lavapipe and the CPU are slow: keep big sizes for real GPUs.
    let gpu = backend == BackendKind::Cuda;
    match (kernel, gpu) {
        (KernelKind::GemmF32 | KernelKind::GemmF16 | KernelKind::GemmI8, true) => {
            &[256, 1024, 4096]
        }
        (KernelKind::GemmF32 | KernelKind::GemmF16 | KernelKind::GemmI8, false) => &[64, 256, 512],
        (KernelKind::Conv2dF32, true) => &[64, 256, 512],
        (KernelKind::Conv2dF32, false) => &[32, 64, 128],
        (KernelKind::LstmF32 | KernelKind::RnnF32, true) => &[64, 256, 1024],
        (KernelKind::LstmF32 | KernelKind::RnnF32, false) => &[64, 128, 256],
    }
}

fn bench_backend(c: &mut Criterion, kind: BackendKind) {
    let device = match Device::open(kind) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("skipping {kind} benches: {e}");
            return;
        }
    };
    for kernel in KernelKind::ALL {
        let mut group = c.benchmark_group(format!("{kind}/{kernel}"));
        group.sample_size(10);
        for &size in sizes(kernel, kind) {
            let work = Workload::standard(kernel, size, 1);
            let mut prepared = match device.prepare(&work) {
                Ok(p) => p,
                Err(e) => {
                    eprintln!("skipping {kind}/{kernel}/{size}: {e}");
                    continue;
                }
            };
            group.throughput(Throughput::Elements(work.ops()));
            group.bench_with_input(BenchmarkId::from_parameter(size), &size, |b, _| {
                b.iter(|| {
                    prepared.launch().expect("launch");
                    device.synchronize().expect("synchronize");
                })
            });
        }
        group.finish();
    }
}

fn benches(c: &mut Criterion) {
    for kind in BackendKind::ALL {
        bench_backend(c, kind);
    }
}

criterion_group!(kernels, benches);
criterion_main!(kernels);
