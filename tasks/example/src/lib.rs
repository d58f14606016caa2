//! jiebang's example direction ("is this integer even?"): the smallest complete task crate,
//! built step by step in docs/ADDING-A-DIRECTION.md and held to the conformance kit.

pub mod builtin;
pub mod catalogue;
pub mod files;
pub mod generate;
pub mod library;
pub mod scorer;
pub mod suites;

use jiebang_core::{
    BuiltinContext, BuiltinInfo, BuiltinSystem, CoreError, Dataset, DatasetDirs, GenerateParams,
    Loaded, SuiteSpec, Task, TaskBase, task_pin,
};
use std::sync::Arc;

/// The example task.
pub struct Example {
    base: TaskBase,
}

impl Example {
    /// The task with its catalogue and embedded suite.
    ///
    /// # Panics
    /// Only if the embedded suite does not parse, which the crate's tests rule out.
    pub fn new() -> Self {
        Example {
            base: TaskBase::new(
                catalogue::direction(),
                task_pin!(catalogue::DIRECTION_ID),
                &suites::EMBEDDED,
            )
            .expect("the embedded example suite parses"),
        }
    }
}

impl Default for Example {
    fn default() -> Self {
        Self::new()
    }
}

/// The task, for the CLI's registry.
pub fn task() -> Arc<dyn Task> {
    Arc::new(Example::new())
}

const SUITES: [&str; 1] = ["example/parity"];

impl Task for Example {
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
        generate::generate(suite, out, params, progress)
    }

    fn load(&self, _suite: &SuiteSpec, dataset: &Dataset) -> Result<Loaded, CoreError> {
        let numbers = library::Numbers::load(dataset)?;
        let labels = scorer::Labels::load(dataset, &numbers)?;
        Ok(Loaded::new(Arc::new(numbers), Arc::new(labels)))
    }

    fn builtin_systems(&self) -> Vec<BuiltinInfo> {
        vec![
            BuiltinInfo {
                name: builtin::PARITY,
                description: "the baseline: answers n % 2 == 0",
                suites: SUITES.to_vec(),
                fault_injection: false,
            },
            BuiltinInfo {
                name: builtin::EVERY_FOURTH_WRONG,
                description: "TEST FAULT INJECTION: builtin:parity, wrong on every fourth sample (for testing `jiebang compare`)",
                suites: SUITES.to_vec(),
                fault_injection: true,
            },
        ]
    }

    fn builtin(
        &self,
        name: &str,
        _ctx: &BuiltinContext,
    ) -> Result<Box<dyn BuiltinSystem>, CoreError> {
        let wrong_every = match name {
            builtin::PARITY => 0,
            builtin::EVERY_FOURTH_WRONG => 4,
            other => {
                return Err(CoreError::Unknown {
                    kind: "built-in system",
                    name: other.into(),
                    known: format!("{}, {}", builtin::PARITY, builtin::EVERY_FOURTH_WRONG),
                });
            }
        };
        Ok(Box::new(builtin::Parity { wrong_every }))
    }
}
