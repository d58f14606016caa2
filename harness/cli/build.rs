//! Records the git commit the binary is built from, for the harness pin in every scorecard,
//! with `-dirty` appended when tracked files differed from that commit at build time.

fn main() {
    println!("cargo:rerun-if-env-changed=JIEBANG_GIT_COMMIT");
    let commit = std::env::var("JIEBANG_GIT_COMMIT").ok().or_else(|| {
        let out = std::process::Command::new("git")
            .args(["rev-parse", "HEAD"])
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    });
    let from_env = std::env::var("JIEBANG_GIT_COMMIT").is_ok();
    if let Ok(out) = std::process::Command::new("git")
        .args(["rev-parse", "--git-dir"])
        .output()
        && out.status.success()
    {
        let dir = String::from_utf8_lossy(&out.stdout).trim().to_string();
        println!("cargo:rerun-if-changed={dir}/HEAD");
        println!("cargo:rerun-if-changed={dir}/refs/heads");
        println!("cargo:rerun-if-changed={dir}/index");
        // Any edit to the workspace's sources reruns this script, so `-dirty` stays true.
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
        for sub in [
            "harness",
            "tasks",
            "accelerators",
            "Cargo.toml",
            "Cargo.lock",
        ] {
            println!("cargo:rerun-if-changed={root}/{sub}");
        }
    }
    let dirty = !from_env
        && std::process::Command::new("git")
            .args(["status", "--porcelain", "--untracked-files=no"])
            .output()
            .is_ok_and(|o| o.status.success() && !o.stdout.is_empty());
    if let Some(c) = commit.filter(|c| !c.is_empty()) {
        let c = if dirty { format!("{c}-dirty") } else { c };
        println!("cargo:rustc-env=JIEBANG_GIT_COMMIT={c}");
    }
}
