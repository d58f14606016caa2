//! jiebang's engine: directions and indicators, suites, datasets, declarations, the task
//! boundary, verdicts, and the pieces every run shares. It never names a concrete task.

pub mod atomic;
pub mod board;
pub mod bounded;
pub mod compare;
mod dataset;
mod declaration;
mod direction;
mod error;
pub mod fuzzing;
mod indicators;
pub mod round;
pub mod run;
mod suite;
mod task;
pub mod verdict;

pub use dataset::{
    Dataset, DatasetDirs, INPUTS_DIR, MANIFEST_FILE, MANIFEST_SCHEMA_VERSION, Manifest,
    ManifestEntry, Move, Part, TRUTH_DIR, check_relative_path, convert_layout1, layout1_suite,
    sha256_file,
};
pub use declaration::{CustomIndicator, Declaration, DeclaredLevel};
pub use direction::{
    DigestSpec, Direction, Indicator, MetricKind, MetricSpec, NATIONAL_SOURCE, NationalTarget,
};
pub use error::{CoreError, line_of, toml_error};
pub use indicators::assemble as assemble_indicators;
pub use suite::{SuiteRef, SuiteSpec};
pub use task::{
    BackendHandle, BuiltinContext, BuiltinInfo, BuiltinSystem, GenerateParams, Observed, SampleSet,
    ScoreContext, Scores, Task,
};
