//! Criterion benchmarks of the hot paths at moderate sizes (the 10^7 / 10^5 comparisons with
//! the Python tools live in scripts/bench/metrics.sh).

use criterion::{Criterion, criterion_group, criterion_main};
use jiebang_metrics::detection::roc_auc;
use jiebang_metrics::speech::{Normalization, Tokenization, error_rate};
use jiebang_metrics::translation::{BleuSettings, corpus_bleu};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn sentences(rng: &mut ChaCha8Rng, n: usize, len: usize) -> Vec<String> {
    let vocab: Vec<String> = (0..2000).map(|i| format!("w{i}")).collect();
    (0..n)
        .map(|_| {
            (0..len)
                .map(|_| vocab[rng.random_range(0..vocab.len())].as_str())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn mutate(rng: &mut ChaCha8Rng, s: &str) -> String {
    let mut out = Vec::new();
    for w in s.split(' ') {
        let r: f64 = rng.random();
        if r < 0.1 {
            continue; // deletion
        }
        out.push(if r < 0.2 { "x" } else { w });
    }
    out.join(" ")
}

fn benches(c: &mut Criterion) {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let labels: Vec<bool> = (0..100_000).map(|_| rng.random::<f64>() < 0.3).collect();
    let scores: Vec<f64> = labels
        .iter()
        .map(|&y| rng.random::<f64>() + if y { 0.3 } else { 0.0 })
        .collect();
    c.bench_function("roc_auc 1e5", |b| {
        b.iter(|| roc_auc(&scores, &labels).unwrap())
    });

    let refs = sentences(&mut rng, 1000, 12);
    let hyps: Vec<String> = refs.iter().map(|s| mutate(&mut rng, s)).collect();
    let r: Vec<&str> = refs.iter().map(String::as_str).collect();
    let h: Vec<&str> = hyps.iter().map(String::as_str).collect();
    c.bench_function("wer 1e3 utterances", |b| {
        b.iter(|| error_rate(&r, &h, Tokenization::Words, &Normalization::default()).unwrap())
    });

    let refs = sentences(&mut rng, 1000, 25);
    let hyps: Vec<String> = refs.iter().map(|s| mutate(&mut rng, s)).collect();
    let streams = vec![refs.clone()];
    c.bench_function("bleu 1e3 sentences", |b| {
        b.iter(|| corpus_bleu(&hyps, &streams, &BleuSettings::default()).unwrap())
    });
}

criterion_group!(metrics, benches);
criterion_main!(metrics);
