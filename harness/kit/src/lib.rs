//! jiebang's conformance kit: one call holds a task crate to the checks every direction must
//! pass (data, manifest, real runs, scoring, catalogue, answer checks, truth, resume).
//!
//! A task crate's test runs it in one line:
//!
//! ```no_run
//! # fn task() -> std::sync::Arc<dyn jiebang_core::Task> { unimplemented!() }
//! jiebang_kit::assert_conforms(task(), &jiebang_kit::Options::default());
//! ```

pub mod backend;
pub mod conformance;
pub mod dataset;
mod failure;
mod leak;
mod report;
mod resume;
mod section;
mod spy;
mod system;

pub use conformance::{Options, check};
pub use failure::{Check, Failure, Failures};
pub use report::{Report, SuiteReport, SystemReport};

use jiebang_core::Task;
use std::sync::Arc;

/// Runs [`check`], prints the report (shown with `--nocapture`) and panics with every failed
/// check listed (for a task crate's test).
///
/// # Panics
/// When any check fails.
pub fn assert_conforms(task: Arc<dyn Task>, options: &Options) -> Report {
    match check(task, options) {
        Ok(report) => {
            eprintln!("{report}");
            report
        }
        Err(failures) => panic!("{failures}"),
    }
}
