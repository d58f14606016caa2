//! Peak heap of aligning one 10⁵-word utterance at about 10% WER, measured with a counting
//! global allocator: the alignment must stay linear in memory (under 100 MB).

use jiebang_metrics::speech::Aligner;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The system allocator, counting the bytes live now and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    let now = LIVE.fetch_add(bytes, Ordering::SeqCst) + bytes;
    PEAK.fetch_max(now, Ordering::SeqCst);
}

// A global allocator can only be written with `unsafe`; each call forwards to `System`.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::SeqCst);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::SeqCst);
            grew(new_size);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// 64-bit LCG (the one of scripts/golden/gen_speech_alignment.py).
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

#[test]
fn a_long_utterance_aligns_in_linear_memory() {
    const WORDS: usize = 100_000;
    let mut g = Lcg(14);
    let word = |g: &mut Lcg| format!("w{}", g.below(5000));
    let reference: Vec<String> = (0..WORDS).map(|_| word(&mut g)).collect();
    let mut hypothesis = Vec::with_capacity(WORDS + WORDS / 10);
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
    let before = LIVE.load(Ordering::SeqCst);
    PEAK.store(before, Ordering::SeqCst);
    let counts = Aligner::new().align(&reference, &hypothesis);
    let peak = PEAK.load(Ordering::SeqCst) - before;
    eprintln!("peak heap of the alignment: {peak} bytes; counts {counts:?}");
    assert!(peak < 100_000_000, "peak {peak} bytes");
    assert_eq!(counts.reference_len(), WORDS as u64);
    assert_eq!(counts.hypothesis_len(), hypothesis.len() as u64);
    let wer = counts.errors() as f64 / WORDS as f64;
    assert!((0.05..0.15).contains(&wer), "WER {wer}");
}
