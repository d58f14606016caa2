//! Energy counters: Linux powercap RAPL (`/sys/class/powercap/intel-rapl:N/energy_uj`,
//! package domains, also exposed for AMD CPUs) on the CPU and NVML's total-energy counter
//! on NVIDIA GPUs. Where neither is readable the result is a typed "not measurable"
//! error with the reason; energy is never estimated.

use std::path::{Path, PathBuf};

use crate::error::{AccelError, Result};

/// Where an [`EnergyMeter`] reads from.
#[derive(Debug)]
enum Source {
    /// Package-level RAPL domains: (energy_uj path, max_energy_range_uj).
    Rapl(Vec<(PathBuf, u64)>),
    /// NVML device with this UUID.
    Nvml {
        nvml: Box<nvml_wrapper::Nvml>,
        uuid: String,
    },
}

/// A cumulative energy counter for one device.
#[derive(Debug)]
pub struct EnergyMeter {
    source: Source,
}

/// One reading of an [`EnergyMeter`]; subtract two with [`EnergyMeter::joules_between`].
#[derive(Debug, Clone, PartialEq)]
pub struct EnergySample {
    /// Raw counters (µJ per RAPL domain, or mJ for NVML).
    raw: Vec<u64>,
}

fn not_measurable(reason: impl Into<String>) -> AccelError {
    AccelError::EnergyNotMeasurable(reason.into())
}

impl EnergyMeter {
    /// Opens the RAPL package domains under `/sys/class/powercap`.
    pub fn rapl() -> Result<Self> {
        Self::rapl_at(Path::new("/sys/class/powercap"))
    }

    /// Opens the RAPL package domains under `root` (a powercap directory).
    pub fn rapl_at(root: &Path) -> Result<Self> {
        let entries = std::fs::read_dir(root).map_err(|e| {
            not_measurable(format!(
                "{} unreadable: {e} (no powercap/RAPL driver, common in VMs)",
                root.display()
            ))
        })?;
        let mut domains = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            // Package domains are intel-rapl:N; sub-domains intel-rapl:N:M are inside them.
            let is_package = name
                .strip_prefix("intel-rapl:")
                .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit()));
            if !is_package {
                continue;
            }
            let dir = entry.path();
            let energy = dir.join("energy_uj");
            read_u64(&energy).map_err(|e| {
                not_measurable(format!(
                    "{}: {e} (reading RAPL usually needs root)",
                    energy.display()
                ))
            })?;
            let range = read_u64(&dir.join("max_energy_range_uj")).unwrap_or(u64::MAX);
            domains.push((energy, range));
        }
        if domains.is_empty() {
            return Err(not_measurable(format!(
                "no intel-rapl:N package domain under {}",
                root.display()
            )));
        }
        domains.sort();
        Ok(EnergyMeter {
            source: Source::Rapl(domains),
        })
    }

    /// Opens NVML's energy counter of the GPU with this UUID (`GPU-…`).
    pub fn nvml(uuid: &str) -> Result<Self> {
        let nvml = std::panic::catch_unwind(nvml_wrapper::Nvml::init)
            .map_err(|_| not_measurable("NVML panicked while loading"))?
            .map_err(|e| not_measurable(format!("NVML unavailable: {e}")))?;
        {
            let device = nvml
                .device_by_uuid(uuid)
                .map_err(|e| not_measurable(format!("NVML has no device {uuid}: {e}")))?;
            device.total_energy_consumption().map_err(|e| {
                not_measurable(format!("NVML energy counter unreadable on {uuid}: {e}"))
            })?;
        }
        Ok(EnergyMeter {
            source: Source::Nvml {
                nvml: Box::new(nvml),
                uuid: uuid.to_string(),
            },
        })
    }

    /// What the meter reads, for reports.
    pub fn description(&self) -> String {
        match &self.source {
            Source::Rapl(d) => format!("RAPL package energy ({} domain(s))", d.len()),
            Source::Nvml { uuid, .. } => format!("NVML total energy of {uuid}"),
        }
    }

    /// Reads the counters now.
    pub fn sample(&self) -> Result<EnergySample> {
        match &self.source {
            Source::Rapl(domains) => {
                let raw = domains
                    .iter()
                    .map(|(p, _)| {
                        read_u64(p).map_err(|e| not_measurable(format!("{}: {e}", p.display())))
                    })
                    .collect::<Result<Vec<_>>>()?;
                Ok(EnergySample { raw })
            }
            Source::Nvml { nvml, uuid } => {
                let mj = nvml
                    .device_by_uuid(uuid.as_str())
                    .and_then(|d| d.total_energy_consumption())
                    .map_err(|e| not_measurable(format!("NVML energy read failed: {e}")))?;
                Ok(EnergySample { raw: vec![mj] })
            }
        }
    }

    /// Joules consumed between two samples (RAPL counters that wrapped once are unwrapped
    /// with `max_energy_range_uj`).
    pub fn joules_between(&self, start: &EnergySample, end: &EnergySample) -> Result<f64> {
        match &self.source {
            Source::Rapl(domains) => {
                if start.raw.len() != domains.len() || end.raw.len() != domains.len() {
                    return Err(not_measurable("samples come from a different meter"));
                }
                let mut uj = 0u128;
                for ((s, e), (_, range)) in start.raw.iter().zip(&end.raw).zip(domains) {
                    uj += if e >= s {
                        u128::from(e - s)
                    } else {
                        u128::from(*range) - u128::from(*s) + u128::from(*e)
                    };
                }
                Ok(uj as f64 * 1e-6)
            }
            Source::Nvml { .. } => match (start.raw.first(), end.raw.first()) {
                (Some(s), Some(e)) if e >= s => Ok((e - s) as f64 * 1e-3),
                _ => Err(not_measurable(
                    "NVML energy counter went backwards (driver reloaded?)",
                )),
            },
        }
    }
}

fn read_u64(path: &Path) -> std::io::Result<u64> {
    let text = std::fs::read_to_string(path)?;
    text.trim()
        .parse()
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, format!("{text:?}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rapl_reads_package_domains_and_unwraps_counter() {
        let dir = tempfile::tempdir().unwrap();
        let pkg = dir.path().join("intel-rapl:0");
        let sub = dir.path().join("intel-rapl:0:0");
        std::fs::create_dir_all(&pkg).unwrap();
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(pkg.join("energy_uj"), "999000000\n").unwrap();
        std::fs::write(pkg.join("max_energy_range_uj"), "1000000000\n").unwrap();
        std::fs::write(sub.join("energy_uj"), "5\n").unwrap();
        let meter = EnergyMeter::rapl_at(dir.path()).unwrap();
        let start = meter.sample().unwrap();
        std::fs::write(pkg.join("energy_uj"), "1000000\n").unwrap();
        let end = meter.sample().unwrap();
        // 1 J to the wrap point plus 1 J after it.
        assert!((meter.joules_between(&start, &end).unwrap() - 2.0).abs() < 1e-9);
    }

    #[test]
    fn missing_powercap_is_not_measurable() {
        let dir = tempfile::tempdir().unwrap();
        let err = EnergyMeter::rapl_at(&dir.path().join("absent")).unwrap_err();
        assert!(matches!(err, AccelError::EnergyNotMeasurable(_)), "{err}");
        let err = EnergyMeter::rapl_at(dir.path()).unwrap_err();
        assert!(err.to_string().contains("no intel-rapl"), "{err}");
    }
}
