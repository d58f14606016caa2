//! Golden tests: alignment counts H/S/D/I vs jiwer 4 (RapidFuzz 3.14) on token pairs short and
//! long, including pairs RapidFuzz splits with Hirschberg's algorithm; the sequences are
//! regenerated from each case's seed (fixture from scripts/golden/gen_speech_alignment.py).

mod common;
use common::{cases, int};
use jiebang_metrics::speech::{Aligner, EditCounts};
use serde_json::Value;

/// The LCG of gen_speech_alignment.py.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, k: u64) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % k) as u32
    }
}

fn edited_pair(c: &Value) -> (Vec<u32>, Vec<u32>) {
    let mut g = Lcg(int(c, "seed"));
    let v = int(c, "vocabulary");
    let reference: Vec<u32> = (0..int(c, "n")).map(|_| g.below(v)).collect();
    let (sub, del, ins) = (int(c, "sub_pm"), int(c, "del_pm"), int(c, "ins_pm"));
    let (burst_pm, burst_len) = (int(c, "burst_pm"), int(c, "burst_len"));
    let mut hypothesis = Vec::new();
    let mut burst = 0;
    for &t in &reference {
        if burst == 0 && burst_pm > 0 && u64::from(g.below(1000)) < burst_pm {
            burst = burst_len;
        }
        let op = if burst > 0 {
            burst -= 1;
            g.below(3)
        } else {
            match u64::from(g.below(1000)) {
                r if r < sub => 0,
                r if r < sub + del => 1,
                r if r < sub + del + ins => 2,
                _ => 3,
            }
        };
        match op {
            0 => hypothesis.push(g.below(v)),
            1 => {}
            2 => {
                hypothesis.push(g.below(v));
                hypothesis.push(t);
            }
            _ => hypothesis.push(t),
        }
    }
    (reference, hypothesis)
}

fn independent_pair(c: &Value) -> (Vec<u32>, Vec<u32>) {
    let mut g = Lcg(int(c, "seed"));
    let v = int(c, "vocabulary");
    let reference = (0..int(c, "n")).map(|_| g.below(v)).collect();
    let hypothesis = (0..int(c, "m")).map(|_| g.below(v)).collect();
    (reference, hypothesis)
}

/// `B + [v]` against `[v + 1] * m + B + [v + 2]` (head_pair of the generator).
fn head_pair(c: &Value) -> (Vec<u32>, Vec<u32>) {
    let mut g = Lcg(int(c, "seed"));
    let v = int(c, "vocabulary");
    let body: Vec<u32> = (0..int(c, "n")).map(|_| g.below(v)).collect();
    let v = v as u32;
    let reference = [body.as_slice(), &[v]].concat();
    let head = vec![v + 1; int(c, "m") as usize];
    let hypothesis = [head.as_slice(), &body, &[v + 2]].concat();
    (reference, hypothesis)
}

fn expected(c: &Value) -> EditCounts {
    EditCounts {
        hits: int(c, "hits"),
        substitutions: int(c, "substitutions"),
        deletions: int(c, "deletions"),
        insertions: int(c, "insertions"),
    }
}

fn check(filter: impl Fn(&Value) -> bool) -> usize {
    let mut aligner = Aligner::new();
    let mut failures = Vec::new();
    let mut checked = 0;
    for c in cases("speech_alignment").iter().filter(|c| filter(c)) {
        let (r, h) = match c["kind"].as_str().unwrap() {
            "edited" => edited_pair(c),
            "head" => head_pair(c),
            _ => independent_pair(c),
        };
        let got = aligner.align(&r, &h);
        if got != expected(c) {
            failures.push(format!(
                "{} ({}x{}): got {got:?}, jiwer {:?}",
                c["name"],
                r.len(),
                h.len(),
                expected(c)
            ));
        }
        checked += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    checked
}

#[test]
fn counts_match_jiwer_where_rapidfuzz_uses_the_full_matrix() {
    let n = check(|c| !c["rapidfuzz_hirschberg"].as_bool().unwrap());
    assert!(n >= 150, "{n} cases");
}

#[test]
fn counts_match_jiwer_where_rapidfuzz_uses_hirschberg() {
    let n = check(|c| c["rapidfuzz_hirschberg"].as_bool().unwrap());
    assert!(n >= 15, "{n} cases");
}
