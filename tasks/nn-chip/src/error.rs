//! Errors of the nn-chip task: every one names the dataset or suite file at fault and what was
//! expected, and converts into the engine's [`CoreError`] at the task boundary.

use jiebang_core::CoreError;
use std::path::PathBuf;
use thiserror::Error;

/// What reading, writing or checking kernel workloads can fail at.
#[derive(Debug, Error)]
pub enum NnChipError {
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// A suite or dataset file is malformed or does not fit the suite.
    #[error("{}: {message}", path.display())]
    Invalid {
        /// The file (or `<suite id>` for an embedded suite).
        path: PathBuf,
        /// What is wrong, naming the workload and field, and what was expected.
        message: String,
    },
    /// A kernel failed on the chosen backend.
    #[error("backend: {0}")]
    Backend(String),
    /// An engine error (a bounded read), which already names its file.
    #[error(transparent)]
    Core(#[from] CoreError),
}

impl NnChipError {
    /// An input error in `path`.
    pub fn invalid(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        NnChipError::Invalid {
            path: path.into(),
            message: message.into(),
        }
    }

    /// An IO error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        NnChipError::Io {
            path: path.into(),
            source,
        }
    }
}

impl From<NnChipError> for CoreError {
    fn from(e: NnChipError) -> Self {
        match e {
            NnChipError::Io { path, source } => CoreError::io(path, source),
            NnChipError::Invalid { path, message } => CoreError::invalid(path, None, message),
            NnChipError::Backend(m) => CoreError::Backend { cause: m.into() },
            NnChipError::Core(e) => e,
        }
    }
}
