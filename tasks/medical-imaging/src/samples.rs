//! The sample library of a medical-imaging suite: the verified dataset's studies with their
//! annotations, every DICOM slice checked at load (untimed), the query of each study, the
//! answer shape check and the dispatch to case-level or FROC scoring.

use crate::annotation::{ANNOTATIONS_FILE, AnnotationFile, LesionAnnotation};
use crate::answer;
use crate::dicom_io::read_image;
use crate::error::ImagingError;
use crate::image::Image;
use crate::scoring;
use crate::suites::{SuiteKind, protocol_usize};
use jiebang_core::bounded::{self, limit};
use jiebang_core::{CoreError, Dataset, SampleLibrary, ScoreContext, Scorer, Scores, SuiteSpec};
use serde_json::{Map, Value, json};
use std::any::Any;
use std::path::{Path, PathBuf};

/// One study as loaded: annotation plus the size of each slice.
#[derive(Debug, Clone, PartialEq)]
pub struct StudyRecord {
    /// Study id.
    pub id: String,
    /// DICOM files relative to the dataset's `inputs/`, in slice order.
    pub files: Vec<String>,
    /// Case label.
    pub positive: bool,
    /// Disease category of a positive study.
    pub category: Option<String>,
    /// Annotated lesions.
    pub lesions: Vec<LesionAnnotation>,
    /// `(rows, cols)` of each slice.
    pub dims: Vec<(usize, usize)>,
}

/// The studies of one suite and dataset.
#[derive(Debug)]
pub struct ImagingSamples {
    kind: SuiteKind,
    suite: SuiteSpec,
    inputs: PathBuf,
    studies: Vec<StudyRecord>,
}

impl ImagingSamples {
    /// Loads `dataset` for `suite`: reads the annotation file from the truth part and checks
    /// it against the manifest, decodes every slice of the inputs part (a corrupt file is
    /// named), and checks that every lesion lies inside its slice.
    pub fn load(suite: &SuiteSpec, dataset: &Dataset) -> Result<ImagingSamples, CoreError> {
        let kind = SuiteKind::of(suite)?;
        let what = "the annotation file described in docs/directions/medical-imaging.md";
        let path = dataset.truth().path(ANNOTATIONS_FILE, what)?;
        let text = bounded::read_text(&path, limit::DATASET_INDEX, "annotation file")?;
        let file = AnnotationFile::parse(&path, &text)?;
        file.check_against(&path, dataset)?;
        let mut studies = Vec::with_capacity(file.studies.len());
        for s in file.studies {
            let mut dims = Vec::with_capacity(s.files.len());
            for f in &s.files {
                let img = read_image(&dataset.inputs().path(f, "a DICOM slice of the study")?)?;
                dims.push((img.rows, img.cols));
            }
            for (k, l) in s.lesions.iter().enumerate() {
                let (rows, cols) = dims[l.slice];
                let probe = Image {
                    rows,
                    cols,
                    data: Vec::new(),
                };
                if !probe.contains_point(l.x, l.y) {
                    return Err(ImagingError::annotation(
                        &path,
                        format!(
                            "study `{}` lesion {k}: centre (x {}, y {}) lies outside slice {} \
                             (`{}`, {cols} columns × {rows} rows); expected -0.5 ≤ x < {} and \
                             -0.5 ≤ y < {} in pixels",
                            s.id,
                            l.x,
                            l.y,
                            l.slice,
                            s.files[l.slice],
                            cols as f64 - 0.5,
                            rows as f64 - 0.5
                        ),
                    )
                    .into());
                }
            }
            if kind == SuiteKind::LesionFroc && s.positive && s.lesions.is_empty() {
                return Err(ImagingError::annotation(
                    &path,
                    format!(
                        "study `{}` is positive but has no `lesions`; the {} suite needs every \
                         lesion's centre and radius",
                        s.id,
                        suite.full_id()
                    ),
                )
                .into());
            }
            studies.push(StudyRecord {
                id: s.id,
                files: s.files,
                positive: s.positive,
                category: s.category,
                lesions: s.lesions,
                dims,
            });
        }
        Ok(ImagingSamples {
            kind,
            suite: suite.clone(),
            inputs: dataset.inputs_root(),
            studies,
        })
    }

    /// The studies, in query order.
    pub fn studies(&self) -> &[StudyRecord] {
        &self.studies
    }

    /// The dataset's inputs part, which the files of a study are relative to (all a
    /// built-in system may read).
    pub fn inputs_root(&self) -> &Path {
        &self.inputs
    }

    /// The suite's protocol.
    pub fn kind(&self) -> SuiteKind {
        self.kind
    }

    /// Decodes the slices of study `index` (for built-in systems).
    pub fn read_slices(&self, index: usize) -> Result<Vec<Image>, ImagingError> {
        let study = self.studies.get(index).ok_or_else(|| {
            ImagingError::Backend(format!(
                "sample {index} out of range ({} studies)",
                self.studies.len()
            ))
        })?;
        study
            .files
            .iter()
            .map(|f| read_image(&self.inputs.join(f)))
            .collect()
    }
}

impl SampleLibrary for ImagingSamples {
    fn len(&self) -> usize {
        self.studies.len()
    }

    fn sample_id(&self, index: usize) -> String {
        self.studies
            .get(index)
            .map(|s| s.id.clone())
            .unwrap_or_else(|| format!("#{index}"))
    }

    fn query(&self, index: usize) -> Map<String, Value> {
        let mut m = Map::new();
        if let Some(s) = self.studies.get(index) {
            m.insert("study".into(), json!(s.id));
            m.insert("files".into(), json!(s.files));
        }
        m
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Scorer for ImagingSamples {
    fn check_answer(&self, index: usize, answer: &Value) -> Result<(), String> {
        let slices = self
            .studies
            .get(index)
            .map(|s| s.files.len())
            .ok_or_else(|| format!("sample {index} out of range"))?;
        answer::parse(answer, self.kind, slices).map(|_| ())
    }

    fn score(
        &self,
        answers: &[(usize, Option<Value>)],
        ctx: &ScoreContext,
    ) -> Result<Scores, CoreError> {
        let mut parsed = Vec::with_capacity(answers.len());
        for (i, a) in answers {
            let study = self.studies.get(*i).ok_or_else(|| {
                CoreError::Other(format!(
                    "scoring: sample {i} out of range ({} studies)",
                    self.studies.len()
                ))
            })?;
            // A malformed answer that reaches scoring counts as a technical failure.
            let a = a
                .as_ref()
                .and_then(|v| answer::parse(v, self.kind, study.files.len()).ok());
            parsed.push((study, a));
        }
        match self.kind {
            SuiteKind::CaseDetection => Ok(scoring::score_cases(&parsed)),
            SuiteKind::LesionFroc => {
                let settings = scoring::FrocProtocol {
                    max_marks: protocol_usize(&self.suite, "max_marks_per_study", 100, 1..=10_000)?,
                    resamples: protocol_usize(
                        &self.suite,
                        "bootstrap_resamples",
                        1000,
                        1..=100_000,
                    )?,
                };
                scoring::score_froc(&parsed, &settings, ctx.seed)
            }
        }
    }
}
