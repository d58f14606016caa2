//! Theoretical peak arithmetic rate of a device, where it can be derived from facts the
//! machine reports plus a small table of per-core FMA width; otherwise `None` with the
//! reason. Used to state what fraction of peak a measured kernel reaches.

use serde::{Deserialize, Serialize};

use crate::fingerprint::CpuInfo;

/// A peak rate in operations per second (multiply and add counted separately), or the
/// reason it is not known.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Peak {
    /// Peak operations per second, if known.
    pub ops_per_second: Option<f64>,
    /// How the figure was derived, or why it is unknown.
    pub basis: String,
}

impl Peak {
    /// A known peak.
    pub fn known(ops_per_second: f64, basis: impl Into<String>) -> Self {
        Peak {
            ops_per_second: Some(ops_per_second),
            basis: basis.into(),
        }
    }

    /// An unknown peak and why.
    pub fn unknown(reason: impl Into<String>) -> Self {
        Peak {
            ops_per_second: None,
            basis: reason.into(),
        }
    }

    /// `measured / peak` when the peak is known.
    pub fn fraction(&self, measured_ops_per_second: f64) -> Option<f64> {
        self.ops_per_second.map(|p| measured_ops_per_second / p)
    }
}

/// f32 FLOPs per cycle per core for CPUs whose FMA datapath is documented and can be
/// identified from `/proc/cpuinfo`: (FMA pipes × f32 lanes × 2).
fn f32_flops_per_cycle(info: &CpuInfo) -> Result<(u32, &'static str), String> {
    let vendor = info.vendor_id.as_deref().unwrap_or("unknown");
    let family = info.family.ok_or("cpu family not reported")?;
    let model = info.model_name.as_deref().unwrap_or("");
    match (vendor, family) {
        // Zen 5 server/desktop parts: two 512-bit FMA pipes (mobile Zen 5 is 256-bit).
        ("AuthenticAMD", 0x1A)
            if info.has_flag("avx512f")
                && (model.contains("EPYC") || model.contains("Ryzen 9")) =>
        {
            Ok((
                64,
                "Zen 5 (family 0x1A): 2 FMA pipes × 16 f32 lanes (512-bit) × 2",
            ))
        }
        // Zen 3 and Zen 4: two 256-bit FMA pipes (Zen 4 runs AVX-512 in two halves).
        ("AuthenticAMD", 0x19) if info.has_flag("fma") => Ok((
            32,
            "Zen 3/4 (family 0x19): 2 FMA pipes × 8 f32 lanes (256-bit) × 2",
        )),
        _ => Err(format!(
            "FMA pipe count per core is not reported by the CPU and not tabulated for {vendor} family {family:#x} ({model})"
        )),
    }
}

/// f32 peak of the host CPU: cores × nominal clock × FLOPs/cycle/core.
///
/// The clock is `cpu MHz` from `/proc/cpuinfo` (the nominal/TSC clock in most VMs);
/// boost clocks are not visible there, so a real core may exceed this figure.
pub fn cpu_f32_peak(info: &CpuInfo, cores: usize) -> Peak {
    let Some(mhz) = info.mhz else {
        return Peak::unknown("cpu MHz not reported in /proc/cpuinfo");
    };
    match f32_flops_per_cycle(info) {
        Ok((flops, why)) => Peak::known(
            cores as f64 * mhz * 1e6 * f64::from(flops),
            format!(
                "{cores} cores × {mhz:.0} MHz (nominal, /proc/cpuinfo) × {flops} FLOP/cycle [{why}]"
            ),
        ),
        Err(reason) => Peak::unknown(reason),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zen5_epyc_peak_from_cpuinfo() {
        let info = CpuInfo::parse(
            "processor: 0\nvendor_id: AuthenticAMD\ncpu family: 26\nmodel name: AMD EPYC\ncpu MHz: 2500.0\nflags: fma avx512f\n",
        );
        let p = cpu_f32_peak(&info, 2);
        assert_eq!(p.ops_per_second, Some(2.0 * 2500e6 * 64.0));
        assert_eq!(p.fraction(160e9), Some(0.5));
    }

    #[test]
    fn unknown_cpu_has_reason() {
        let info = CpuInfo::parse(
            "vendor_id: GenuineIntel\ncpu family: 6\ncpu MHz: 2000\nflags: fma avx512f\n",
        );
        let p = cpu_f32_peak(&info, 4);
        assert_eq!(p.ops_per_second, None);
        assert!(p.basis.contains("not tabulated"), "{}", p.basis);
    }
}
