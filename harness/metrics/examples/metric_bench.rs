//! Benchmark driver for scripts/bench/metrics.sh: computes one metric on the generated input
//! files and prints `{"metric", "value", "load_seconds", "compute_seconds"}` as JSON, so the
//! script can compare value, time and peak memory with the Python reference tools.
//!
//! Usage:
//!   metric_bench auc  <scores.f64> <labels.u8>
//!   metric_bench wer  <references.txt> <hypotheses.txt>
//!   metric_bench bleu <hypotheses.txt> <references.txt>
//!   metric_bench cer  <references.txt> <hypotheses.txt>   (characters; white space not scored)

use std::error::Error;
use std::fs::File;
use std::io::{BufReader, Read};
use std::time::Instant;

use jiebang_metrics::detection::roc_auc;
use jiebang_metrics::speech::{Normalization, Tokenization, error_rate};
use jiebang_metrics::translation::{BleuSettings, corpus_bleu};

/// Read little-endian f64 values without holding the raw bytes and the floats at once.
fn read_f64(path: &str) -> Result<Vec<f64>, Box<dyn Error>> {
    let file = File::open(path)?;
    let len = file.metadata()?.len() as usize;
    if !len.is_multiple_of(8) {
        return Err(format!("{path}: length {len} is not a multiple of 8").into());
    }
    let mut out = Vec::with_capacity(len / 8);
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = read_full(&mut reader, &mut buf)?;
        if n == 0 {
            break;
        }
        out.extend(
            buf[..n]
                .chunks_exact(8)
                .map(|c| f64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]])),
        );
    }
    Ok(out)
}

fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        let n = reader.read(&mut buf[filled..])?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    Ok(filled)
}

fn lines(path: &str) -> Result<String, Box<dyn Error>> {
    Ok(std::fs::read_to_string(path)?)
}

fn split_lines(text: &str) -> Vec<&str> {
    text.strip_suffix('\n')
        .unwrap_or(text)
        .split('\n')
        .collect()
}

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        return Err("usage: metric_bench auc|wer|bleu|cer <file> <file>".into());
    }
    let load_start = Instant::now();
    let (value, load, compute) = match args[1].as_str() {
        "auc" => {
            let scores = read_f64(&args[2])?;
            let labels: Vec<bool> = std::fs::read(&args[3])?
                .into_iter()
                .map(|b| b != 0)
                .collect();
            let load = load_start.elapsed().as_secs_f64();
            let t = Instant::now();
            let auc = roc_auc(&scores, &labels)?;
            (auc, load, t.elapsed().as_secs_f64())
        }
        "wer" => {
            let (r, h) = (lines(&args[2])?, lines(&args[3])?);
            let (refs, hyps) = (split_lines(&r), split_lines(&h));
            let load = load_start.elapsed().as_secs_f64();
            let t = Instant::now();
            let wer = error_rate(&refs, &hyps, Tokenization::Words, &Normalization::none())?;
            (wer.rate, load, t.elapsed().as_secs_f64())
        }
        "cer" => {
            let (r, h) = (lines(&args[2])?, lines(&args[3])?);
            let (refs, hyps) = (split_lines(&r), split_lines(&h));
            let load = load_start.elapsed().as_secs_f64();
            let t = Instant::now();
            let cer = error_rate(
                &refs,
                &hyps,
                Tokenization::Characters,
                &Normalization::none(),
            )?;
            (cer.rate, load, t.elapsed().as_secs_f64())
        }
        "bleu" => {
            let (h, r) = (lines(&args[2])?, lines(&args[3])?);
            let hyps = split_lines(&h);
            let refs = vec![split_lines(&r)];
            let load = load_start.elapsed().as_secs_f64();
            let t = Instant::now();
            let bleu = corpus_bleu(&hyps, &refs, &BleuSettings::default())?;
            (bleu.score, load, t.elapsed().as_secs_f64())
        }
        other => return Err(format!("unknown metric {other}").into()),
    };
    println!(
        "{{\"metric\": \"{}\", \"value\": {value:.17e}, \"load_seconds\": {load:.6}, \"compute_seconds\": {compute:.6}}}",
        args[1]
    );
    Ok(())
}
