//! The built-in recogniser's quality on the committed corpus: CER (Mandarin) or WER (English)
//! per audio variant, with white noise at 10 dB, and the suites' noisy and 5 m far-field
//! conditions (noise here seeded by sentence, not by suite); recognition time per utterance.
//!
//! `cargo run -p jiebang-speech --release --example recognizer_quality [-- --gemm] [-- --verbose]`

use jiebang_accel::Device;
use jiebang_metrics::speech::{CerSpaces, Normalization, Tokenization, WordSplit, error_rate};
use jiebang_speech::audio::{Audio, decode_wav};
use jiebang_speech::corpus;
use jiebang_speech::dsp::noise::{NoiseKind, mix_at_snr, noise};
use jiebang_speech::dsp::room::{Room, reverberate};
use jiebang_speech::recognizer::{Language, Recognizer};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::path::Path;
use std::time::Instant;

/// One row of the table: a variant, optionally through a 5 m room, optionally with noise.
struct Condition {
    variant: String,
    room: bool,
    noise: Option<(NoiseKind, f64)>,
}

impl Condition {
    fn label(&self) -> String {
        let mut label = self.variant.clone();
        if self.room {
            label.push_str(" + room 5 m");
        }
        if let Some((kind, snr)) = self.noise {
            let kind = format!("{kind:?}").to_lowercase();
            label.push_str(&format!(" + {kind} {snr} dB"));
        }
        label
    }

    /// The condition's audio of one sentence (`index` seeds the room and the noise).
    fn audio(&self, lang: &str, sid: &str, index: u64) -> Result<Audio, String> {
        let rel = corpus::audio_path(lang, sid, &self.variant);
        let bytes = corpus::file(&rel).ok_or(format!("{rel}: not embedded"))?;
        let mut audio = decode_wav(bytes, Path::new(&rel)).map_err(|e| e.to_string())?;
        if self.room {
            audio = reverberate(&audio, &Room::far_field(5.0, index));
        }
        if let Some((kind, snr)) = self.noise {
            let mut rng = ChaCha8Rng::seed_from_u64(1_000 + index);
            let n = noise(kind, audio.samples.len(), &mut rng);
            audio.samples = mix_at_snr(&audio.samples, &n, snr);
        }
        Ok(audio)
    }
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let device = args.iter().any(|a| a == "--gemm").then(Device::cpu);
    let verbose = args.iter().any(|a| a == "--verbose");
    println!(
        "distances: {}",
        if device.is_some() {
            "GEMM on the CPU device"
        } else {
            "host loops"
        }
    );
    println!(
        "| language | condition | utterances | CER/WER | accuracy | sentences right | ms/utterance |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|");
    for (language, lang, tokenization) in [
        (Language::Mandarin, "zh", Tokenization::Characters),
        (Language::English, "en", Tokenization::Words),
    ] {
        let started = Instant::now();
        let recognizer = Recognizer::new(language)?;
        eprintln!(
            "{lang}: model built in {:.0} ms",
            started.elapsed().as_secs_f64() * 1e3
        );
        let row = |variant: &str, room: bool, noise: Option<(NoiseKind, f64)>| Condition {
            variant: variant.into(),
            room,
            noise,
        };
        let mut conditions: Vec<Condition> = corpus::variants(lang)
            .iter()
            .map(|v| row(v, false, None))
            .collect();
        conditions.push(row("a", false, Some((NoiseKind::White, 10.0))));
        conditions.push(row("a", false, Some((NoiseKind::Pink, 10.0))));
        if language == Language::Mandarin {
            conditions.push(row("b", false, Some((NoiseKind::White, 5.0))));
            for variant in ["a", "b", "c"] {
                for snr in [20.0, 10.0] {
                    conditions.push(row(variant, true, Some((NoiseKind::Pink, snr))));
                }
            }
        }
        let sentences = corpus::sentences(lang);
        for condition in &conditions {
            let (mut refs, mut hyps) = (Vec::new(), Vec::new());
            let mut seconds = 0.0;
            for (i, s) in sentences.iter().enumerate() {
                let audio = condition.audio(lang, &s.sid, i as u64)?;
                let started = Instant::now();
                let hyp = recognizer.recognize_with(&audio, device.as_ref());
                seconds += started.elapsed().as_secs_f64();
                if verbose && hyp != s.text {
                    eprintln!(
                        "{} {}: {:?} heard as {:?}",
                        s.sid,
                        condition.label(),
                        s.text,
                        hyp
                    );
                }
                refs.push(s.text.as_str());
                hyps.push(hyp);
            }
            let right = refs
                .iter()
                .zip(&hyps)
                .filter(|(r, h)| **r == h.as_str())
                .count();
            let hyps: Vec<&str> = hyps.iter().map(String::as_str).collect();
            // As the suites score: Mandarin CER does not score spaces.
            let n =
                Normalization::default().with_conventions(WordSplit::AsciiSpace, CerSpaces::Skip);
            let rate = error_rate(&refs, &hyps, tokenization, &n).map_err(|e| e.to_string())?;
            println!(
                "| {lang} | {} | {} | {:.3} | {:.3} | {right}/{} | {:.1} |",
                condition.label(),
                refs.len(),
                rate.rate,
                rate.accuracy(),
                refs.len(),
                seconds * 1e3 / refs.len() as f64
            );
        }
    }
    distance_timing()
}

/// Seconds per utterance of the local-distance stage (features included) on the Mandarin
/// variant-a audio, host loops against one GEMM on the CPU device (best of five passes).
fn distance_timing() -> Result<(), String> {
    let recognizer = Recognizer::new(Language::Mandarin)?;
    let plain = Condition {
        variant: "a".into(),
        room: false,
        noise: None,
    };
    let audio = corpus::sentences("zh")
        .iter()
        .enumerate()
        .map(|(i, s)| plain.audio("zh", &s.sid, i as u64))
        .collect::<Result<Vec<_>, _>>()?;
    let device = Device::cpu();
    for (name, device) in [("host loops", None), ("GEMM (CPU device)", Some(&device))] {
        let mut best = f64::INFINITY;
        for _ in 0..5 {
            let started = Instant::now();
            for a in &audio {
                std::hint::black_box(recognizer.local_distances(a, device));
            }
            best = best.min(started.elapsed().as_secs_f64() / audio.len() as f64);
        }
        println!("local distances, {name}: {:.2} ms/utterance", best * 1e3);
    }
    Ok(())
}
