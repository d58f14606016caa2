//! `jiebang verify`: checks a scorecard's bytes, id and signature, and — when the files are at
//! hand — that the suite, dataset and SUT files it pins are still the ones that were run.

use crate::context::Registry;
use anyhow::{Context as _, Result};
use jiebang_core::{Dataset, SuiteSpec, sha256_file};
use jiebang_scorecard::{PublicKey, Scorecard, SignatureCheck, verify_bytes};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Arguments of `jiebang verify`.
#[derive(clap::Args)]
pub struct Args {
    /// Scorecard files to verify.
    #[arg(required = true)]
    scorecards: Vec<PathBuf>,
    /// Trusted public key file (from `jiebang keygen`); repeatable. When given, every scorecard
    /// must be signed by one of these keys.
    #[arg(long = "trust", value_name = "KEY.pub")]
    trust: Vec<PathBuf>,
    /// Dataset root to check against the pinned dataset hash (default: the root recorded in the
    /// scorecard's settings, when it exists here).
    #[arg(long)]
    data: Option<PathBuf>,
    /// Suite spec file to check against the pinned suite hash (default: the embedded suite, or
    /// the file recorded in the scorecard).
    #[arg(long)]
    suite_file: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// The outcome of one check.
#[derive(Serialize)]
struct Check {
    what: &'static str,
    status: &'static str,
    detail: String,
}

fn ok(what: &'static str, detail: String) -> Check {
    Check {
        what,
        status: "ok",
        detail,
    }
}
fn failed(what: &'static str, detail: String) -> Check {
    Check {
        what,
        status: "failed",
        detail,
    }
}
fn skipped(what: &'static str, detail: String) -> Check {
    Check {
        what,
        status: "not-checked",
        detail,
    }
}

/// Runs the command; returns whether every scorecard passed.
pub fn run(args: &Args, reg: &Registry) -> Result<bool> {
    let trusted = args
        .trust
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).with_context(|| format!("{}", p.display()))?;
            Ok(PublicKey::from_file_text(&p.display().to_string(), &text)?)
        })
        .collect::<Result<Vec<_>>>()?;
    let mut all_ok = true;
    let mut reports = Vec::new();
    for path in &args.scorecards {
        let checks = verify_one(
            path,
            args,
            reg,
            (!args.trust.is_empty()).then_some(&trusted[..]),
        );
        let passed = checks.iter().all(|c| c.status != "failed");
        all_ok &= passed;
        if args.json {
            reports.push(serde_json::json!({"scorecard": path, "ok": passed, "checks": checks}));
        } else {
            println!(
                "{}: {}",
                path.display(),
                if passed { "OK" } else { "REJECTED" }
            );
            for c in &checks {
                println!("  {:<10} {:<12} {}", c.what, c.status, c.detail);
            }
        }
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&reports)?);
    }
    Ok(all_ok)
}

fn verify_one(
    path: &Path,
    args: &Args,
    reg: &Registry,
    trusted: Option<&[PublicKey]>,
) -> Vec<Check> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return vec![failed("file", format!("{}: {e}", path.display()))],
    };
    let v = match verify_bytes(&path.display().to_string(), &bytes, trusted) {
        Ok(v) => v,
        Err(e) => return vec![failed("integrity", e.to_string())],
    };
    let mut checks = vec![ok("integrity", format!("canonical bytes, id {}", v.id))];
    checks.push(match &v.signature {
        SignatureCheck::Unsigned => skipped("signature", "unsigned".into()),
        SignatureCheck::Trusted { signer, public_key } => ok(
            "signature",
            format!("valid, trusted key {public_key} ({signer})"),
        ),
        SignatureCheck::ValidUnchecked { signer, public_key } => ok(
            "signature",
            format!("valid, by {public_key} ({signer}); pass --trust to require a trusted key"),
        ),
    });
    checks.push(check_suite(&v.scorecard, args.suite_file.as_deref(), reg));
    checks.push(check_dataset(&v.scorecard, args.data.as_deref()));
    checks.extend(check_sut(&v.scorecard));
    checks
}

fn check_suite(sc: &Scorecard, file: Option<&Path>, reg: &Registry) -> Check {
    let pin = &sc.pins.suite;
    let file = file
        .map(Path::to_path_buf)
        .or_else(|| (pin.source != "embedded").then(|| PathBuf::from(&pin.source)));
    let (found, origin) = match file {
        Some(f) => {
            let text = match std::fs::read_to_string(&f) {
                Ok(t) => t,
                Err(e) => return skipped("suite", format!("{}: {e}", f.display())),
            };
            match SuiteSpec::from_toml(&f, &text) {
                Ok(s) => (s, f.display().to_string()),
                Err(e) => return failed("suite", e.to_string()),
            }
        }
        None => match reg.suite(&format!("{}@{}", pin.id, pin.version)) {
            Ok((_, s)) => (s, "this build's embedded suite".to_string()),
            Err(e) => return skipped("suite", e.to_string()),
        },
    };
    let h = found.hash();
    if h == pin.hash {
        ok(
            "suite",
            format!("{}@{} hash {h} ({origin})", pin.id, pin.version),
        )
    } else {
        failed(
            "suite",
            format!(
                "{}@{} changed after the run: the scorecard pins {} but {origin} hashes to {h}",
                pin.id, pin.version, pin.hash
            ),
        )
    }
}

fn check_dataset(sc: &Scorecard, data: Option<&Path>) -> Check {
    let recorded = sc
        .pins
        .settings
        .get("dataset_root")
        .and_then(|v| v.as_str())
        .map(PathBuf::from);
    let Some(root) = data
        .map(Path::to_path_buf)
        .or(recorded.filter(|p| p.exists()))
    else {
        return skipped("dataset", "not at hand (pass --data DIR)".into());
    };
    match Dataset::open_verified(&root) {
        Err(e) => failed("dataset", format!("changed after the run: {e}")),
        Ok(ds) if ds.hash != sc.pins.dataset.hash => failed(
            "dataset",
            format!(
                "{}: manifest hashes to {} but the scorecard pins {}",
                root.display(),
                ds.hash,
                sc.pins.dataset.hash
            ),
        ),
        Ok(ds) => ok(
            "dataset",
            format!("{} files verified, id {}", ds.manifest.files.len(), ds.hash),
        ),
    }
}

fn check_sut(sc: &Scorecard) -> Vec<Check> {
    let files = &sc.pins.sut.files;
    if files.is_empty() {
        return vec![skipped(
            "sut",
            format!(
                "{} `{}` pins no files",
                sc.pins.sut.adapter, sc.pins.sut.name
            ),
        )];
    }
    files
        .iter()
        .map(|f| {
            let p = Path::new(&f.path);
            if !p.exists() {
                return skipped("sut", format!("{}: not at hand", f.path));
            }
            match sha256_file(p) {
                Ok(h) if h == f.sha256 => ok("sut", format!("{} sha256 {h}", f.path)),
                Ok(h) => failed(
                    "sut",
                    format!(
                        "{} changed after the run: pinned {} found {h}",
                        f.path, f.sha256
                    ),
                ),
                Err(e) => failed("sut", e.to_string()),
            }
        })
        .collect()
}
