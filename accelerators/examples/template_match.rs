//! Times 1:N template matching (`Device::top_k`) on one backend and prints a JSON line:
//! set-up and matching seconds, peak resident memory, and a rank-1 sanity figure.
//!
//! Usage: `template_match [--backend cpu|cuda|wgpu] [--gallery 100000] [--probes 10000]
//! [--dim 512] [--k 10] [--seed 1]`
//! Probe i is a noisy copy of gallery row i·gallery/probes, so rank-1 should be ~1.0.

use std::process::ExitCode;
use std::time::Instant;

use jiebang_accel::templates::TemplateSet;
use jiebang_accel::{BackendKind, Device};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

struct Args {
    backend: BackendKind,
    gallery: usize,
    probes: usize,
    dim: usize,
    k: usize,
    seed: u64,
}

fn parse() -> Result<Args, String> {
    let mut a = Args {
        backend: BackendKind::Cpu,
        gallery: 100_000,
        probes: 10_000,
        dim: 512,
        k: 10,
        seed: 1,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let num = |v: &str| v.parse::<usize>().map_err(|e| format!("{flag} {v:?}: {e}"));
        match flag.as_str() {
            "--backend" => a.backend = value.parse().map_err(|e| format!("{e}"))?,
            "--gallery" => a.gallery = num(&value)?,
            "--probes" => a.probes = num(&value)?,
            "--dim" => a.dim = num(&value)?,
            "--k" => a.k = num(&value)?,
            "--seed" => a.seed = num(&value)? as u64,
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    if a.gallery == 0 || a.probes > a.gallery {
        return Err("expected 1 ≤ --probes ≤ --gallery".into());
    }
    Ok(a)
}

/// The gallery and its mated probes, normalised into template sets.
fn make_sets(a: &Args) -> Result<(TemplateSet, TemplateSet), String> {
    let mut rng = ChaCha8Rng::seed_from_u64(a.seed);
    let mut gallery = TemplateSet::with_capacity(a.dim, a.gallery).map_err(|e| e.to_string())?;
    let mut probes = TemplateSet::with_capacity(a.dim, a.probes).map_err(|e| e.to_string())?;
    let mut row = vec![0.0f32; a.dim];
    let mut probe = vec![0.0f32; a.dim];
    let mut next = 0;
    for r in 0..a.gallery {
        row.iter_mut()
            .for_each(|v| *v = rng.random_range(-1.0f32..1.0));
        gallery
            .push(&row)
            .map_err(|e| format!("gallery row {r}: {e}"))?;
        if next < a.probes && r == next * a.gallery / a.probes {
            for (p, g) in probe.iter_mut().zip(&row) {
                *p = g + 0.5 * rng.random_range(-1.0f32..1.0);
            }
            probes
                .push(&probe)
                .map_err(|e| format!("probe {next}: {e}"))?;
            next += 1;
        }
    }
    Ok((gallery, probes))
}

/// Peak resident set size of this process in bytes (`VmHWM`), if readable.
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

fn run(a: &Args) -> Result<serde_json::Value, String> {
    let device = Device::open(a.backend).map_err(|e| e.to_string())?;
    let t0 = Instant::now();
    let (gallery, probes) = make_sets(a)?;
    let setup = t0.elapsed().as_secs_f64();
    let rss_before = peak_rss();
    let t1 = Instant::now();
    let top = device
        .top_k(&gallery, &probes, a.k)
        .map_err(|e| e.to_string())?;
    let seconds = t1.elapsed().as_secs_f64();
    let hits = (0..a.probes)
        .filter(|&i| top.probe(i).first().map(|c| c.index) == Some(i * a.gallery / a.probes))
        .count();
    let fp = device.fingerprint();
    Ok(serde_json::json!({
        "tool": "jiebang-accel",
        "backend": a.backend,
        "device": fp.device_name,
        "threads": fp.threads,
        "gallery": a.gallery,
        "probes": a.probes,
        "dim": a.dim,
        "k": a.k,
        "setup_seconds": setup,
        "match_seconds": seconds,
        "peak_rss_bytes_before_match": rss_before,
        "peak_rss_bytes": peak_rss(),
        "rank1": hits as f64 / a.probes as f64,
    }))
}

fn main() -> ExitCode {
    let result = parse().and_then(|a| run(&a));
    match result {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("template_match: {e}");
            ExitCode::from(2)
        }
    }
}
