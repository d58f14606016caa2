//! The annotation file (`truth/annotations.json`, never shown to a SUT): per study its DICOM
//! files (relative to `inputs/`), case label, disease category and lesions (centre and radius in
//! pixels). Reading checks every entry against the dataset and names the file, study and field.

use jiebang_core::TaskError;
use jiebang_core::{Dataset, check_relative_path};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::Path;

/// File name of the annotation file inside the dataset's `truth/` folder.
pub const ANNOTATIONS_FILE: &str = "annotations.json";

/// The annotation file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnotationFile {
    /// Format version (1).
    pub schema_version: u32,
    /// Free text on where the data come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The studies, in the order they are queried.
    pub studies: Vec<StudyAnnotation>,
}

/// One study.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StudyAnnotation {
    /// Study id, unique in the file.
    pub id: String,
    /// The study's DICOM files (one slice each), relative to the dataset's `inputs/`, in slice
    /// order.
    pub files: Vec<String>,
    /// Whether the study shows disease.
    pub positive: bool,
    /// Disease category of a positive study (e.g. `lung-nodule`); absent for negatives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Lesions of a positive study (required for the lesion-froc suite); none for negatives.
    #[serde(default)]
    pub lesions: Vec<LesionAnnotation>,
}

/// One lesion, as seen on one slice.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LesionAnnotation {
    /// Index into the study's `files` (0-based); 0 when absent.
    #[serde(default)]
    pub slice: usize,
    /// Centre column in pixels (the first pixel's centre is 0).
    pub x: f64,
    /// Centre row in pixels.
    pub y: f64,
    /// Radius in pixels.
    pub r: f64,
}

impl AnnotationFile {
    /// Serialises as pretty JSON with a trailing newline (deterministic for equal content).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// Parses annotation JSON read from `path`, checking its own consistency (ids, labels,
    /// lesion fields); [`AnnotationFile::check_against`] checks it against a dataset.
    pub fn parse(path: &Path, text: &str) -> Result<AnnotationFile, TaskError> {
        let file: AnnotationFile = serde_json::from_str(text).map_err(|e| {
            TaskError::invalid(
                path,
                format!(
                    "line {}: {e}; expected the annotation format of docs/directions/medical-imaging.md",
                    e.line()
                ),
            )
        })?;
        if file.schema_version != 1 {
            return Err(TaskError::invalid(
                path,
                format!(
                    "field `schema_version`: this jiebang reads annotation schema 1, found {}",
                    file.schema_version
                ),
            ));
        }
        if file.studies.is_empty() {
            return Err(TaskError::invalid(
                path,
                "field `studies`: expected at least one study",
            ));
        }
        let mut ids = BTreeSet::new();
        for s in &file.studies {
            let bad = |m: String| TaskError::invalid(path, format!("study `{}`: {m}", s.id));
            if s.id.trim().is_empty() {
                return Err(TaskError::invalid(
                    path,
                    "a study has an empty `id`; expected a unique non-empty id",
                ));
            }
            if !ids.insert(s.id.as_str()) {
                return Err(bad("`id` is listed twice; expected unique study ids".into()));
            }
            if s.files.is_empty() {
                return Err(bad(
                    "`files` is empty; expected at least one DICOM file".into()
                ));
            }
            match (s.positive, &s.category) {
                (true, None) => {
                    return Err(bad(
                        "positive study without `category`; expected a disease category".into(),
                    ));
                }
                (true, Some(c)) if c.trim().is_empty() => {
                    return Err(bad("`category` is empty".into()));
                }
                (false, Some(c)) => {
                    return Err(bad(format!(
                        "negative study with `category` \"{c}\"; categories are for positive studies"
                    )));
                }
                _ => {}
            }
            if !s.positive && !s.lesions.is_empty() {
                return Err(bad(format!(
                    "negative study with {} lesion(s); expected `positive: true` or no lesions",
                    s.lesions.len()
                )));
            }
            for (k, l) in s.lesions.iter().enumerate() {
                if !(l.x.is_finite() && l.y.is_finite() && l.r.is_finite() && l.r > 0.0) {
                    return Err(bad(format!(
                        "lesion {k}: x = {}, y = {}, r = {}; expected finite numbers and r > 0",
                        l.x, l.y, l.r
                    )));
                }
                if l.slice >= s.files.len() {
                    return Err(bad(format!(
                        "lesion {k}: `slice` {} but the study has {} file(s); expected 0..{}",
                        l.slice,
                        s.files.len(),
                        s.files.len()
                    )));
                }
            }
        }
        Ok(file)
    }

    /// Checks that every file a study names is a listed file of `dataset`'s inputs part: a
    /// study with none of its files present is reported as a missing study, one with some files
    /// absent as a missing file.
    pub fn check_against(&self, path: &Path, dataset: &Dataset) -> Result<(), TaskError> {
        for s in &self.studies {
            for f in &s.files {
                check_relative_path(path, f).map_err(|e| {
                    let why = match e {
                        jiebang_core::CoreError::Invalid { message, .. } => message,
                        other => other.to_string(),
                    };
                    TaskError::invalid(path, format!("study `{}`: {why}", s.id))
                })?;
            }
            let missing: Vec<&String> = s
                .files
                .iter()
                .filter(|f| !dataset.inputs().contains(f))
                .collect();
            if missing.len() == s.files.len() {
                return Err(TaskError::invalid(
                    path,
                    format!(
                        "study `{}` is missing from the dataset: none of its files ({}) is listed under `inputs/` in {}",
                        s.id,
                        s.files.join(", "),
                        dataset.root.join(jiebang_core::MANIFEST_FILE).display()
                    ),
                ));
            }
            if let Some(f) = missing.first() {
                return Err(TaskError::invalid(
                    path,
                    format!(
                        "study `{}`: file `{f}` is missing: it is not listed under `inputs/` in {} ({} of the study's {} files are)",
                        s.id,
                        dataset.root.join(jiebang_core::MANIFEST_FILE).display(),
                        s.files.len() - missing.len(),
                        s.files.len()
                    ),
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"schema_version": 1, "studies": [
        {"id": "a", "files": ["a/0.dcm"], "positive": true, "category": "lung-nodule",
         "lesions": [{"x": 10, "y": 12.5, "r": 3}]},
        {"id": "b", "files": ["b/0.dcm", "b/1.dcm"], "positive": false}
    ]}"#;

    fn err(text: &str) -> String {
        AnnotationFile::parse(Path::new("ann.json"), text)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn good_file_parses_and_round_trips() {
        let f = AnnotationFile::parse(Path::new("ann.json"), GOOD).unwrap();
        assert_eq!(f.studies[0].lesions[0].slice, 0);
        let again = AnnotationFile::parse(Path::new("x"), &f.to_json()).unwrap();
        assert_eq!(again, f);
    }

    #[test]
    fn inconsistent_entries_name_study_and_field() {
        let e = err(&GOOD.replace(r#""category": "lung-nodule","#, ""));
        assert!(
            e.contains("ann.json") && e.contains("study `a`") && e.contains("category"),
            "{e}"
        );
        let e = err(&GOOD.replace(r#""id": "b""#, r#""id": "a""#));
        assert!(e.contains("listed twice"), "{e}");
        let e = err(&GOOD.replace(r#""r": 3"#, r#""r": -1"#));
        assert!(e.contains("lesion 0") && e.contains("r > 0"), "{e}");
        let e = err(&GOOD.replace(r#""x": 10"#, r#""slice": 1, "x": 10"#));
        assert!(e.contains("`slice` 1"), "{e}");
        let e = err(&GOOD.replace(
            r#""positive": false"#,
            r#""positive": false, "lesions": [{"x":1,"y":1,"r":1}]"#,
        ));
        assert!(e.contains("negative study with 1 lesion"), "{e}");
        let e = err(&GOOD.replace("schema_version\": 1", "schema_version\": 2"));
        assert!(e.contains("schema 1, found 2"), "{e}");
        let e = err(&GOOD.replace("\"files\"", "\"file\""));
        assert!(e.contains("ann.json") && e.contains("line"), "{e}");
    }
}
