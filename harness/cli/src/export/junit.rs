//! A comparison as JUnit XML for CI test reporters: one test case per metric and per output
//! digest. Every text is escaped as XML ([`crate::escape::html`]).

use super::comparison::{ci, digest_word, num, pct};
use super::{Exporter, Junit};
use anyhow::Result;
use jiebang_core::compare::{Comparison, DigestStatus, MetricStatus};
use std::fmt::Write as _;

/// Text in the JUnit XML report.
fn xml(s: &str) -> String {
    crate::escape::html(s)
}

impl Exporter<Comparison> for Junit {
    /// A test case per metric (failure = regression, skipped = not judged) and per digest
    /// (failure = changed or missing).
    fn export(&self, c: &Comparison) -> Result<String> {
        let tests = c.metrics.len() + c.digests.len();
        let failures = c.regressions().count() + c.digest_failures().count();
        let skipped = c
            .metrics
            .iter()
            .filter(|m| m.status == MetricStatus::NotJudged)
            .count()
            + c.digests
                .iter()
                .filter(|d| d.status == DigestStatus::NotRun)
                .count();
        let suite = xml(&c.suite);
        let mut o = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            o,
            "<testsuites name=\"jiebang compare\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">"
        );
        let _ = writeln!(
            o,
            "  <testsuite name=\"{suite}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">"
        );
        for m in &c.metrics {
            let detail = format!(
                "{}: baseline {} {u}, new {} {u}, ratio {} {} ({}), noise {}",
                m.status.word(),
                num(m.baseline),
                num(m.new),
                num(m.ratio),
                ci(m.ci),
                m.method,
                pct(c.noise),
                u = m.unit
            );
            let _ = write!(
                o,
                "    <testcase classname=\"{suite}.metrics\" name=\"{}\"",
                xml(&m.id)
            );
            match m.status {
                MetricStatus::Regressed => {
                    let _ = writeln!(
                        o,
                        ">\n      <failure type=\"regression\" message=\"{}\"/>\n    </testcase>",
                        xml(&detail)
                    );
                }
                MetricStatus::NotJudged => {
                    let why = match (&m.note, &m.reason) {
                        (Some(n), Some(r)) => format!("{n}: {r}"),
                        (n, r) => n.clone().or_else(|| r.clone()).unwrap_or_default(),
                    };
                    let _ = writeln!(
                        o,
                        ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                        xml(&why)
                    );
                }
                _ => {
                    let _ = writeln!(
                        o,
                        ">\n      <system-out>{}</system-out>\n    </testcase>",
                        xml(&detail)
                    );
                }
            }
        }
        for d in &c.digests {
            let _ = write!(
                o,
                "    <testcase classname=\"{suite}.digests\" name=\"{}\"",
                xml(&d.name)
            );
            match d.status {
                DigestStatus::Changed | DigestStatus::Missing => {
                    let msg = format!(
                        "output digest {}: baseline {}, new {}",
                        digest_word(d.status),
                        d.baseline.as_deref().unwrap_or("-"),
                        d.new.as_deref().unwrap_or("-")
                    );
                    let _ = writeln!(
                        o,
                        ">\n      <failure type=\"digest-mismatch\" message=\"{}\"/>\n    </testcase>",
                        xml(&msg)
                    );
                }
                DigestStatus::NotRun => {
                    let _ = writeln!(
                        o,
                        ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                        xml("only in the baseline: the new run did not run this workload")
                    );
                }
                _ => o.push_str("/>\n"),
            }
        }
        o.push_str("  </testsuite>\n</testsuites>\n");
        Ok(o)
    }
}
