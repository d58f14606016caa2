//! What the harness observed of each answered query, read from a run log: its issue-to-answer
//! wall time and whether another query was in flight meanwhile. Tasks check self-reported
//! times against it (`ScoreContext::observed`).

use super::log::{LogContents, LogLine, QueryRecord};
use crate::Observed;
use std::collections::BTreeMap;

/// The adapter whose "queries" are lines of a file: nothing is timed.
const UNTIMED_ADAPTER: &str = "predictions";

/// The observation of every answered sample of `log` (its last record, as scoring uses), by
/// sample index. Empty for a predictions file. Warm-up queries are not samples of the run.
pub fn of_log(log: &LogContents) -> BTreeMap<usize, Observed> {
    let mut last = BTreeMap::new();
    if log.header.sut.adapter == UNTIMED_ADAPTER {
        return last;
    }
    let mut by_session: BTreeMap<u32, Vec<&QueryRecord>> = BTreeMap::new();
    let mut startup: BTreeMap<u32, f64> = BTreeMap::new();
    for (_, line) in &log.lines {
        match line {
            LogLine::Query(q) if q.pass.as_deref() != Some("warmup") => {
                by_session.entry(q.session).or_default().push(q);
            }
            LogLine::Session(s) => {
                if let Some(secs) = s.startup_s.filter(|x| x.is_finite() && *x >= 0.0) {
                    startup.insert(s.session, secs);
                }
            }
            _ => {}
        }
    }
    // Sessions run one after another, so queries of different sessions never overlap; within
    // a session a query overlaps another when their [issue, answer) intervals intersect.
    for (session, records) in &by_session {
        let overlapped = overlap_flags(records);
        let first = records.iter().map(|r| r.issued_ns).min();
        for (i, r) in records.iter().enumerate() {
            let first_in_session = Some(r.issued_ns) == first;
            let seen = Observed {
                wall_s: r.completed_ns.saturating_sub(r.issued_ns) as f64 / 1e9,
                overlapped: overlapped[i],
                first_in_session,
                session_startup_s: if first_in_session {
                    startup.get(session).copied()
                } else {
                    None
                },
            };
            if r.outcome == "answer" {
                last.insert(r.index as usize, seen);
            } else {
                last.remove(&(r.index as usize));
            }
        }
    }
    last
}

/// For each record, whether its [issue, answer) interval intersects another record's. A sweep
/// in issue order: a record overlaps an earlier one exactly when the latest answer so far comes
/// after its issue, and the record holding that latest answer overlaps it too.
fn overlap_flags(records: &[&QueryRecord]) -> Vec<bool> {
    let mut order: Vec<usize> = (0..records.len()).collect();
    order.sort_by_key(|&i| (records[i].issued_ns, records[i].completed_ns));
    let mut flags = vec![false; records.len()];
    let mut latest_end: Option<(u64, usize)> = None;
    for &i in &order {
        let r = records[i];
        if let Some((end, j)) = latest_end
            && end > r.issued_ns
        {
            flags[i] = true;
            flags[j] = true;
        }
        if latest_end.is_none_or(|(end, _)| r.completed_ns > end) {
            latest_end = Some((r.completed_ns, i));
        }
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(index: u64, issued_ns: u64, completed_ns: u64) -> QueryRecord {
        QueryRecord {
            session: 1,
            q: index,
            index,
            sample: format!("s{index}"),
            issued_ns,
            completed_ns,
            outcome: "answer".into(),
            answer: None,
            detail: None,
            pass: None,
        }
    }

    fn overlaps(records: Vec<QueryRecord>) -> Vec<bool> {
        overlap_flags(&records.iter().collect::<Vec<_>>())
    }

    #[test]
    fn back_to_back_queries_do_not_overlap_nested_ones_do() {
        // One at a time: the next is issued when the previous is answered.
        assert_eq!(
            overlaps(vec![record(0, 0, 10), record(1, 10, 30), record(2, 30, 31)]),
            [false, false, false]
        );
        // A long query holding a short one inside it: both flagged, the third is clear.
        assert_eq!(
            overlaps(vec![
                record(0, 0, 100),
                record(1, 5, 20),
                record(2, 100, 120)
            ]),
            [true, true, false]
        );
        // A batch issued at once.
        assert_eq!(
            overlaps(vec![record(0, 0, 10), record(1, 0, 20)]),
            [true, true]
        );
    }
}
