//! Timing driver for scripts/bench/alignment.sh: aligns one generated utterance pair and
//! prints `{"words", "seconds", "hits", "substitutions", "deletions", "insertions"}` as JSON.
//!
//! Usage: align_bench <reference words> <seed>
//! The pair is that of scripts/bench/alignment_jiwer.py (same 64-bit LCG): words `w<k>` with
//! k below 5000; per reference word 4% substituted, 3% deleted, 3% preceded by an insertion.

use std::time::Instant;

use jiebang_metrics::speech::Aligner;

struct Lcg(u64);

impl Lcg {
    fn below(&mut self, k: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % k
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: align_bench <reference words> <seed>";
    let words: usize = args.get(1).and_then(|s| s.parse().ok()).expect(usage);
    let seed: u64 = args.get(2).and_then(|s| s.parse().ok()).expect(usage);
    let mut g = Lcg(seed);
    let word = |g: &mut Lcg| format!("w{}", g.below(5000));
    let reference: Vec<String> = (0..words).map(|_| word(&mut g)).collect();
    let mut hypothesis = Vec::with_capacity(words + words / 10);
    for t in &reference {
        match g.below(100) {
            0..4 => hypothesis.push(word(&mut g)),
            4..7 => {}
            7..10 => {
                hypothesis.push(word(&mut g));
                hypothesis.push(t.clone());
            }
            _ => hypothesis.push(t.clone()),
        }
    }
    let start = Instant::now();
    let c = Aligner::new().align(&reference, &hypothesis);
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{{\"words\": {words}, \"seconds\": {seconds:.4}, \"hits\": {}, \"substitutions\": {}, \"deletions\": {}, \"insertions\": {}}}",
        c.hits, c.substitutions, c.deletions, c.insertions
    );
}
