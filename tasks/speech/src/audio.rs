//! WAV audio as the speech suites use it: 16 kHz mono 16-bit PCM read and written with hound,
//! every file checked (format, length) with errors naming the file.

use jiebang_core::TaskError;
use jiebang_core::bounded;
use std::io::Cursor;
use std::path::Path;

/// The sample rate every suite's audio has.
pub const SAMPLE_RATE: u32 = 16_000;
/// The longest utterance accepted, seconds.
pub const MAX_SECONDS: f64 = 60.0;
/// The largest WAV file [`read_wav`] callers should allow: [`MAX_SECONDS`] of 16 kHz 16-bit
/// mono is 1.92 MB; the rest leaves room for extra chunks (LIST, fact) an editor may add.
pub const MAX_WAV_BYTES: u64 = 4 << 20;

/// What every error says the file should be.
const EXPECTED: &str = "expected a 16 kHz mono 16-bit PCM WAV file";

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

/// The most samples a file may hold ([`MAX_SECONDS`] at [`SAMPLE_RATE`]).
fn max_samples() -> u64 {
    (MAX_SECONDS * f64::from(SAMPLE_RATE)) as u64
}

fn refuse(file: &Path, what: impl std::fmt::Display) -> TaskError {
    TaskError::invalid(file, format!("{what}; {EXPECTED}"))
}

/// A hound error as the refusal it stands for: an early end of the bytes is a truncated file.
fn hound_refusal(file: &Path, e: hound::Error, stage: &str) -> TaskError {
    match e {
        // Reading from memory, the only input error is running out of bytes.
        hound::Error::IoError(_) => {
            refuse(file, format!("truncated WAV file (the bytes end {stage})"))
        }
        hound::Error::FormatError(why) => refuse(file, format!("malformed WAV {stage}: {why}")),
        hound::Error::Unsupported => refuse(
            file,
            "the WAV's encoding is not supported (compressed or unknown format tag)",
        ),
        other => refuse(file, format!("malformed WAV {stage}: {other}")),
    }
}

/// Decodes a WAV file's bytes (`file` names it in errors): 16 kHz, mono, 16-bit integer PCM,
/// at most [`MAX_SECONDS`] long, not empty. Samples become `s / 32768` (so [`encode_wav`]
/// gives back the same sample values). Any bytes give a value or an error, never a panic; a
/// data chunk shorter than its header says is reported as truncated.
pub fn decode_wav(bytes: &[u8], file: &Path) -> Result<Audio, TaskError> {
    if bytes.is_empty() {
        return Err(refuse(file, "the file is empty"));
    }
    if bytes.len() < 12 || &bytes[0..4] != b"RIFF" || &bytes[8..12] != b"WAVE" {
        let what = if bytes.len() < 12 && (b"RIFF".starts_with(&bytes[..bytes.len().min(4)])) {
            "truncated WAV file (shorter than the 12-byte RIFF/WAVE header)"
        } else {
            "not a RIFF/WAVE file (the first 12 bytes are not `RIFF....WAVE`)"
        };
        return Err(refuse(file, what));
    }
    let mut reader = hound::WavReader::new(Cursor::new(bytes))
        .map_err(|e| hound_refusal(file, e, "in its header"))?;
    let spec = reader.spec();
    if spec.sample_format != hound::SampleFormat::Int || spec.bits_per_sample != 16 {
        let kind = match spec.sample_format {
            hound::SampleFormat::Int => "integer",
            hound::SampleFormat::Float => "float",
        };
        return Err(refuse(
            file,
            format!("{}-bit {kind} samples", spec.bits_per_sample),
        ));
    }
    if spec.channels != 1 {
        return Err(refuse(file, format!("{} channels", spec.channels)));
    }
    if spec.sample_rate != SAMPLE_RATE {
        return Err(refuse(file, format!("sample rate {} Hz", spec.sample_rate)));
    }
    let declared = u64::from(reader.len());
    if declared == 0 {
        return Err(refuse(file, "the WAV holds no samples"));
    }
    if declared > max_samples() {
        return Err(refuse(
            file,
            format!(
                "{:.1} s of audio (the data chunk's length); at most {MAX_SECONDS} s",
                declared as f64 / f64::from(SAMPLE_RATE)
            ),
        ));
    }
    let samples = reader
        .samples::<i16>()
        .map(|s| s.map(|v| f32::from(v) / 32768.0))
        .collect::<Result<Vec<f32>, _>>()
        .map_err(|e| {
            hound_refusal(
                file,
                e,
                &format!("before the {declared} samples its data chunk announces"),
            )
        })?;
    Ok(Audio {
        sample_rate: spec.sample_rate,
        samples,
    })
}

/// Reads and decodes the WAV file at `path`, refusing anything but a regular file of at most
/// `max_bytes` bytes ([`MAX_WAV_BYTES`] suits every suite) and anything [`decode_wav`] refuses.
pub fn read_wav(path: &Path, max_bytes: u64) -> Result<Audio, TaskError> {
    let bytes = bounded::read(path, max_bytes, "a WAV file")?;
    decode_wav(&bytes, path)
}

/// The 16-bit value of a sample: `x * 32768` rounded, clipped to the i16 range (a NaN is 0).
fn to_i16(x: f32) -> i16 {
    if x.is_nan() {
        return 0;
    }
    (f64::from(x) * 32768.0)
        .round()
        .clamp(f64::from(i16::MIN), f64::from(i16::MAX)) as i16
}

/// Encodes audio as a 16-bit PCM mono WAV file at the audio's sample rate (samples clipped to
/// [-1, 1), NaN written as 0). Decoding the result gives the audio back to within 1/65536.
///
/// # Panics
/// If the audio has more than 2³¹ − 1 samples (a WAV's data chunk cannot hold them); no
/// decoded or generated utterance comes near that.
pub fn encode_wav(audio: &Audio) -> Vec<u8> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: audio.sample_rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut out = Cursor::new(Vec::with_capacity(44 + 2 * audio.samples.len()));
    let written = (|| {
        let mut writer = hound::WavWriter::new(&mut out, spec)?;
        let mut pcm = writer.get_i16_writer(audio.samples.len() as u32);
        for &x in &audio.samples {
            pcm.write_sample(to_i16(x));
        }
        pcm.flush()?;
        writer.finalize()
    })();
    written.expect("a WAV of under 2^31 samples encodes into memory");
    out.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f() -> &'static Path {
        Path::new("u0001.wav")
    }

    fn tone(len: usize) -> Audio {
        Audio {
            sample_rate: SAMPLE_RATE,
            samples: (0..len)
                .map(|i| (i as f32 * 0.05).sin() * 0.7)
                .collect::<Vec<_>>(),
        }
    }

    fn wav(spec: hound::WavSpec, n: usize) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut w = hound::WavWriter::new(&mut out, spec).unwrap();
        for i in 0..n {
            match (spec.sample_format, spec.bits_per_sample) {
                (hound::SampleFormat::Float, _) => w.write_sample(i as f32 / n as f32).unwrap(),
                (_, 8) => w.write_sample((i % 100) as i8).unwrap(),
                (_, 16) => w.write_sample((i % 1000) as i16).unwrap(),
                _ => w.write_sample(i as i32).unwrap(),
            }
        }
        w.finalize().unwrap();
        out.into_inner()
    }

    fn spec(rate: u32, channels: u16, bits: u16, format: hound::SampleFormat) -> hound::WavSpec {
        hound::WavSpec {
            channels,
            sample_rate: rate,
            bits_per_sample: bits,
            sample_format: format,
        }
    }

    fn refusal(bytes: &[u8]) -> String {
        decode_wav(bytes, f()).unwrap_err().to_string()
    }

    #[test]
    fn encode_then_decode_gives_the_samples_back() {
        let a = tone(1600);
        let bytes = encode_wav(&a);
        assert_eq!(&bytes[0..4], b"RIFF");
        assert_eq!(bytes.len(), 44 + 2 * 1600);
        let b = decode_wav(&bytes, f()).unwrap();
        assert_eq!(b.sample_rate, SAMPLE_RATE);
        assert_eq!(b.samples.len(), a.samples.len());
        for (x, y) in a.samples.iter().zip(&b.samples) {
            assert!((x - y).abs() <= 1.0 / 65536.0 + 1e-7, "{x} vs {y}");
        }
        // decoded audio encodes to the very same bytes
        assert_eq!(encode_wav(&b), bytes);
        assert!((b.seconds() - 0.1).abs() < 1e-12);
    }

    #[test]
    fn encoding_clips_to_the_sixteen_bit_range() {
        let a = Audio {
            sample_rate: SAMPLE_RATE,
            samples: vec![2.0, -2.0, 1.0, -1.0, f32::NAN, 0.5],
        };
        let b = decode_wav(&encode_wav(&a), f()).unwrap();
        assert_eq!(
            b.samples,
            vec![32767.0 / 32768.0, -1.0, 32767.0 / 32768.0, -1.0, 0.0, 0.5]
        );
    }

    #[test]
    fn wrong_rate_channels_and_encodings_are_refused_naming_the_file() {
        use hound::SampleFormat::{Float, Int};
        let cases = [
            (spec(8000, 1, 16, Int), "sample rate 8000 Hz"),
            (spec(16000, 2, 16, Int), "2 channels"),
            (spec(16000, 1, 8, Int), "8-bit integer samples"),
            (spec(16000, 1, 24, Int), "24-bit integer samples"),
            (spec(16000, 1, 32, Float), "32-bit float samples"),
        ];
        for (s, want) in cases {
            let e = refusal(&wav(s, 100));
            assert!(e.starts_with("u0001.wav: "), "{e}");
            assert!(e.contains(want), "{e} lacks {want}");
            assert!(
                e.contains("expected a 16 kHz mono 16-bit PCM WAV file"),
                "{e}"
            );
        }
    }

    #[test]
    fn empty_not_wave_silent_and_overlong_files_are_refused() {
        assert!(refusal(b"").contains("the file is empty"));
        assert!(refusal(b"ID3\x03 some mp3 bytes").contains("not a RIFF/WAVE file"));
        assert!(refusal(b"RIFF\x10\0\0\0AVI LIST").contains("not a RIFF/WAVE file"));
        let none = encode_wav(&tone(0));
        assert!(refusal(&none).contains("no samples"));
        let long = encode_wav(&tone(max_samples() as usize + 1));
        assert!(
            refusal(&long).contains("at most 60 s"),
            "{}",
            refusal(&long)
        );
        assert!(decode_wav(&encode_wav(&tone(max_samples() as usize)), f()).is_ok());
    }

    #[test]
    fn a_data_chunk_shorter_than_its_header_is_truncated() {
        let bytes = encode_wav(&tone(1000));
        let e = refusal(&bytes[..bytes.len() - 10]);
        assert!(e.contains("truncated WAV file"), "{e}");
        assert!(e.contains("1000 samples"), "{e}");
        let e = refusal(&bytes[..30]);
        assert!(e.contains("truncated WAV file"), "{e}");
        assert!(refusal(&bytes[..6]).contains("truncated"));
    }

    #[test]
    fn every_truncation_and_byte_flip_of_a_valid_file_is_an_error_or_audio_never_a_panic() {
        let bytes = encode_wav(&tone(64));
        for cut in 0..bytes.len() {
            let e = refusal(&bytes[..cut]);
            assert!(e.starts_with("u0001.wav: "), "{cut}: {e}");
        }
        for at in 0..44 {
            for v in [0u8, 1, 0x7f, 0x80, 0xff] {
                let mut b = bytes.clone();
                b[at] = v;
                if let Ok(a) = decode_wav(&b, f()) {
                    assert_eq!(a.sample_rate, SAMPLE_RATE);
                    assert!(!a.samples.is_empty() && a.samples.len() as u64 <= max_samples());
                }
            }
        }
    }

    #[test]
    fn read_wav_is_bounded_and_names_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.wav");
        std::fs::write(&p, encode_wav(&tone(500))).unwrap();
        assert_eq!(read_wav(&p, MAX_WAV_BYTES).unwrap().samples.len(), 500);
        let e = read_wav(&p, 100).unwrap_err().to_string();
        assert!(e.contains("x.wav"), "{e}");
        std::fs::write(&p, b"RIFF").unwrap();
        let e = read_wav(&p, MAX_WAV_BYTES).unwrap_err().to_string();
        assert!(e.contains("x.wav") && e.contains("truncated"), "{e}");
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(512))]
            #[test]
            fn any_bytes_decode_or_refuse(tail in proptest::collection::vec(any::<u8>(), 0..200)) {
                let mut b = b"RIFF\0\0\0\0WAVE".to_vec();
                b.extend_from_slice(&tail);
                let _ = decode_wav(&b, Path::new("p.wav"));
                let _ = decode_wav(&tail, Path::new("p.wav"));
            }

            #[test]
            fn mutated_valid_files_decode_or_refuse(
                edits in proptest::collection::vec((0usize..76, any::<u8>()), 1..6),
                cut in 0usize..80,
            ) {
                let mut b = encode_wav(&Audio { sample_rate: SAMPLE_RATE, samples: vec![0.25; 16] });
                for (at, v) in edits {
                    b[at] = v;
                }
                b.truncate(76 - cut.min(76));
                if let Ok(a) = decode_wav(&b, Path::new("p.wav")) {
                    prop_assert!(!a.samples.is_empty());
                }
            }
        }
    }
}
