//! Shared helpers of the integration tests: a generated dataset with its manifest, the CPU
//! backend handle, and running a built-in system over a whole suite.

#![allow(dead_code)]

use jiebang_core::{
    BackendHandle, BuiltinContext, Dataset, DatasetDirs, GenerateParams, Loaded, Manifest,
    ScoreContext, Scores, SuiteSpec, Task,
};
use jiebang_medical_imaging::MedicalImaging;
use jiebang_scorecard::BackendPin;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// The CPU backend as the CLI would pass it.
pub fn cpu() -> BackendHandle {
    BackendHandle {
        pin: BackendPin {
            kind: "cpu".into(),
            device: "test cpu".into(),
            vendor: None,
            api: None,
            driver: None,
            driver_info: None,
            device_type: None,
        },
        device: Arc::new(jiebang_accel::Device::cpu()),
    }
}

/// The embedded suite with this id (`case-detection` or `lesion-froc`).
pub fn suite(task: &MedicalImaging, name: &str) -> SuiteSpec {
    task.suites()
        .iter()
        .find(|s| s.id.ends_with(name))
        .cloned()
        .expect("embedded suite")
}

/// Generates `n` studies with `seed` into `dir` (`inputs/` and `truth/`) and writes the
/// manifest.
pub fn generate(dir: &Path, n: u64, seed: u64) -> String {
    let task = MedicalImaging::new();
    let params = GenerateParams {
        samples: Some(n),
        seed: Some(seed),
    };
    let line = task
        .generate(
            &suite(&task, "case-detection"),
            &DatasetDirs::create(dir).expect("dataset folders"),
            &params,
            &|_, _| {},
        )
        .expect("generate");
    rebuild_manifest(dir);
    line
}

/// (Re)writes the manifest of `dir` from its files.
pub fn rebuild_manifest(dir: &Path) {
    let _ = std::fs::remove_file(dir.join(jiebang_core::MANIFEST_FILE));
    Manifest::build(dir, BTreeMap::new())
        .expect("manifest")
        .write(dir)
        .expect("write manifest");
}

/// Runs `builtin:log-blob` over every sample and returns the answers.
pub fn run_builtin(samples: &Loaded, suite: &SuiteSpec) -> Vec<(usize, Option<Value>)> {
    let task = MedicalImaging::new();
    let system = task
        .builtin(
            "log-blob",
            &BuiltinContext {
                suite: suite.clone(),
                library: samples.library.clone(),
                backend: cpu(),
            },
        )
        .expect("builtin");
    (0..samples.library.len())
        .map(|i| {
            let a = system.answer(i, &samples.library.query(i)).expect("answer");
            samples
                .scorer
                .check_answer(i, &a)
                .expect("well-formed answer");
            (i, Some(a))
        })
        .collect()
}

/// Scores answers with seed 1.
pub fn score(samples: &Loaded, suite: &SuiteSpec, answers: &[(usize, Option<Value>)]) -> Scores {
    samples
        .scorer
        .score(
            answers,
            &ScoreContext {
                suite: suite.clone(),
                seed: 1,
                backend: cpu(),
                observed: Default::default(),
            },
        )
        .expect("score")
}

/// Opens the verified dataset at `dir`.
pub fn open(dir: &Path) -> Dataset {
    Dataset::open_verified(dir).expect("verified dataset")
}
