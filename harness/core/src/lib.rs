//! jiebang's engine: directions and indicators, suites, datasets, declarations, the task
//! boundary, verdicts, and the pieces every run shares. It never names a concrete task.

pub mod answer;
pub mod atomic;
pub mod board;
pub mod bounded;
pub mod compare;
pub mod curves;
mod dataset;
mod declaration;
mod direction;
mod error;
pub mod fuzzing;
mod indicators;
pub mod measure;
pub mod round;
pub mod run;
pub mod slug;
mod suite;
mod task;
mod task_base;
pub mod verdict;

pub use dataset::{
    Dataset, DatasetDirs, INPUTS_DIR, Inputs, MANIFEST_FILE, MANIFEST_SCHEMA_VERSION, Manifest,
    ManifestEntry, Move, Part, TRUTH_DIR, Truth, check_relative_path, convert_layout1,
    layout1_suite, sha256_file,
};
pub use declaration::{
    CustomIndicator, Declaration, DeclaredLevel, MAX_UNIT_NAME_CHARS, unit_name_problem,
};
pub use direction::{
    DigestSpec, Direction, Indicator, MetricKind, MetricSpec, NATIONAL_SOURCE, NationalTarget,
};
pub use error::{BoxError, CoreError, TaskError, line_of, toml_error};
pub use indicators::assemble as assemble_indicators;
pub use suite::{SuiteRef, SuiteSpec, SuppliedDataset};
pub use task::{
    BackendHandle, BuiltinContext, BuiltinInfo, BuiltinSystem, GenerateParams, Loaded, Observed,
    SampleLibrary, ScoreContext, Scorer, Scores, Task, library_as,
};
pub use task_base::{EmbeddedSuite, TaskBase, parse_embedded, pin_of_crate};
