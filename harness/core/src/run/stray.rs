//! Bounds on stray answers (unknown id, duplicate, late): every one is counted exactly, but only
//! the first few of each kind reach the log in full, and a flood of them ends the SUT session.
//! One [`StrayBudget`] per SUT session, shared by the load generator and the adapters' threads.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::SeqCst};

/// Stray answers of each kind (and counted or not) logged one by one per session; the rest are
/// counted and written as one summary record when the log is closed.
pub const LOGGED_PER_KIND: u64 = 20;
/// A session may always receive this many stray answers before it counts as a flood.
pub const FLOOD_MIN: u64 = 1000;
/// ...or this many per query issued in the session, whichever is more.
pub const FLOOD_PER_QUERY: u64 = 10;

/// The stray kinds, in the order of the counters.
pub(crate) const KINDS: [&str; 3] = ["unknown_id", "duplicate", "late"];

fn kind_index(kind: &str) -> usize {
    KINDS.iter().position(|k| *k == kind).unwrap_or(0)
}

/// What to do with one stray answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Admit {
    /// Log it in full.
    Log,
    /// Count it only (the first [`LOGGED_PER_KIND`] of its kind are in the log).
    Count,
    /// Count it; the session has now received more than the flood limit (returned once, with
    /// the message that ends the session).
    Flood(String),
}

/// Counters of one SUT session's stray answers and issued queries.
#[derive(Debug, Default)]
pub(crate) struct StrayBudget {
    /// Per kind and `counted`: how many arrived.
    seen: [[AtomicU64; 2]; 3],
    /// Per kind and `counted`: how many were not logged one by one and are not yet summarised.
    unlogged: [[AtomicU64; 2]; 3],
    issued: AtomicU64,
    total: AtomicU64,
    flooded: AtomicBool,
    message: std::sync::OnceLock<String>,
}

/// `max(FLOOD_MIN, FLOOD_PER_QUERY × issued)`.
pub fn flood_limit(issued: u64) -> u64 {
    FLOOD_MIN.max(FLOOD_PER_QUERY.saturating_mul(issued))
}

impl StrayBudget {
    /// Notes `n` more queries issued (the flood limit grows with them).
    pub(crate) fn issued(&self, n: u64) {
        self.issued.fetch_add(n, SeqCst);
    }

    /// Counts one stray answer of `kind` and says whether it may be logged in full.
    pub(crate) fn admit(&self, kind: &str, counted: bool) -> Admit {
        let (k, c) = (kind_index(kind), usize::from(counted));
        let n = self.seen[k][c].fetch_add(1, SeqCst);
        let total = self.total.fetch_add(1, SeqCst) + 1;
        let admit = if n < LOGGED_PER_KIND {
            Admit::Log
        } else {
            self.unlogged[k][c].fetch_add(1, SeqCst);
            Admit::Count
        };
        let issued = self.issued.load(SeqCst);
        let limit = flood_limit(issued);
        if total > limit && !self.flooded.swap(true, SeqCst) {
            let by_kind: Vec<String> = KINDS
                .iter()
                .enumerate()
                .map(|(i, name)| {
                    let n: u64 = self.seen[i].iter().map(|a| a.load(SeqCst)).sum();
                    format!("{name} {n}")
                })
                .collect();
            let message = format!(
                "the SUT flooded the harness with answers that belong to no query in flight: {total} \
                 ({}) for {issued} queries issued, more than the limit max({FLOOD_MIN}, \
                 {FLOOD_PER_QUERY} × queries) = {limit}; it was stopped (answer each query once)",
                by_kind.join(", ")
            );
            let _ = self.message.set(message.clone());
            return Admit::Flood(message);
        }
        admit
    }

    /// The flood message, once the session has been flooded.
    pub(crate) fn flooded(&self) -> Option<String> {
        if self.flooded.load(SeqCst) {
            self.message.get().cloned()
        } else {
            None
        }
    }

    /// Takes the counts not yet logged: `(kind, counted, count)` for each non-zero one.
    pub(crate) fn take_unlogged(&self) -> Vec<(&'static str, bool, u64)> {
        let mut out = Vec::new();
        for (k, name) in KINDS.iter().enumerate() {
            for c in 0..2 {
                let n = self.unlogged[k][c].swap(0, SeqCst);
                if n > 0 {
                    out.push((*name, c == 1, n));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_of_each_kind_are_logged_the_rest_counted() {
        let b = StrayBudget::default();
        b.issued(1000);
        for _ in 0..LOGGED_PER_KIND {
            assert_eq!(b.admit("duplicate", true), Admit::Log);
        }
        assert_eq!(b.admit("duplicate", true), Admit::Count);
        assert_eq!(b.admit("duplicate", false), Admit::Log);
        assert_eq!(b.admit("late", false), Admit::Log);
        assert_eq!(b.take_unlogged(), vec![("duplicate", true, 1)]);
        assert!(b.take_unlogged().is_empty());
    }

    #[test]
    fn a_flood_is_reported_once() {
        let b = StrayBudget::default();
        b.issued(5);
        assert_eq!(flood_limit(5), FLOOD_MIN);
        for _ in 0..FLOOD_MIN {
            assert!(!matches!(b.admit("unknown_id", true), Admit::Flood(_)));
        }
        assert!(b.flooded().is_none());
        let Admit::Flood(m) = b.admit("duplicate", true) else {
            panic!("no flood");
        };
        assert!(m.contains("1001") && m.contains("unknown_id 1000"), "{m}");
        assert!(!matches!(b.admit("duplicate", true), Admit::Flood(_)));
        assert_eq!(b.admit("unknown_id", true), Admit::Count);
        assert_eq!(b.flooded(), Some(m));
        assert_eq!(flood_limit(1_000), 10_000);
    }
}
