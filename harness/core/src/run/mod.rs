//! Runs: SUT adapters behind one boundary, the load generator (accuracy, single-stream,
//! offline, server), the append-only per-query log with resume, shard merging, and the
//! scorecard a run produces, and the server scenario's peak search. `jiebang run` and `jiebang merge` are thin layers over this.

mod card;
mod error;
pub mod log;
mod merge;
pub mod observed;
pub mod overhead;
pub mod peak;
mod perf;
mod query;
mod runner;
mod session;
mod settings;
mod stray;
pub mod sut;

pub use card::ScorecardInputs;
pub use error::RunError;
pub use log::{LogContents, LogHeader, LogSink, LogTally, read_log};
pub use merge::read_shard_logs;
pub use perf::{MAX_LATENCY_SAMPLES, latency_metric_id};
pub use query::{FailureKind, Outcome, Query};
pub use runner::{
    RunInputs, RunObserver, RunReport, Silent, dataset_pin, now_rfc3339, run, score_logs,
    sut_identity,
};
pub use session::Completer;
pub use settings::{
    Effective, Mode, RunSettings, SANDBOX_SETTINGS, SETTINGS, SandboxLimits, Scenario, SettingSpec,
    Shard,
};
pub use stray::{FLOOD_MIN, FLOOD_PER_QUERY, LOGGED_PER_KIND, flood_limit};
pub use sut::{Sandbox, Sut, SutSpec};
