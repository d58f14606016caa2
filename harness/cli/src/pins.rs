//! Pins that describe this build and this machine: harness version and git commit, host.

use jiebang_scorecard::{HarnessPin, HostPin};

/// This build of jiebang.
pub fn harness() -> HarnessPin {
    HarnessPin {
        version: env!("CARGO_PKG_VERSION").to_string(),
        git_commit: option_env!("JIEBANG_GIT_COMMIT").map(str::to_string),
    }
}

/// This machine.
pub fn host() -> HostPin {
    let cpu = std::fs::read_to_string("/proc/cpuinfo").ok().and_then(|t| {
        t.lines()
            .find(|l| l.starts_with("model name"))
            .and_then(|l| l.split_once(':'))
            .map(|(_, v)| v.trim().to_string())
    });
    HostPin {
        os: std::env::consts::OS.to_string(),
        arch: std::env::consts::ARCH.to_string(),
        cpu,
        threads: std::thread::available_parallelism()
            .map(|n| n.get() as u32)
            .unwrap_or(1),
    }
}
