//! `builtin:kernels`: runs each query's workload on the `--backend` device — upload once,
//! warm-up iterations, timed iterations (launch + synchronize; no upload, no readback), then
//! readback — and answers with the per-iteration seconds, the output digest, the probed
//! output values, the energy over the timed iterations and the device's theoretical peak.
//!
//! Two fault-injecting variants exist only to test `jiebang compare` end to end and are named
//! as such: `kernels-test-slow20` stretches every timed iteration by 20 % (busy wait), and
//! `kernels-test-bitflip` flips the lowest bit of output element 0 of the first workload only.

use crate::samples::KernelSamples;
use half::f16;
use jiebang_accel::{Device, Output, Workload};
use jiebang_core::{BackendHandle, BuiltinSystem, CoreError, SampleLibrary, TaskError, library_as};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Name used as `builtin:kernels`.
pub const KERNELS: &str = "kernels";
/// Fault injection for tests: every timed iteration takes 20 % longer.
pub const TEST_SLOW20: &str = "kernels-test-slow20";
/// Fault injection for tests: the lowest bit of output element 0 of sample 0 is flipped.
pub const TEST_BITFLIP: &str = "kernels-test-bitflip";

/// Version of the system (bump when its answers change).
pub const VERSION: &str = "1";

/// A fault the system injects on purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// None: the real system.
    None,
    /// Each timed iteration is stretched to 1.2× its measured time by a busy wait.
    Slow20,
    /// The lowest bit of output element 0 of sample 0 (one bit in the whole run) is flipped
    /// before digesting and probing.
    BitFlip,
}

impl Fault {
    /// The fault of a built-in name, or `None` for an unknown name.
    pub fn of(name: &str) -> Option<Fault> {
        match name {
            KERNELS => Some(Fault::None),
            TEST_SLOW20 => Some(Fault::Slow20),
            TEST_BITFLIP => Some(Fault::BitFlip),
            _ => None,
        }
    }
}

/// The kernel-running system bound to a sample library and a device.
pub struct KernelSystem {
    samples: Arc<dyn SampleLibrary>,
    backend: BackendHandle,
    fault: Fault,
    /// Kernels run one at a time, so concurrent queries cannot disturb each other's timing.
    busy: Mutex<()>,
}

impl KernelSystem {
    /// Creates the system; `samples` must be a [`KernelSamples`] and `backend` hold a
    /// `jiebang_accel::Device`.
    pub fn new(
        samples: Arc<dyn SampleLibrary>,
        backend: BackendHandle,
        fault: Fault,
    ) -> Result<Self, CoreError> {
        kernel_samples(samples.as_ref())?;
        Device::from_handle(&backend).map_err(TaskError::backend)?;
        Ok(KernelSystem {
            samples,
            backend,
            fault,
            busy: Mutex::new(()),
        })
    }
}

/// The nn-chip library behind `library`.
fn kernel_samples(library: &dyn SampleLibrary) -> Result<&KernelSamples, CoreError> {
    library_as(library, "builtin:kernels", "nn-chip")
}

/// What the system reads of a query (the rest describes the workload it already holds).
#[derive(Debug, Deserialize)]
struct KernelQuery {
    warmup: usize,
    iterations: usize,
    probe: Vec<usize>,
}

/// `value` of the query field `key` when at most `max`.
fn at_most(key: &str, value: usize, max: usize) -> Result<usize, String> {
    if value <= max {
        Ok(value)
    } else {
        Err(format!(
            "query `{key}`: expected an integer up to {max}, found {value}"
        ))
    }
}

fn flip_first_bit(out: &mut Output) {
    match out {
        Output::F32(v) => {
            if let Some(x) = v.first_mut() {
                *x = f32::from_bits(x.to_bits() ^ 1);
            }
        }
        Output::F16(v) => {
            if let Some(x) = v.first_mut() {
                *x = f16::from_bits(x.to_bits() ^ 1);
            }
        }
        Output::I32(v) => {
            if let Some(x) = v.first_mut() {
                *x ^= 1;
            }
        }
        Output::F64(v) => {
            if let Some(x) = v.first_mut() {
                *x = f64::from_bits(x.to_bits() ^ 1);
            }
        }
    }
}

fn probe_value(out: &Output, pos: usize) -> Result<Value, String> {
    let missing = || {
        format!(
            "probe position {pos} is outside the output ({} elements)",
            out.len()
        )
    };
    Ok(match out {
        Output::F32(v) => json!(f64::from(*v.get(pos).ok_or_else(missing)?)),
        Output::F16(v) => json!(v.get(pos).ok_or_else(missing)?.to_f64()),
        Output::I32(v) => json!(*v.get(pos).ok_or_else(missing)?),
        Output::F64(v) => json!(*v.get(pos).ok_or_else(missing)?),
    })
}

impl KernelSystem {
    fn run(
        &self,
        device: &Device,
        workload: &Workload,
        warmup: usize,
        iterations: usize,
    ) -> Result<(Vec<f64>, Output, Value, Value), String> {
        let e = |e: jiebang_accel::AccelError| e.to_string();
        let mut prepared = device.prepare(workload).map_err(e)?;
        for _ in 0..warmup {
            prepared.launch().map_err(e)?;
            device.synchronize().map_err(e)?;
        }
        let meter = device.energy_meter();
        let start = match &meter {
            Ok(m) => Some(m.sample().map_err(e)),
            Err(_) => None,
        };
        let mut seconds = Vec::with_capacity(iterations);
        for _ in 0..iterations {
            let t0 = Instant::now();
            prepared.launch().map_err(e)?;
            device.synchronize().map_err(e)?;
            if self.fault == Fault::Slow20 {
                let target = t0.elapsed().mul_f64(1.2);
                while t0.elapsed() < target {
                    std::hint::spin_loop();
                }
            }
            seconds.push(t0.elapsed().as_secs_f64());
        }
        let (energy, reason) = match (&meter, start) {
            (Err(err), _) => (Value::Null, json!(err.to_string())),
            (Ok(_), Some(Err(err))) => (Value::Null, json!(err)),
            (Ok(m), Some(Ok(s0))) => match m.sample().and_then(|s1| m.joules_between(&s0, &s1)) {
                Ok(j) => (json!(j), Value::Null),
                Err(err) => (Value::Null, json!(err.to_string())),
            },
            (Ok(_), None) => (Value::Null, json!("energy counter not sampled")),
        };
        let output = prepared.read_output().map_err(e)?;
        Ok((seconds, output, energy, reason))
    }
}

impl BuiltinSystem for KernelSystem {
    fn version(&self) -> String {
        match self.fault {
            Fault::None => VERSION.to_string(),
            Fault::Slow20 => format!("{VERSION} (TEST FAULT: iterations stretched by 20%)"),
            Fault::BitFlip => {
                format!("{VERSION} (TEST FAULT: lowest bit of sample 0's output[0] flipped)")
            }
        }
    }

    fn answer(&self, index: usize, query: &Map<String, Value>) -> Result<Value, String> {
        let samples = kernel_samples(self.samples.as_ref()).map_err(|e| e.to_string())?;
        let device = Device::from_handle(&self.backend).map_err(|e| e.to_string())?;
        let workload = samples
            .leg_of(index)
            .and_then(|(w, _)| samples.workload(w))
            .ok_or_else(|| format!("sample {index} out of range"))?;
        let q: KernelQuery = jiebang_core::answer::read(&Value::Object(query.clone()))
            .map_err(|e| format!("query: {e}"))?;
        let warmup = at_most("warmup", q.warmup, 1000)?;
        let iterations = at_most("iterations", q.iterations, 100_000)?.max(1);
        let positions = q.probe;
        let (seconds, mut output, energy, energy_reason) = {
            let _guard = self
                .busy
                .lock()
                .map_err(|_| "a previous kernel run panicked")?;
            self.run(device, workload, warmup, iterations)?
        };
        if self.fault == Fault::BitFlip && index == 0 {
            flip_first_bit(&mut output);
        }
        let probes = positions
            .iter()
            .map(|&p| probe_value(&output, p))
            .collect::<Result<Vec<_>, _>>()?;
        let peak = device.theoretical_peak(workload.kernel());
        Ok(json!({
            "seconds": seconds,
            "output_digest": output.digest(),
            "probes": probes,
            "energy_j": energy,
            "energy_reason": energy_reason,
            "peak_ops_per_second": peak.ops_per_second,
            "peak_basis": peak.basis,
        }))
    }
}
