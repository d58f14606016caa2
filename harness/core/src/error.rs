//! Errors of the engine. Every input error names the file, the line or field when known, and
//! what was expected, so that a user can fix the input without reading code.

use std::path::PathBuf;
use thiserror::Error;

/// Everything the engine can refuse or fail at.
#[derive(Debug, Error)]
pub enum CoreError {
    /// Reading or writing a file failed. The OS error is part of this error's text and is
    /// deliberately not also its `source()`, so that a full error chain (`{:#}`) says it once.
    #[error("{}: {cause}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        cause: std::io::Error,
    },
    /// An input file is malformed or fails validation.
    #[error("{}{}: {message}", file.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    Invalid {
        /// The file.
        file: PathBuf,
        /// 1-based line, when known.
        line: Option<usize>,
        /// What is wrong and what was expected, naming the field.
        message: String,
    },
    /// A hash does not match its pin.
    #[error("{what}: expected sha256 {expected}, found {found}")]
    HashMismatch {
        /// What was hashed (file, dataset, suite, SUT).
        what: String,
        /// The pinned hash.
        expected: String,
        /// The hash of what is there now.
        found: String,
    },
    /// A name (suite, direction, system) is not registered.
    #[error("unknown {kind} `{name}`; known: {known}")]
    Unknown {
        /// What kind of thing.
        kind: &'static str,
        /// The name given.
        name: String,
        /// The names that exist.
        known: String,
    },
    /// A compute kernel or device failed (the backend's own error, kept whole).
    #[error("backend: {cause}")]
    Backend {
        /// The backend's error. Its text is this error's text and deliberately not also its
        /// `source()`, so that a full error chain says it once.
        cause: BoxError,
    },
    /// A scorecard-level error.
    #[error(transparent)]
    Scorecard(#[from] jiebang_scorecard::ScorecardError),
    /// Anything else that stops a task or run, with its context.
    #[error("{0}")]
    Other(String),
}

impl CoreError {
    /// An input error with file, optional line and message.
    pub fn invalid(
        file: impl Into<PathBuf>,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> Self {
        CoreError::Invalid {
            file: file.into(),
            line,
            message: message.into(),
        }
    }

    /// An IO error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        CoreError::Io {
            path: path.into(),
            cause: source,
        }
    }
}

/// A boxed error of any kind.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// What a task crate can fail at, whatever its direction: every input error names the file
/// (and line when known) and what was expected; converts into [`CoreError`] without losing
/// anything.
#[derive(Debug, Error)]
pub enum TaskError {
    /// A file could not be read or written. The OS error is part of the text, not also the
    /// `source()` (see [`CoreError::Io`]).
    #[error("{}: {cause}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        cause: std::io::Error,
    },
    /// A suite, dataset or annotation file is malformed or does not fit the suite.
    #[error("{}{}: {message}", file.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    Invalid {
        /// The file.
        file: PathBuf,
        /// 1-based line, when known.
        line: Option<usize>,
        /// What is wrong, naming the field or entry, and what was expected.
        message: String,
    },
    /// A compute kernel or device failed.
    #[error("backend: {cause}")]
    Backend {
        /// The backend's error (or a message, boxed).
        cause: BoxError,
    },
    /// An engine error, which already names its file.
    #[error(transparent)]
    Core(#[from] CoreError),
}

impl TaskError {
    /// An input error in `file` (no line known).
    pub fn invalid(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        TaskError::Invalid {
            file: file.into(),
            line: None,
            message: message.into(),
        }
    }

    /// An input error at `file:line`.
    pub fn invalid_at(file: impl Into<PathBuf>, line: usize, message: impl Into<String>) -> Self {
        TaskError::Invalid {
            file: file.into(),
            line: Some(line),
            message: message.into(),
        }
    }

    /// An IO error on `path`.
    pub fn io(path: impl Into<PathBuf>, cause: std::io::Error) -> Self {
        TaskError::Io {
            path: path.into(),
            cause,
        }
    }

    /// A backend failure: the device's error, or a message.
    pub fn backend(cause: impl Into<BoxError>) -> Self {
        TaskError::Backend {
            cause: cause.into(),
        }
    }
}

impl From<TaskError> for CoreError {
    fn from(e: TaskError) -> Self {
        match e {
            TaskError::Io { path, cause } => CoreError::Io { path, cause },
            TaskError::Invalid {
                file,
                line,
                message,
            } => CoreError::Invalid {
                file,
                line,
                message,
            },
            TaskError::Backend { cause } => CoreError::Backend { cause },
            TaskError::Core(e) => e,
        }
    }
}

/// 1-based line number of byte offset `offset` in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Turns a `toml` parse error into an input error with the line it points at.
pub fn toml_error(file: impl Into<PathBuf>, text: &str, e: &toml::de::Error) -> CoreError {
    let line = e.span().map(|s| line_of(text, s.start));
    CoreError::invalid(file, line, e.message().to_string())
}

/// A TOML file being validated: turns a spanned value into an error naming the file and line.
pub(crate) struct TomlCtx<'a> {
    pub(crate) file: &'a std::path::Path,
    pub(crate) text: &'a str,
}

impl TomlCtx<'_> {
    /// An input error at `span`'s line.
    pub(crate) fn err<T>(&self, span: &toml::Spanned<T>, message: String) -> CoreError {
        CoreError::invalid(
            self.file,
            Some(line_of(self.text, span.span().start)),
            message,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_errors_convert_without_losing_anything() {
        let e: CoreError = TaskError::invalid_at("a.json", 3, "field `x`: expected 1").into();
        assert_eq!(e.to_string(), "a.json:3: field `x`: expected 1");
        assert!(matches!(e, CoreError::Invalid { line: Some(3), .. }));
        let os = std::io::Error::from(std::io::ErrorKind::NotFound);
        let e: CoreError = TaskError::io("b.bin", os).into();
        assert!(matches!(e, CoreError::Io { .. }), "{e}");
        // The backend's own error is kept, typed, not flattened into a string.
        let e: CoreError = TaskError::backend(std::fmt::Error).into();
        let CoreError::Backend { cause } = &e else {
            panic!("{e:?}")
        };
        assert!(cause.downcast_ref::<std::fmt::Error>().is_some());
        assert!(e.to_string().starts_with("backend: "), "{e}");
        let inner = CoreError::invalid("c", None, "m");
        let e: CoreError = TaskError::from(inner).into();
        assert_eq!(e.to_string(), "c: m");
    }
}
