//! WAV audio as the speech suites use it: 16 kHz mono 16-bit PCM read and written with hound,
//! every file checked (format, length) with errors naming the file.

use jiebang_core::TaskError;
use std::path::Path;

/// The sample rate every suite's audio has.
pub const SAMPLE_RATE: u32 = 16_000;
/// The longest utterance accepted, seconds.
pub const MAX_SECONDS: f64 = 60.0;

/// Mono audio, samples in [-1, 1].
#[derive(Debug, Clone, PartialEq)]
pub struct Audio {
    /// Samples per second.
    pub sample_rate: u32,
    /// The samples.
    pub samples: Vec<f32>,
}

impl Audio {
    /// Duration in seconds.
    pub fn seconds(&self) -> f64 {
        self.samples.len() as f64 / f64::from(self.sample_rate)
    }
}

/// Decodes a WAV file's bytes (`file` names it in errors): 16 kHz, mono, 16-bit integer PCM,
/// at most [`MAX_SECONDS`] long, not empty.
pub fn decode_wav(bytes: &[u8], file: &Path) -> Result<Audio, TaskError> {
    let _ = (bytes, file);
    Err(TaskError::invalid(file, "WAV decoding is not written yet"))
}

/// Encodes audio as a 16-bit PCM mono WAV file (samples clipped to [-1, 1]).
pub fn encode_wav(audio: &Audio) -> Vec<u8> {
    let _ = audio;
    Vec::new()
}
