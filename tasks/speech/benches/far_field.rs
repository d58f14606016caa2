//! Far-field simulation throughput: seconds of audio per second of wall time for the
//! far-field scenario's work per utterance (seeded 5 m room, image-source impulse response,
//! FFT convolution, pink noise at 10 dB), single-threaded and with rayon over utterances.
//!   cargo bench -p jiebang-speech --bench far_field [-- UTTERANCES SECONDS]
//! (defaults 48 utterances of 3 s, figures in docs/PERFORMANCE.md).

use jiebang_speech::audio::{Audio, SAMPLE_RATE};
use jiebang_speech::dsp::noise::{NoiseKind, mix_at_snr, noise};
use jiebang_speech::dsp::room::{Room, reverberate};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use std::time::Instant;

/// A speech-like test signal: a 150 Hz harmonic series under a 4 Hz syllable envelope.
fn utterance(seconds: f64, seed: u64) -> Audio {
    let n = (seconds * f64::from(SAMPLE_RATE)) as usize;
    let f0 = 120.0 + (seed % 7) as f32 * 10.0;
    let samples = (0..n)
        .map(|i| {
            let t = i as f32 / SAMPLE_RATE as f32;
            let env = (std::f32::consts::PI * 4.0 * t).sin().abs();
            let voice: f32 = (1..8)
                .map(|h| (std::f32::consts::TAU * f0 * h as f32 * t).sin() / h as f32)
                .sum();
            0.3 * env * voice
        })
        .collect();
    Audio {
        sample_rate: SAMPLE_RATE,
        samples,
    }
}

/// The far-field scenario's work on one utterance; returns (IR seconds, total seconds).
fn far_field(audio: &Audio, seed: u64) -> (f64, f64) {
    let start = Instant::now();
    let room = Room::far_field(5.0, seed);
    let ir_start = Instant::now();
    let ir = room.impulse_response(audio.sample_rate);
    let ir_s = ir_start.elapsed().as_secs_f64();
    std::hint::black_box(&ir);
    let wet = reverberate(audio, &room);
    let n = noise(
        NoiseKind::Pink,
        wet.samples.len(),
        &mut ChaCha8Rng::seed_from_u64(seed),
    );
    std::hint::black_box(mix_at_snr(&wet.samples, &n, 10.0));
    (ir_s, start.elapsed().as_secs_f64())
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let count: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(48);
    let seconds: f64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(3.0);
    let inputs: Vec<Audio> = (0..count as u64).map(|s| utterance(seconds, s)).collect();
    let audio_s = count as f64 * seconds;
    far_field(&inputs[0], 0); // warm up (FFT plans, page faults)

    let start = Instant::now();
    let (mut ir_s, mut total_s) = (0.0, 0.0);
    for (i, a) in inputs.iter().enumerate() {
        let (ir, total) = far_field(a, i as u64);
        ir_s += ir;
        total_s += total;
    }
    let single = start.elapsed().as_secs_f64();
    println!(
        "single-threaded: {count} utterances x {seconds} s = {audio_s} s of audio in {single:.3} s: {:.1} s of audio per second ({:.1} ms per utterance, {:.0}% of it the impulse response)",
        audio_s / single,
        1000.0 * single / count as f64,
        100.0 * ir_s / total_s
    );

    let threads = rayon::current_num_threads();
    let start = Instant::now();
    inputs.par_iter().enumerate().for_each(|(i, a)| {
        far_field(a, i as u64);
    });
    let parallel = start.elapsed().as_secs_f64();
    println!(
        "rayon, {threads} threads: {audio_s} s of audio in {parallel:.3} s: {:.1} s of audio per second ({:.2}x)",
        audio_s / parallel,
        single / parallel
    );
}
