//! Errors of a run: bad settings, a SUT that cannot start or dies, a log that does not match
//! the run being resumed or merged. Each message says what to do next.

use crate::CoreError;
use std::path::PathBuf;
use thiserror::Error;

/// Everything a run, a resume or a merge can refuse or fail at.
#[derive(Debug, Error)]
pub enum RunError {
    /// An engine error (suite, dataset, declaration, task).
    #[error(transparent)]
    Core(#[from] CoreError),
    /// A run setting is malformed or out of range.
    #[error("setting `{field}` ({origin}): {message}")]
    Setting {
        /// The setting's name.
        field: String,
        /// Where it came from (`--set`, `suite settings`, a flag).
        origin: String,
        /// What is wrong and what was expected.
        message: String,
    },
    /// The `--sut` specification or a SUT file cannot be used.
    #[error("--sut `{spec}`: {message}")]
    SutSpec {
        /// The specification as given.
        spec: String,
        /// What is wrong and what was expected.
        message: String,
    },
    /// A file given with `--sut-file` cannot be pinned.
    #[error("--sut-file {}: {message}", path.display())]
    SutFile {
        /// The file as given.
        path: PathBuf,
        /// What is wrong (missing, unreadable, not a regular file).
        message: String,
    },
    /// The SUT could not be started or broke the protocol before the first query.
    #[error("SUT `{sut}` did not start: {message}")]
    SutStart {
        /// The SUT's description (command line, file, built-in name).
        sut: String,
        /// What happened (with the tail of its stderr when there is one).
        message: String,
    },
    /// The SUT died, hung or closed its output during the run. The log keeps every query
    /// recorded so far, including the ones in flight (counted as crash/missing/timeout).
    #[error(
        "{message}\n  log kept: {}{}\n  {hint}",
        log.display(),
        recorded_of(*recorded, *planned)
    )]
    SutLost {
        /// What happened.
        message: String,
        /// The per-query log.
        log: PathBuf,
        /// Samples with a record in the log.
        recorded: u64,
        /// Samples the run covers.
        planned: u64,
        /// What to do next.
        hint: String,
    },
    /// The run was stopped by a signal (SIGINT, SIGTERM): nothing more was issued, the SUT was
    /// stopped, and the log keeps every query recorded so far (those in flight are not
    /// recorded, so a resume asks them again).
    #[error("interrupted; {message}")]
    Interrupted {
        /// The per-query log.
        log: PathBuf,
        /// What was kept and what to do next.
        message: String,
    },
    /// The per-query log is unreadable or does not belong to this run.
    #[error("{}{}: {message}", file.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    Log {
        /// The log file.
        file: PathBuf,
        /// 1-based line, when known.
        line: Option<usize>,
        /// What is wrong and what to do.
        message: String,
    },
    /// Something the run was asked to do is not supported in this mode or with this adapter.
    #[error("{0}")]
    Unsupported(String),
}

fn recorded_of(recorded: u64, planned: u64) -> String {
    if planned == 0 {
        String::new()
    } else {
        format!(" ({recorded} of {planned} samples recorded)")
    }
}

impl RunError {
    /// A log error.
    pub fn log(file: impl Into<PathBuf>, line: Option<usize>, message: impl Into<String>) -> Self {
        RunError::Log {
            file: file.into(),
            line,
            message: message.into(),
        }
    }

    /// A setting error.
    pub fn setting(
        field: impl Into<String>,
        origin: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        RunError::Setting {
            field: field.into(),
            origin: origin.into(),
            message: message.into(),
        }
    }

    /// An IO error on a log file.
    pub fn log_io(file: impl Into<PathBuf>, e: std::io::Error) -> Self {
        RunError::log(file, None, e.to_string())
    }
}
