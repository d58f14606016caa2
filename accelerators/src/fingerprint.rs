//! The identity of the device a run used — backend, device, vendor, API, driver and the
//! host CPU — serialised into every scorecard so results from different drivers or a
//! silent fallback (e.g. wgpu on GL instead of Vulkan) are told apart.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::backend::BackendKind;

/// Everything that identifies where a kernel ran.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// Backend of the device.
    pub backend: BackendKind,
    /// Device name (`llvmpipe (LLVM 15.0.6, 256 bits)`, `NVIDIA H100 80GB HBM3`, CPU model).
    pub device_name: String,
    /// Vendor name or numeric id as the API reports it.
    pub vendor: String,
    /// Device type (`cpu`, `discrete-gpu`, `integrated-gpu`, `virtual-gpu`, `other`).
    pub device_type: String,
    /// The API the backend talks to (`Vulkan`, `CUDA driver API`, `host`).
    pub backend_api: String,
    /// Driver name (`llvmpipe`, `libcuda`, ...).
    pub driver_name: String,
    /// Driver version or free-form driver info (`Mesa 22.3.6`, `12080`).
    pub driver_version: String,
    /// Host CPU model from `/proc/cpuinfo` (`None` where it cannot be read).
    pub cpu_model: Option<String>,
    /// Worker threads the backend uses on the host.
    pub threads: usize,
    /// Further facts, one per key (compute capability, CPU flags, library versions).
    pub details: BTreeMap<String, String>,
}

impl Fingerprint {
    /// The scorecard's backend pin: kind, device, and whatever of vendor, API, driver and
    /// device type the backend reported (empty fields are left out).
    pub fn pin(&self) -> jiebang_scorecard::BackendPin {
        let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
        jiebang_scorecard::BackendPin {
            kind: self.backend.to_string(),
            device: self.device_name.clone(),
            vendor: some(&self.vendor),
            api: some(&self.backend_api),
            driver: some(&self.driver_name),
            driver_info: some(&self.driver_version),
            device_type: some(&self.device_type),
        }
    }
}

/// The host CPU as `/proc/cpuinfo` describes it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CpuInfo {
    /// `model name` of the first processor.
    pub model_name: Option<String>,
    /// `vendor_id` of the first processor.
    pub vendor_id: Option<String>,
    /// `cpu family` (decimal).
    pub family: Option<u32>,
    /// `cpu MHz` of the first processor (the nominal clock in most VMs).
    pub mhz: Option<f64>,
    /// Processors listed.
    pub logical_cpus: usize,
    /// `flags` of the first processor.
    pub flags: Vec<String>,
    /// `cpu cores` (cores per socket) of the first processor.
    pub cores_per_socket: Option<usize>,
    /// Distinct `physical id` values (sockets).
    pub sockets: usize,
}

impl CpuInfo {
    /// Reads `/proc/cpuinfo`; an unreadable file gives an empty [`CpuInfo`].
    pub fn read() -> Self {
        std::fs::read_to_string("/proc/cpuinfo")
            .map(|text| CpuInfo::parse(&text))
            .unwrap_or_default()
    }

    /// Parses the text of `/proc/cpuinfo`.
    pub fn parse(text: &str) -> Self {
        let mut info = CpuInfo::default();
        let mut sockets = std::collections::BTreeSet::new();
        for line in text.lines() {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let (key, value) = (key.trim(), value.trim());
            match key {
                "processor" => info.logical_cpus += 1,
                "model name" if info.model_name.is_none() => {
                    info.model_name = Some(value.to_string())
                }
                "vendor_id" if info.vendor_id.is_none() => info.vendor_id = Some(value.to_string()),
                "cpu family" if info.family.is_none() => info.family = value.parse().ok(),
                "cpu MHz" if info.mhz.is_none() => info.mhz = value.parse().ok(),
                "cpu cores" if info.cores_per_socket.is_none() => {
                    info.cores_per_socket = value.parse().ok()
                }
                "physical id" => {
                    sockets.insert(value.to_string());
                }
                "flags" if info.flags.is_empty() => {
                    info.flags = value.split_whitespace().map(str::to_string).collect()
                }
                _ => {}
            }
        }
        info.sockets = sockets.len();
        info
    }

    /// Physical cores: `cpu cores` × sockets when reported, else the logical CPU count.
    pub fn physical_cores(&self) -> usize {
        match self.cores_per_socket {
            Some(c) if c > 0 => c * self.sockets.max(1),
            _ => self.logical_cpus.max(1),
        }
    }

    /// Whether the first processor lists `flag`.
    pub fn has_flag(&self, flag: &str) -> bool {
        self.flags.iter().any(|f| f == flag)
    }
}

/// Kernel release from `/proc/sys/kernel/osrelease`, if readable.
pub(crate) fn os_release() -> Option<String> {
    std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .ok()
        .map(|s| s.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_cpuinfo_fields() {
        let text = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 26\nmodel name\t: AMD EPYC\ncpu MHz\t\t: 2596.122\nflags\t\t: fpu avx2 avx512f fma\n\nprocessor\t: 1\nmodel name\t: AMD EPYC\n";
        let info = CpuInfo::parse(text);
        assert_eq!(info.logical_cpus, 2);
        assert_eq!(info.model_name.as_deref(), Some("AMD EPYC"));
        assert_eq!(info.family, Some(26));
        assert_eq!(info.mhz, Some(2596.122));
        assert!(info.has_flag("avx512f") && !info.has_flag("avx512"));
        assert_eq!(info.physical_cores(), 2);
    }

    #[test]
    fn fingerprint_round_trips_through_json() {
        let fp = Fingerprint {
            backend: BackendKind::Wgpu,
            device_name: "llvmpipe".into(),
            vendor: "0x10005".into(),
            device_type: "cpu".into(),
            backend_api: "Vulkan".into(),
            driver_name: "llvmpipe".into(),
            driver_version: "Mesa 22.3.6".into(),
            cpu_model: Some("AMD EPYC".into()),
            threads: 2,
            details: BTreeMap::new(),
        };
        let json = serde_json::to_string(&fp).unwrap();
        assert!(json.contains("\"backend\":\"wgpu\""));
        assert_eq!(serde_json::from_str::<Fingerprint>(&json).unwrap(), fp);
    }
}
