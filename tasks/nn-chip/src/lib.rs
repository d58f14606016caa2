//! jiebang's nn-chip direction (神经网络芯片): kernel suites (GEMM f32/f16/int8, ResNet-50
//! convolutions, LSTM/RNN sequences) run on the `jiebang-accel` backends, with correctness
//! decided by the harness against its own CPU reference, output digests, and achieved
//! TOPS/TFLOPS, fraction of peak and energy efficiency beside the national targets.

pub mod answer;
pub mod builtin;
pub mod catalogue;
pub mod check;
pub mod dataset_file;
pub mod generate;
pub mod pairs;
pub mod probe;
pub mod samples;
pub mod scoring;
pub mod spec;
pub mod suites;
pub mod tensor;
pub mod timing;

pub use samples::KernelSamples;
pub use spec::WorkloadSpec;

use jiebang_core::{
    BuiltinContext, BuiltinInfo, BuiltinSystem, CoreError, Dataset, DatasetDirs, GenerateParams,
    Loaded, SuiteSpec, Task, TaskBase, task_pin,
};
use std::sync::Arc;

/// The nn-chip task.
pub struct NnChip {
    base: TaskBase,
}

impl NnChip {
    /// The task with its catalogue and embedded suites.
    ///
    /// # Panics
    /// Only if an embedded suite file does not parse, which the crate's tests rule out.
    pub fn new() -> Self {
        NnChip {
            base: TaskBase::new(
                catalogue::direction(),
                task_pin!(catalogue::DIRECTION_ID),
                &suites::EMBEDDED,
            )
            .expect("embedded nn-chip suites parse"),
        }
    }
}

impl Default for NnChip {
    fn default() -> Self {
        Self::new()
    }
}

/// The task, for the CLI's registry.
pub fn task() -> Arc<dyn Task> {
    Arc::new(NnChip::new())
}

const ALL_SUITES: [&str; 2] = ["nn-chip/kernels", "nn-chip/cnn-rnn-lstm"];

impl Task for NnChip {
    fn base(&self) -> &TaskBase {
        &self.base
    }

    fn generate(
        &self,
        suite: &SuiteSpec,
        out: &DatasetDirs,
        params: &GenerateParams,
        progress: &dyn Fn(u64, u64),
    ) -> Result<String, CoreError> {
        let all = suites::workloads(suite)?;
        let n = params.samples_for(suite)?;
        if n == 0 || n > all.len() as u64 {
            return Err(suite.field_error(
                "dataset.samples",
                format!(
                    "samples = {n}: expected 1..={} (the suite's workloads, in order)",
                    all.len()
                ),
            ));
        }
        Ok(generate::generate(
            &suite.full_id(),
            &all[..n as usize],
            params.seed_for(suite),
            out,
            progress,
        )?)
    }

    fn load(&self, suite: &SuiteSpec, dataset: &Dataset) -> Result<Loaded, CoreError> {
        let samples = Arc::new(KernelSamples::load(suite, dataset)?);
        let scorer = Arc::new(pairs::KernelScorer::new(samples.clone()));
        Ok(Loaded::new(samples, scorer))
    }

    fn layout1_truth_files(&self) -> &'static [&'static str] {
        &[dataset_file::WORKLOADS_FILE]
    }

    fn builtin_systems(&self) -> Vec<BuiltinInfo> {
        vec![
            BuiltinInfo {
                name: builtin::KERNELS,
                description: "runs each workload on the --backend device (jiebang-accel): warm-up, timed launch+synchronize iterations, readback, digest, probes, RAPL/NVML energy",
                suites: ALL_SUITES.to_vec(),
                fault_injection: false,
            },
            BuiltinInfo {
                name: builtin::TEST_SLOW20,
                description: "TEST FAULT INJECTION: builtin:kernels with every timed iteration stretched by 20% (for testing `jiebang compare`)",
                suites: ALL_SUITES.to_vec(),
                fault_injection: true,
            },
            BuiltinInfo {
                name: builtin::TEST_BITFLIP,
                description: "TEST FAULT INJECTION: builtin:kernels with the lowest bit of the first workload's output element 0 flipped (for testing `jiebang compare`)",
                suites: ALL_SUITES.to_vec(),
                fault_injection: true,
            },
        ]
    }

    fn builtin(
        &self,
        name: &str,
        ctx: &BuiltinContext,
    ) -> Result<Box<dyn BuiltinSystem>, CoreError> {
        let fault = builtin::Fault::of(name).ok_or_else(|| CoreError::Unknown {
            kind: "built-in system",
            name: name.into(),
            known: [
                builtin::KERNELS,
                builtin::TEST_SLOW20,
                builtin::TEST_BITFLIP,
            ]
            .join(", "),
        })?;
        Ok(Box::new(builtin::KernelSystem::new(
            ctx.library.clone(),
            ctx.backend.clone(),
            fault,
        )?))
    }

    fn demo_declaration(&self) -> Option<&'static str> {
        Some(include_str!("../demo/declaration.toml"))
    }
}
