//! `builtin:log-blob`: the built-in system. It reads the query's DICOM files, runs the LoG
//! blob detector on the `--backend` device, and answers with the case call, the case score
//! (best mark) and every mark.

use crate::detector::{DetectorConfig, LogBlobDetector};
use crate::dicom_io::read_image;
use jiebang_accel::Device;
use jiebang_core::{BackendHandle, BuiltinSystem, CoreError, TaskError};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::path::PathBuf;

/// Name used as `builtin:log-blob`.
pub const LOG_BLOB: &str = "log-blob";

/// Version of the system (bump when its answers change).
pub const LOG_BLOB_VERSION: &str = "1";

/// The LoG blob system bound to a dataset's inputs part and a device.
pub struct LogBlobSystem {
    inputs: PathBuf,
    backend: BackendHandle,
    config: DetectorConfig,
}

/// What the system reads of a query: the study's files, relative to the inputs part.
#[derive(Debug, Deserialize)]
struct StudyQuery {
    files: Vec<String>,
}

fn round(v: f64, digits: i32) -> f64 {
    let s = 10f64.powi(digits);
    (v * s).round() / s
}

impl LogBlobSystem {
    /// Creates the system reading the query's files under `inputs` (the dataset's inputs part,
    /// as a process SUT would); `backend` must hold a `jiebang_accel::Device`.
    pub fn new(
        inputs: PathBuf,
        backend: BackendHandle,
        config: DetectorConfig,
    ) -> Result<Self, CoreError> {
        Device::from_handle(&backend).map_err(TaskError::backend)?;
        Ok(LogBlobSystem {
            inputs,
            backend,
            config,
        })
    }
}

impl BuiltinSystem for LogBlobSystem {
    fn version(&self) -> String {
        format!(
            "{LOG_BLOB_VERSION} (sigmas {:?} px per 128 px, min_score {}, threshold {})",
            self.config.sigmas, self.config.min_score, self.config.threshold
        )
    }

    fn answer(&self, _index: usize, query: &Map<String, Value>) -> Result<Value, String> {
        let q: StudyQuery = jiebang_core::answer::read(&Value::Object(query.clone()))
            .map_err(|e| format!("query: {e}"))?;
        let device = Device::from_handle(&self.backend).map_err(|e| e.to_string())?;
        let detector = LogBlobDetector::new(device, self.config.clone());
        let mut marks = Vec::new();
        let mut best = 0.0f64;
        for (k, rel) in q.files.iter().enumerate() {
            let img = read_image(&self.inputs.join(rel)).map_err(|e| e.to_string())?;
            for b in detector.detect(&img).map_err(|e| e.to_string())? {
                best = best.max(b.score);
                marks.push(json!({
                    "slice": k,
                    "x": b.x,
                    "y": b.y,
                    "r": round(b.r, 3),
                    "score": round(b.score, 4),
                }));
            }
        }
        let score = round(best, 4);
        Ok(json!({
            "positive": score >= self.config.threshold,
            "score": score,
            "lesions": marks,
        }))
    }
}
