//! What a passing kit run found: per suite its dataset and sample count, per built-in system
//! the metrics it produced and those that legitimately vary from run to run (timings).

use std::fmt;

/// The kit's findings for one task.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// The direction id.
    pub direction: String,
    /// One entry per embedded suite.
    pub suites: Vec<SuiteReport>,
}

/// One suite's findings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SuiteReport {
    /// `direction/name@version`.
    pub suite: String,
    /// Samples in the generated dataset.
    pub samples: usize,
    /// The dataset id (manifest hash), the same for both generations.
    pub dataset_id: String,
    /// How many of the malformed probe answers the answer check refused.
    pub refused: usize,
    /// Probe answers tried.
    pub probes: usize,
    /// One entry per built-in system run.
    pub systems: Vec<SystemReport>,
}

/// One built-in system's findings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SystemReport {
    /// `builtin:NAME`.
    pub system: String,
    /// Metrics in its scorecard.
    pub metrics: usize,
    /// Output digests in its scorecard.
    pub digests: usize,
    /// Entries (`metrics.ID`, `digests.NAME`, `samples.ID`) that differed between two
    /// uninterrupted runs (measured times): not required to survive a resume unchanged.
    pub varying: Vec<String>,
    /// Metrics the resumed run left unmeasured, with a reason, where the uninterrupted run
    /// measured them (e.g. a time the harness could not check across two sessions).
    pub withheld_on_resume: Vec<String>,
    /// Query records kept of the log when it was cut for the resume check, and the total.
    pub resumed_after: (usize, usize),
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}: conforms", self.direction)?;
        for s in &self.suites {
            writeln!(
                f,
                "  {}: {} samples, dataset {}, {} of {} malformed answers refused",
                s.suite,
                s.samples,
                &s.dataset_id[..s.dataset_id.len().min(12)],
                s.refused,
                s.probes
            )?;
            for y in &s.systems {
                writeln!(
                    f,
                    "    {}: {} metrics, {} digests, {} vary run to run; resumed after {} of {} queries, {} withheld then",
                    y.system,
                    y.metrics,
                    y.digests,
                    y.varying.len(),
                    y.resumed_after.0,
                    y.resumed_after.1,
                    y.withheld_on_resume.len()
                )?;
                if !y.withheld_on_resume.is_empty() {
                    writeln!(
                        f,
                        "      withheld on resume: {}",
                        y.withheld_on_resume.join(", ")
                    )?;
                }
            }
        }
        Ok(())
    }
}
