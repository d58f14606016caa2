//! `jiebang verify`: checks a scorecard's bytes, id and signature, and — when the files are at
//! hand — that the suite, dataset and SUT files it pins are still the ones that were run.
//! Nothing it pins is read before its signature and trust pass; pinned files are read bounded.

use crate::context::Registry;
use crate::escape::terminal as term;
use anyhow::{Result, bail};
use jiebang_core::bounded::{self, limit};
use jiebang_core::{Dataset, SuiteSpec};
use jiebang_scorecard::{
    KeyPair, PublicKey, Scorecard, ScorecardError, SignatureCheck, verify_bytes,
};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Arguments of `jiebang verify`.
#[derive(clap::Args)]
#[command(after_help = "\
Each scorecard gets one row per check: integrity, signature, suite, dataset and one per pinned
SUT file. Integrity and signature (and trust, with --trust) come first: when they fail, no file
the scorecard pins is read. A pinned file that is not at hand here is `not-checked`, and the
summary line says so; the exit code is then still 0 unless --require-files is given. A pinned
file that is not a regular file, or larger than the bound for its kind, fails its check.

Exit codes: 0 every scorecard passed, 1 a check failed (a damaged or edited file, a wrong id, a
bad or untrusted signature, a pinned file changed), 2 a file could not be read or is not a
scorecard: not JSON, or JSON without a scorecard's fields (`{}`, another tool's file; a per-query
`.log.jsonl` is read by `jiebang merge` and `run --resume`).")]
pub struct Args {
    /// Scorecard files to verify.
    #[arg(required = true)]
    scorecards: Vec<PathBuf>,
    /// Trusted public key file (`NAME.pub` from `jiebang keygen`); repeatable. When given,
    /// every scorecard must be signed by one of these keys.
    #[arg(long = "trust", value_name = "KEY.pub")]
    trust: Vec<PathBuf>,
    /// Dataset root to check against the pinned dataset hash (default: the root recorded in the
    /// scorecard's settings, when it exists here).
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
    /// Suite spec file to check against the pinned suite hash (default: the embedded suite, or
    /// the file recorded in the scorecard).
    #[arg(long, value_name = "FILE")]
    suite_file: Option<PathBuf>,
    /// Folder the run was made from: the SUT files the scorecard pins by relative path are
    /// looked up under DIR (default: the current folder).
    #[arg(long, value_name = "DIR")]
    sut_dir: Option<PathBuf>,
    /// Fail (exit 1) when a pinned suite file, dataset or SUT file is not at hand, instead of
    /// reporting it as not checked.
    #[arg(long)]
    require_files: bool,
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
    /// A pinned file that is not at hand (so the check could not be made).
    #[serde(skip)]
    missing: bool,
}

fn ok(what: &'static str, detail: String) -> Check {
    Check {
        what,
        status: "ok",
        detail,
        missing: false,
    }
}
fn failed(what: &'static str, detail: String) -> Check {
    Check {
        what,
        status: "failed",
        detail,
        missing: false,
    }
}
fn skipped(what: &'static str, detail: String) -> Check {
    Check {
        what,
        status: "not-checked",
        detail,
        missing: false,
    }
}
/// A pinned file that is not here: not checked, or failed under `--require-files`.
fn not_at_hand(what: &'static str, detail: String, require: bool) -> Check {
    Check {
        what,
        status: if require { "failed" } else { "not-checked" },
        detail,
        missing: true,
    }
}

/// Reads the trusted keys given with `--trust` (bounded), refusing a secret key file.
pub(crate) fn trusted_keys(paths: &[PathBuf]) -> Result<Vec<PublicKey>> {
    paths
        .iter()
        .map(|p| {
            let text = bounded::read_text(p, limit::KEY, "--trust key file")?;
            public_key(&format!("--trust {}", p.display()), &text)
        })
        .collect()
}

/// Parses a trust anchor read from `what`, refusing a secret key file: a trust anchor is a
/// public key.
pub(crate) fn public_key(what: &str, text: &str) -> Result<PublicKey> {
    if KeyPair::from_file_text(what, text).is_ok() {
        bail!(
            "{what}: this is a secret key file; a trust anchor is the public key file \
             (the `.pub` that `jiebang keygen` wrote beside it). Keep the secret key private."
        );
    }
    Ok(PublicKey::from_file_text(what, text)?)
}

/// Runs the command; returns whether every scorecard passed.
pub fn run(args: &Args, reg: &Registry) -> Result<bool> {
    let trusted = trusted_keys(&args.trust)?;
    let trusted = (!args.trust.is_empty()).then_some(&trusted[..]);
    let mut all_ok = true;
    let mut reports = Vec::new();
    let mut unreadable = Vec::new();
    for path in &args.scorecards {
        let bytes = match read_input(path) {
            Ok(b) => b,
            Err(e) => {
                // Not a failed check but an input error: reported, then exit 2.
                unreadable.push(path.display().to_string());
                if args.json {
                    reports.push(serde_json::json!({
                        "scorecard": path, "ok": false, "error": format!("{e:#}"),
                    }));
                } else {
                    println!(
                        "{}: ERROR\n  {}",
                        term(&path.display().to_string()),
                        term(&format!("{e:#}"))
                    );
                }
                continue;
            }
        };
        let checks = match verify_one(path, &bytes, args, reg, trusted) {
            Ok(checks) => checks,
            Err(e) => {
                // JSON that is not a scorecard (`{}`, another tool's file) or one this build
                // cannot read: an input error like a missing file, then exit 2.
                unreadable.push(path.display().to_string());
                if args.json {
                    reports.push(serde_json::json!({
                        "scorecard": path, "ok": false, "error": e,
                    }));
                } else {
                    println!(
                        "{}: ERROR\n  {}",
                        term(&path.display().to_string()),
                        term(&e)
                    );
                }
                continue;
            }
        };
        let passed = checks.iter().all(|c| c.status != "failed");
        all_ok &= passed;
        let missing = checks
            .iter()
            .filter(|c| c.missing && c.status == "not-checked")
            .count();
        if args.json {
            reports.push(serde_json::json!({
                "scorecard": path, "ok": passed, "not_checked_files": missing, "checks": checks,
            }));
        } else {
            let verdict = match (passed, missing) {
                (false, _) => "REJECTED".to_string(),
                (true, 0) => "OK".to_string(),
                (true, n) => format!(
                    "OK, but {n} pinned file{} not checked (not at hand here: see --sut-dir, \
                     --data, --suite-file; --require-files makes this a failure)",
                    if n == 1 { "" } else { "s" }
                ),
            };
            println!("{}: {verdict}", term(&path.display().to_string()));
            for c in &checks {
                println!("  {:<10} {:<12} {}", c.what, c.status, term(&c.detail));
            }
        }
    }
    if args.json {
        println!(
            "{}",
            crate::escape::json(&serde_json::to_string_pretty(&reports)?)
        );
    }
    if !unreadable.is_empty() {
        bail!(
            "{} of {} file(s) could not be read as scorecards: {}",
            unreadable.len(),
            args.scorecards.len(),
            unreadable.join(", ")
        );
    }
    Ok(all_ok)
}

/// Reads a file meant to be a scorecard (bounded); a missing file, or a per-query log given by
/// mistake, is an input error (exit 2), not a failed check.
pub(crate) fn read_input(path: &Path) -> Result<Vec<u8>> {
    let bytes = bounded::read(path, limit::SCORECARD, "scorecard")?;
    if let Some(hint) = crate::report::not_a_scorecard(&bytes) {
        bail!("{}: {hint}", path.display());
    }
    Ok(bytes)
}

/// The top-level fields every scorecard has: JSON without one of them is not a scorecard (a
/// file of another tool, `{}`), an input error, rather than a scorecard that fails a check.
const SCORECARD_FIELDS: [&str; 5] = ["schema_version", "id", "pins", "run", "metrics"];

/// `Err` when `bytes` are a JSON object without a scorecard's top-level fields. Bytes that are
/// not JSON at all (a damaged scorecard) are left to the integrity check.
fn not_a_scorecard(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_slice(bytes) else {
        return Ok(());
    };
    let missing: Vec<&str> = SCORECARD_FIELDS
        .into_iter()
        .filter(|f| !map.contains_key(*f))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{}: not a scorecard: JSON without the field{} `{}` (every scorecard has {})",
        path.display(),
        if missing.len() == 1 { "" } else { "s" },
        missing.join("`, `"),
        SCORECARD_FIELDS.map(|f| format!("`{f}`")).join(", ")
    ))
}

/// Checks one scorecard; `Err` when the file is JSON but not a scorecard (exit 2, not 1).
fn verify_one(
    path: &Path,
    bytes: &[u8],
    args: &Args,
    reg: &Registry,
    trusted: Option<&[PublicKey]>,
) -> Result<Vec<Check>, String> {
    not_a_scorecard(path, bytes)?;
    // Integrity first, without the trust list, so that a signature problem lands on the
    // signature row.
    let v = match verify_bytes(&path.display().to_string(), bytes, None) {
        Ok(v) => v,
        Err(e @ ScorecardError::BadSignature { .. }) => {
            // Bytes, schema and id were checked before the signature.
            return Ok(vec![
                ok(
                    "integrity",
                    "canonical bytes, id matches the content".into(),
                ),
                failed("signature", e.to_string()),
            ]);
        }
        Err(e) => return Ok(vec![failed("integrity", e.to_string())]),
    };
    let mut checks = vec![ok("integrity", format!("canonical bytes, id {}", v.id))];
    let signature = check_signature(&v.signature, trusted);
    let trusted_ok = signature.status != "failed";
    checks.push(signature);
    if !trusted_ok {
        // Nothing a scorecard that fails its signature or trust pins is read.
        return Ok(checks);
    }
    checks.push(check_suite(
        &v.scorecard,
        args.suite_file.as_deref(),
        reg,
        args.require_files,
    ));
    checks.push(check_dataset(
        &v.scorecard,
        args.data.as_deref(),
        args.require_files,
    ));
    checks.extend(check_sut(
        &v.scorecard,
        args.sut_dir.as_deref(),
        args.require_files,
    ));
    Ok(checks)
}

fn key_list(keys: &[PublicKey]) -> String {
    keys.iter()
        .map(|k| format!("{} ({})", k.to_hex(), k.name))
        .collect::<Vec<_>>()
        .join(", ")
}

fn check_signature(sig: &SignatureCheck, trusted: Option<&[PublicKey]>) -> Check {
    match (sig, trusted) {
        (SignatureCheck::Unsigned, None) => skipped("signature", "unsigned".into()),
        (SignatureCheck::Unsigned, Some(t)) => failed(
            "signature",
            format!(
                "unsigned; --trust requires a signature by one of: {}",
                key_list(t)
            ),
        ),
        (
            SignatureCheck::ValidUnchecked { signer, public_key }
            | SignatureCheck::Trusted { signer, public_key },
            None,
        ) => ok(
            "signature",
            format!("valid, by {public_key} ({signer}); pass --trust to require a trusted key"),
        ),
        (
            SignatureCheck::ValidUnchecked { signer, public_key }
            | SignatureCheck::Trusted { signer, public_key },
            Some(t),
        ) => match t.iter().find(|k| &k.to_hex() == public_key) {
            Some(k) => ok(
                "signature",
                format!("valid, trusted key {public_key} ({})", k.name),
            ),
            None => failed(
                "signature",
                format!(
                    "valid signature by untrusted key {public_key} ({signer}); --trust requires one of: {}",
                    key_list(t)
                ),
            ),
        },
    }
}

fn check_suite(sc: &Scorecard, file: Option<&Path>, reg: &Registry, require: bool) -> Check {
    let pin = &sc.pins.suite;
    let file = file
        .map(Path::to_path_buf)
        .or_else(|| (pin.source != "embedded").then(|| PathBuf::from(&pin.source)));
    let (found, origin) = match file {
        Some(f) => {
            if !f.exists() {
                return not_at_hand(
                    "suite",
                    format!("{}: not at hand (pass --suite-file FILE)", f.display()),
                    require,
                );
            }
            let text = match bounded::read_text(&f, limit::TOML, "suite file") {
                Ok(t) => t,
                Err(e) => return failed("suite", e.to_string()),
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

fn check_dataset(sc: &Scorecard, data: Option<&Path>, require: bool) -> Check {
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
        return not_at_hand("dataset", "not at hand (pass --data DIR)".into(), require);
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

fn check_sut(sc: &Scorecard, sut_dir: Option<&Path>, require: bool) -> Vec<Check> {
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
            // Relative pins are relative to the folder the run was made from.
            let p = match sut_dir {
                Some(d) if Path::new(&f.path).is_relative() => d.join(&f.path),
                _ => PathBuf::from(&f.path),
            };
            if !p.exists() {
                let hint = match sut_dir {
                    Some(d) => format!("not at hand (looked under --sut-dir {})", d.display()),
                    None => {
                        "not at hand (pass --sut-dir DIR, the folder the run was made from)".into()
                    }
                };
                return not_at_hand("sut", format!("{}: {hint}", p.display()), require);
            }
            match bounded::sha256(&p, limit::PINNED_FILE, "pinned SUT file") {
                Ok(h) if h == f.sha256 => ok("sut", format!("{} sha256 {h}", p.display())),
                Ok(h) => failed(
                    "sut",
                    format!(
                        "{} changed after the run: pinned {} found {h}",
                        p.display(),
                        f.sha256
                    ),
                ),
                Err(e) => failed("sut", e.to_string()),
            }
        })
        .collect()
}
