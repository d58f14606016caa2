//! The units that cross the SUT boundary: a query (an id and a sample index, as in LoadGen),
//! and how it ended (an answer, or exactly one kind of technical failure).

use serde_json::Value;

/// One query: an id unique within a SUT session, and the index of the sample it asks about.
/// The task fields of the sample were loaded before the timed path (untimed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Query {
    /// Query id: what the SUT answers with.
    pub id: u64,
    /// Sample index in the sample library.
    pub index: usize,
}

/// The kinds of technical failure attributed to a query. A failed query is scored as a wrong
/// answer, never as a right one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FailureKind {
    /// The SUT process exited or crashed with the query in flight.
    Crash,
    /// No answer within the per-query timeout.
    Timeout,
    /// The answer was not valid JSON, lacked required fields, or failed the task's check.
    Malformed,
    /// The SUT ended (or was ended) without answering.
    Missing,
}

impl FailureKind {
    /// The name used in logs and scorecards.
    pub fn as_str(self) -> &'static str {
        match self {
            FailureKind::Crash => "crash",
            FailureKind::Timeout => "timeout",
            FailureKind::Malformed => "malformed",
            FailureKind::Missing => "missing",
        }
    }

    /// Parses a log name.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "crash" => FailureKind::Crash,
            "timeout" => FailureKind::Timeout,
            "malformed" => FailureKind::Malformed,
            "missing" => FailureKind::Missing,
            _ => return None,
        })
    }
}

/// How a query ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A well-formed answer: the task fields of the SUT's result (right or wrong).
    Answer(Value),
    /// A technical failure, with what happened.
    Failed(FailureKind, String),
}

impl Outcome {
    /// A malformed answer with its reason.
    pub fn malformed(why: impl Into<String>) -> Self {
        Outcome::Failed(FailureKind::Malformed, why.into())
    }
}
