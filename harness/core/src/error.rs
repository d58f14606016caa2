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
        /// The file (or a pseudo-path like `<embedded suite x>`).
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
