//! Latency statistics: exact percentiles with a stated definition, a summary in LoadGen's
//! conventions, and MLPerf LoadGen's early-stopping bounds for a latency percentile.
//!
//! Latencies are integer nanoseconds, as LoadGen records them.

mod early_stopping;
mod percentile;

pub use early_stopping::{
    EarlyStoppingEstimate, ServerEarlyStopping, early_stopping_estimate, server_early_stopping,
};
pub use percentile::{
    LatencySummary, PercentileMethod, latency_summary, percentile, percentile_of_sorted,
};
