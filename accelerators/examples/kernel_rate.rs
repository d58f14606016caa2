//! Measures one kernel on one backend and prints a JSON line: median seconds per
//! iteration, achieved rate, the device's theoretical peak (if known) and fingerprint.
//!
//! Usage: `kernel_rate [--backend cpu|cuda|wgpu] [--kernel gemm_f32] [--size 1024]
//! [--warmup 3] [--iterations 20] [--seed 1] [--check]`
//! `--check` also compares the last result with the f64 reference (slow for big sizes).

use std::process::ExitCode;

use jiebang_accel::{
    BackendKind, Device, KernelKind, TimingOptions, Tolerance, Workload, reference,
};

struct Args {
    backend: BackendKind,
    kernel: KernelKind,
    size: usize,
    warmup: usize,
    iterations: usize,
    seed: u64,
    check: bool,
}

fn parse() -> Result<Args, String> {
    let mut a = Args {
        backend: BackendKind::Cpu,
        kernel: KernelKind::GemmF32,
        size: 1024,
        warmup: 3,
        iterations: 20,
        seed: 1,
        check: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "--check" {
            a.check = true;
            continue;
        }
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let num = |v: &str| v.parse::<usize>().map_err(|e| format!("{flag} {v:?}: {e}"));
        match flag.as_str() {
            "--backend" => a.backend = value.parse().map_err(|e| format!("{e}"))?,
            "--kernel" => a.kernel = value.parse().map_err(|e| format!("{e}"))?,
            "--size" => a.size = num(&value)?,
            "--warmup" => a.warmup = num(&value)?,
            "--iterations" => a.iterations = num(&value)?,
            "--seed" => a.seed = num(&value)? as u64,
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    Ok(a)
}

fn main() -> ExitCode {
    let args = match parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("kernel_rate: {e}");
            return ExitCode::from(2);
        }
    };
    let device = match Device::open(args.backend) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("kernel_rate: {e}");
            return ExitCode::from(3);
        }
    };
    let work = Workload::standard(args.kernel, args.size, args.seed);
    let options = TimingOptions {
        warmup: args.warmup,
        iterations: args.iterations,
    };
    let timing = match device.time(&work, options) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("kernel_rate: {e}");
            return ExitCode::from(4);
        }
    };
    let rate = timing.ops_per_second();
    let peak = device.theoretical_peak(args.kernel);
    let mut check = serde_json::Value::Null;
    if args.check {
        let result = device
            .run(&work)
            .and_then(|got| Ok((got, reference::run(&work)?)));
        check = match result {
            Ok((got, want)) => match got.compare(&want, Tolerance::for_kernel(args.kernel)) {
                Ok(a) => {
                    serde_json::json!({"ok": true, "rel_error": a.rel_error, "digest": got.digest()})
                }
                Err(m) => serde_json::json!({"ok": false, "mismatch": m.to_string()}),
            },
            Err(e) => serde_json::json!({"ok": false, "error": e.to_string()}),
        };
    }
    let line = serde_json::json!({
        "kernel": args.kernel,
        "backend": args.backend,
        "workload": work.describe(),
        "ops_per_iteration": timing.ops_per_iteration,
        "iterations": timing.seconds.len(),
        "median_seconds": timing.median_seconds(),
        "min_seconds": timing.min_seconds(),
        "ops_per_second": rate,
        "peak": peak,
        "fraction_of_peak": peak.fraction(rate),
        "check": check,
        "fingerprint": device.fingerprint(),
    });
    println!("{line}");
    ExitCode::SUCCESS
}
