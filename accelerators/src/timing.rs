//! Fair kernel timing: inputs are uploaded once, then each iteration is one launch
//! followed by `synchronize()`, timed on the host clock; readback happens after the loop.
//! Per-iteration seconds are kept so statistics (median, spread) are computed elsewhere.

use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::backend::{Backend, PreparedKernel};
use crate::error::{AccelError, Result};
use crate::kernel::KernelKind;

/// How many iterations to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimingOptions {
    /// Untimed iterations first (shader compilation, caches, clocks).
    pub warmup: usize,
    /// Timed iterations; at least 1.
    pub iterations: usize,
}

impl Default for TimingOptions {
    fn default() -> Self {
        TimingOptions {
            warmup: 2,
            iterations: 10,
        }
    }
}

/// Measured seconds per iteration of one kernel on one device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KernelTiming {
    /// Which kernel.
    pub kernel: KernelKind,
    /// Its shape, e.g. `gemm_f32 m=64 n=64 k=64`.
    pub description: String,
    /// Arithmetic operations in one iteration.
    pub ops_per_iteration: u64,
    /// Wall-clock seconds of each timed iteration (launch + synchronize).
    pub seconds: Vec<f64>,
}

impl KernelTiming {
    /// Median seconds per iteration.
    pub fn median_seconds(&self) -> f64 {
        let mut s = self.seconds.clone();
        s.sort_by(f64::total_cmp);
        let n = s.len();
        if n == 0 {
            return f64::NAN;
        }
        if n % 2 == 1 {
            s[n / 2]
        } else {
            (s[n / 2 - 1] + s[n / 2]) / 2.0
        }
    }

    /// Fastest iteration.
    pub fn min_seconds(&self) -> f64 {
        self.seconds.iter().copied().fold(f64::INFINITY, f64::min)
    }

    /// Operations per second at the median iteration time.
    pub fn ops_per_second(&self) -> f64 {
        self.ops_per_iteration as f64 / self.median_seconds()
    }
}

/// Runs `prepared` `warmup + iterations` times, timing each launch + synchronize.
pub fn time_iterations(
    backend: &dyn Backend,
    prepared: &mut dyn PreparedKernel,
    options: TimingOptions,
) -> Result<Vec<f64>> {
    if options.iterations == 0 {
        return Err(AccelError::InvalidTiming(
            "iterations must be at least 1".into(),
        ));
    }
    backend.synchronize()?;
    for _ in 0..options.warmup {
        prepared.launch()?;
        backend.synchronize()?;
    }
    let mut seconds = Vec::with_capacity(options.iterations);
    for _ in 0..options.iterations {
        let start = Instant::now();
        prepared.launch()?;
        backend.synchronize()?;
        seconds.push(start.elapsed().as_secs_f64());
    }
    Ok(seconds)
}

/// A host stopwatch that synchronizes the device when started and before it stops, so
/// queued device work is neither counted before nor missed after.
pub struct Stopwatch<'a> {
    backend: &'a dyn Backend,
    start: Instant,
}

impl<'a> Stopwatch<'a> {
    /// Synchronizes, then starts.
    pub fn start(backend: &'a dyn Backend) -> Result<Self> {
        backend.synchronize()?;
        Ok(Stopwatch {
            backend,
            start: Instant::now(),
        })
    }

    /// Synchronizes, then returns the elapsed seconds.
    pub fn stop(self) -> Result<f64> {
        self.backend.synchronize()?;
        Ok(self.start.elapsed().as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_rate() {
        let t = KernelTiming {
            kernel: KernelKind::GemmF32,
            description: String::new(),
            ops_per_iteration: 1000,
            seconds: vec![3.0, 1.0, 2.0, 10.0],
        };
        assert_eq!(t.median_seconds(), 2.5);
        assert_eq!(t.min_seconds(), 1.0);
        assert_eq!(t.ops_per_second(), 400.0);
    }
}
