//! Names parse and print both ways; workloads are deterministic and checked.

use jiebang_accel::{AccelError, BackendKind, Device, KernelKind, Workload};

#[test]
fn backend_kind_parses_and_displays() {
    for kind in BackendKind::ALL {
        assert_eq!(kind.to_string().parse::<BackendKind>().unwrap(), kind);
    }
    assert_eq!(" CUDA ".parse::<BackendKind>().unwrap(), BackendKind::Cuda);
    let err = "vulkan".parse::<BackendKind>().unwrap_err();
    assert!(matches!(err, AccelError::UnknownBackend(_)));
    assert!(err.to_string().contains("expected one of cpu, cuda, wgpu"));
}

#[test]
fn kernel_kind_parses_and_displays() {
    for kind in KernelKind::ALL {
        assert_eq!(kind.as_str().parse::<KernelKind>().unwrap(), kind);
    }
    assert!("gemm".parse::<KernelKind>().is_err());
}

#[test]
fn seeded_workloads_are_deterministic_and_non_zero() {
    for kind in KernelKind::ALL {
        let a = Workload::standard(kind, 12, 4);
        assert_eq!(a, Workload::standard(kind, 12, 4));
        assert_ne!(a, Workload::standard(kind, 12, 5));
        a.check().unwrap();
        assert!(a.ops() > 0);
    }
}

#[test]
fn cpu_peak_is_known_or_explained() {
    let p = Device::cpu().theoretical_peak(KernelKind::GemmF32);
    assert!(!p.basis.is_empty());
    if let Some(v) = p.ops_per_second {
        assert!(v > 1e9, "{p:?}");
    }
    assert!(
        Device::cpu()
            .theoretical_peak(KernelKind::GemmI8)
            .ops_per_second
            .is_none()
    );
}

#[test]
fn cpu_energy_is_measured_or_not_measurable() {
    match Device::cpu().energy_meter() {
        Ok(meter) => {
            let s = meter.sample().unwrap();
            let e = meter.sample().unwrap();
            assert!(meter.joules_between(&s, &e).unwrap() >= 0.0);
        }
        Err(e) => assert!(matches!(e, AccelError::EnergyNotMeasurable(_)), "{e}"),
    }
}
