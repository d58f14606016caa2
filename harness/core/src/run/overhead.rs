//! The load generator alone, timed: one pass of a scenario against a SUT with no task, no
//! scoring and no log, as the harness-overhead benchmark measures it (compared with MLPerf
//! LoadGen's null SUT and with a bare pipe echo).

use super::log::{LogEvent, LogSink};
use super::session::{Issue, PassEnd, PassObserver, PassSpec, Plan, SlotState, Stop, run_pass};
use super::sut::{Sut, SutStart};
use super::{RunError, Scenario};
use crate::SampleLibrary;
use serde_json::{Map, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A sample library of `n` samples whose queries carry no task fields (`{"type":"query","id":N}`
/// on the wire), for overhead measurements.
pub struct EmptySamples(pub usize);

impl SampleLibrary for EmptySamples {
    fn len(&self) -> usize {
        self.0
    }
    fn sample_id(&self, index: usize) -> String {
        index.to_string()
    }
    fn query(&self, _: usize) -> Map<String, Value> {
        Map::new()
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// How a timed pass went.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PassTiming {
    /// Queries issued (all answered, or the call fails).
    pub queries: u64,
    /// Wall-clock seconds from the first issue to the last completion.
    pub duration_s: f64,
    /// Mean issue-to-completion latency, seconds.
    pub mean_latency_s: f64,
}

impl PassTiming {
    /// Queries per second.
    pub fn qps(&self) -> f64 {
        self.queries as f64 / self.duration_s
    }

    /// Wall-clock seconds per query (single-stream: the full round trip through the harness).
    pub fn per_query_s(&self) -> f64 {
        self.duration_s / self.queries as f64
    }
}

struct Quiet;
impl PassObserver for Quiet {
    fn progress(&self, _: u64, _: u64) {}
}

/// A SUT loaded with `samples` and started, ready for [`time_pass`]; ended on drop.
pub struct Started {
    sut: Arc<dyn Sut>,
    log: LogSink,
    next_id: u64,
    len: usize,
}

impl Started {
    /// Loads every sample of `samples` into `sut` and starts it (no log is written; its stderr
    /// is discarded). `max_in_flight` is what a built-in or process SUT is told.
    pub fn new(
        sut: Arc<dyn Sut>,
        samples: Arc<dyn SampleLibrary>,
        max_in_flight: usize,
    ) -> Result<Self, RunError> {
        let indices: Vec<usize> = (0..samples.len()).collect();
        sut.load(&samples, &indices)?;
        let (tx, rx) = crossbeam_channel::unbounded::<LogEvent>();
        // Drain and drop: stderr lines and stray answers are not kept.
        std::thread::spawn(move || while rx.recv().is_ok() {});
        let log = LogSink::from_sender(tx);
        sut.start(&SutStart {
            suite: "overhead/null@1".into(),
            dataset_root: std::env::temp_dir(),
            log: log.clone(),
            startup_timeout: Duration::from_secs(30),
            max_line_bytes: 1 << 20,
            max_in_flight,
            parallel: max_in_flight > 1,
            shard: None,
            fresh: true,
        })?;
        Ok(Self {
            sut,
            log,
            next_id: 0,
            len: samples.len(),
        })
    }

    /// Times one pass of `queries` queries: `single-stream` (one outstanding), `offline`
    /// (`window` outstanding) or `server` (Poisson arrivals at `rate_qps`, `window` at most).
    pub fn time_pass(
        &mut self,
        scenario: Scenario,
        queries: u64,
        window: usize,
        rate_qps: f64,
    ) -> Result<PassTiming, RunError> {
        let issue = match scenario {
            Scenario::SingleStream => Issue::Closed { window: 1 },
            Scenario::Offline => Issue::Closed { window },
            Scenario::Server => Issue::Open {
                window,
                rate_qps,
                seed: 1,
            },
        };
        let order: Arc<[usize]> = (0..self.len).collect();
        let r = run_pass(
            &self.sut,
            PassSpec {
                base_id: self.next_id,
                plan: Plan::Cycle(order),
                stop: Stop::Count(queries),
                issue,
                timeout: Duration::from_secs(60),
                max_consecutive_timeouts: 3,
                log_answers: false,
                count_strays: false,
                pass: None,
                clock: Instant::now(),
                interrupt: None,
            },
            &self.log,
            &Quiet,
        );
        self.next_id += queries;
        if r.end != PassEnd::Complete || r.queries.iter().any(|q| q.3 != SlotState::Answered) {
            return Err(RunError::Unsupported(format!(
                "the overhead pass did not complete: {:?}",
                r.end
            )));
        }
        let first = r.queries.iter().map(|q| q.1).min().unwrap_or(0);
        let last = r.queries.iter().map(|q| q.2).max().unwrap_or(0);
        let total: u64 = r.queries.iter().map(|q| q.2 - q.1).sum();
        Ok(PassTiming {
            queries,
            duration_s: (last - first) as f64 / 1e9,
            mean_latency_s: total as f64 / queries as f64 / 1e9,
        })
    }
}

impl Drop for Started {
    fn drop(&mut self) {
        let _ = self.sut.end();
    }
}
