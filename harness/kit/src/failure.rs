//! What a failed conformance check says: which check, which suite, which system, which sample,
//! and what was expected instead of what was found.

use std::fmt;

/// The checks of the kit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Check {
    /// The suite's default dataset generates into a fresh folder.
    Generate,
    /// Two generations with the same seed give the same dataset id (manifest hash).
    DatasetId,
    /// The generated dataset's manifest verifies.
    Manifest,
    /// The dataset loads as the suite's sample library.
    Load,
    /// The suite's and the scorecard's metric and indicator ids resolve in the catalogue.
    Catalogue,
    /// The answer check refuses malformed answers, with a message.
    AnswerCheck,
    /// No query and no `hello` names a truth file or the truth folder.
    Truth,
    /// A built-in system runs through the real runner.
    Run,
    /// Scoring the same log twice gives byte-identical metric sections.
    Determinism,
    /// A run resumed after an interruption gives the uninterrupted run's metric section.
    Resume,
}

impl Check {
    /// The check's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Check::Generate => "generate",
            Check::DatasetId => "dataset id",
            Check::Manifest => "manifest",
            Check::Load => "load",
            Check::Catalogue => "catalogue",
            Check::AnswerCheck => "answer check",
            Check::Truth => "truth",
            Check::Run => "run",
            Check::Determinism => "determinism",
            Check::Resume => "resume",
        }
    }
}

/// One failed check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// Which check.
    pub check: Check,
    /// The suite (`direction/name@version`), when the check is about one.
    pub suite: Option<String>,
    /// The system (`builtin:NAME`), when the check is about a run.
    pub system: Option<String>,
    /// The sample id, when the check is about one sample.
    pub sample: Option<String>,
    /// What was expected, and what was found.
    pub message: String,
}

impl Failure {
    /// A failure of `check` with its message; locate it with the `in_*` builders.
    pub fn new(check: Check, message: impl Into<String>) -> Self {
        Failure {
            check,
            suite: None,
            system: None,
            sample: None,
            message: message.into(),
        }
    }

    /// About this suite.
    pub fn in_suite(mut self, suite: &str) -> Self {
        self.suite = Some(suite.to_string());
        self
    }

    /// About this system.
    pub fn in_system(mut self, system: &str) -> Self {
        self.system = Some(system.to_string());
        self
    }

    /// About this sample.
    pub fn at_sample(mut self, sample: &str) -> Self {
        self.sample = Some(sample.to_string());
        self
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}]", self.check.name())?;
        for (what, v) in [
            ("suite", &self.suite),
            ("system", &self.system),
            ("sample", &self.sample),
        ] {
            if let Some(v) = v {
                write!(f, " {what} {v}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

/// Every failed check of one kit run (never empty).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Failures(pub Vec<Failure>);

impl Failures {
    /// Whether some failure is of `check`.
    pub fn has(&self, check: Check) -> bool {
        self.0.iter().any(|f| f.check == check)
    }
}

impl fmt::Display for Failures {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "the task failed {} conformance check(s):", self.0.len())?;
        for x in &self.0 {
            writeln!(f, "  {x}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_names_its_place() {
        let f = Failure::new(
            Check::Truth,
            "names `truth/labels.json`; expected inputs only",
        )
        .in_suite("example/parity@1")
        .in_system("builtin:parity")
        .at_sample("s0003");
        assert_eq!(
            f.to_string(),
            "[truth] suite example/parity@1 system builtin:parity sample s0003: names `truth/labels.json`; expected inputs only"
        );
        let all = Failures(vec![f, Failure::new(Check::Load, "no samples")]);
        assert!(all.has(Check::Load) && !all.has(Check::Resume));
        assert!(
            all.to_string()
                .starts_with("the task failed 2 conformance check(s):\n  [truth]")
        );
    }
}
