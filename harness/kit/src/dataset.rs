//! A suite's default dataset generated into a folder the way `jiebang data gen` lays it out:
//! the task writes `inputs/` and `truth/`, the kit builds the manifest and opens it verified.

use jiebang_core::{CoreError, Dataset, DatasetDirs, GenerateParams, Manifest, SuiteSpec, Task};
use std::collections::BTreeMap;
use std::path::Path;

/// Generates `suite`'s dataset into the empty (or absent) folder `root`, writes its manifest
/// and opens it verified.
pub fn generate(
    task: &dyn Task,
    suite: &SuiteSpec,
    params: &GenerateParams,
    root: &Path,
) -> Result<Dataset, CoreError> {
    let dirs = DatasetDirs::create(root)?;
    let generator = task.generate(suite, &dirs, params, &|_, _| {})?;
    let mut meta = BTreeMap::new();
    meta.insert("suite".into(), serde_json::json!(suite.full_id()));
    meta.insert("generator".into(), serde_json::json!(generator));
    meta.insert(
        "samples".into(),
        serde_json::json!(params.samples_for(suite)?),
    );
    let manifest = Manifest::build(root, meta)?;
    manifest.write(root)?;
    Dataset::open_verified(root)
}
