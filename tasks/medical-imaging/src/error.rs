//! Errors of the medical-imaging task: every one names the file at fault and says what was
//! expected, and converts into the engine's [`CoreError`] at the task boundary.

use jiebang_core::CoreError;
use std::path::PathBuf;
use thiserror::Error;

/// What reading, writing or checking imaging data can fail at.
#[derive(Debug, Error)]
pub enum ImagingError {
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// A DICOM file could not be parsed or lacks what an image needs.
    #[error("{}: not a readable DICOM image: {message}", path.display())]
    Dicom {
        /// The file.
        path: PathBuf,
        /// What is wrong and what was expected.
        message: String,
    },
    /// An annotation file or an entry in it is wrong.
    #[error("{}: {message}", path.display())]
    Annotation {
        /// The annotation file.
        path: PathBuf,
        /// What is wrong (naming the study and field) and what was expected.
        message: String,
    },
    /// A compute kernel on the chosen backend failed.
    #[error("backend: {0}")]
    Backend(String),
}

impl ImagingError {
    /// A DICOM error on `path`.
    pub fn dicom(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        ImagingError::Dicom {
            path: path.into(),
            message: message.into(),
        }
    }

    /// An annotation error in `path`.
    pub fn annotation(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        ImagingError::Annotation {
            path: path.into(),
            message: message.into(),
        }
    }

    /// An IO error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        ImagingError::Io {
            path: path.into(),
            source,
        }
    }
}

impl From<ImagingError> for CoreError {
    fn from(e: ImagingError) -> Self {
        match e {
            ImagingError::Io { path, source } => CoreError::io(path, source),
            ImagingError::Dicom { path, message } => {
                CoreError::invalid(path, None, format!("not a readable DICOM image: {message}"))
            }
            ImagingError::Annotation { path, message } => CoreError::invalid(path, None, message),
            ImagingError::Backend(m) => CoreError::Backend { cause: m.into() },
        }
    }
}
