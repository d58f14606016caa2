//! `jiebang keygen` and `jiebang sign`: ed25519 keys for agencies, and signing a scorecard
//! after the fact (the run command can also sign as it writes).

use anyhow::{Context as _, Result, bail};
use jiebang_core::bounded::{self, limit};
use jiebang_scorecard::{KeyPair, seal, verify_bytes};
use std::path::PathBuf;

/// Arguments of `jiebang keygen`.
#[derive(clap::Args)]
pub struct KeygenArgs {
    /// The key holder's name (e.g. the agency), recorded in signatures.
    #[arg(long)]
    name: String,
    /// Output prefix: writes PREFIX.key (secret, mode 600) and PREFIX.pub.
    #[arg(long)]
    out: PathBuf,
    /// Overwrite existing key files.
    #[arg(long)]
    force: bool,
}

/// Arguments of `jiebang sign`.
#[derive(clap::Args)]
pub struct SignArgs {
    /// Scorecard to sign (verified first; rewritten atomically with the signature block).
    scorecard: PathBuf,
    /// Secret key file from `jiebang keygen`.
    #[arg(long)]
    key: PathBuf,
    /// Replace an existing signature.
    #[arg(long)]
    force: bool,
}

/// Runs `keygen`.
pub fn keygen(args: &KeygenArgs) -> Result<()> {
    let secret = args.out.with_extension("key");
    let public = args.out.with_extension("pub");
    for p in [&secret, &public] {
        if p.exists() && !args.force {
            bail!("{}: exists; pass --force to overwrite", p.display());
        }
    }
    let k = KeyPair::generate(&args.name)?;
    jiebang_core::atomic::write(&secret, k.to_file_text().as_bytes())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("{}", secret.display()))?;
    }
    jiebang_core::atomic::write(&public, k.public().to_file_text().as_bytes())?;
    println!(
        "{}  {} (secret: {}, public: {})",
        k.public().to_hex(),
        args.name,
        secret.display(),
        public.display()
    );
    Ok(())
}

/// Runs `sign`.
pub fn sign(args: &SignArgs) -> Result<()> {
    let text = bounded::read_text(&args.key, limit::KEY, "secret key file")?;
    let key = KeyPair::from_file_text(&args.key.display().to_string(), &text)?;
    let bytes = bounded::read(&args.scorecard, limit::SCORECARD, "scorecard")?;
    let v = verify_bytes(&args.scorecard.display().to_string(), &bytes, None)?;
    if v.scorecard.signature.is_some() && !args.force {
        bail!(
            "{}: already signed; pass --force to replace the signature",
            args.scorecard.display()
        );
    }
    let mut sc = v.scorecard;
    let out = seal(&mut sc, Some(&key))?;
    if sc.id.as_deref() != Some(v.id.as_str()) {
        bail!(
            "internal: re-sealing changed the id of {}",
            args.scorecard.display()
        );
    }
    jiebang_core::atomic::write(&args.scorecard, &out)?;
    println!(
        "signed {} (id {}) as {}",
        args.scorecard.display(),
        v.id,
        key.name
    );
    Ok(())
}
