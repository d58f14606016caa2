//! The scorer of a medical-imaging suite: the annotations read from the dataset's truth part
//! and checked against the library's images, the answer shape check, and the dispatch to
//! case-level or FROC scoring.

use crate::annotation::{ANNOTATIONS_FILE, AnnotationFile, LesionAnnotation};
use crate::answer;
use crate::image::Image;
use crate::samples::ImagingSamples;
use crate::scoring;
use crate::suites::{self, SuiteKind};
use jiebang_core::bounded::limit;
use jiebang_core::{CoreError, Dataset, ScoreContext, Scorer, Scores, SuiteSpec, TaskError};
use serde_json::Value;
use std::sync::Arc;

/// One study with its truth.
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

/// The truth of one suite and dataset and how its answers are scored.
#[derive(Debug)]
pub struct ImagingScorer {
    kind: SuiteKind,
    froc: scoring::FrocProtocol,
    studies: Vec<StudyRecord>,
}

/// Loads `dataset` for `suite`: reads the annotation file from the truth part and checks it
/// against the manifest, builds the library from the inputs part (decoding every slice), and
/// checks that every lesion lies inside its slice.
pub fn load(
    suite: &SuiteSpec,
    dataset: &Dataset,
) -> Result<(Arc<ImagingSamples>, Arc<ImagingScorer>), TaskError> {
    let protocol = suites::protocol(suite)?;
    let what = "the annotation file described in docs/directions/medical-imaging.md";
    let truth = dataset.truth();
    let path = truth.path(ANNOTATIONS_FILE, what)?;
    let text = truth.read_text(ANNOTATIONS_FILE, limit::DATASET_INDEX, "annotation file")?;
    let file = AnnotationFile::parse(&path, &text)?;
    file.check_against(&path, dataset)?;
    let library = ImagingSamples::load(
        dataset.inputs(),
        file.studies.iter().map(|s| (s.id.clone(), s.files.clone())),
    )?;
    let mut studies = Vec::with_capacity(file.studies.len());
    for (s, seen) in file.studies.into_iter().zip(library.studies()) {
        for (k, l) in s.lesions.iter().enumerate() {
            let (rows, cols) = seen.dims[l.slice];
            let probe = Image {
                rows,
                cols,
                data: Vec::new(),
            };
            if !probe.contains_point(l.x, l.y) {
                return Err(TaskError::invalid(
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
                ));
            }
        }
        if protocol.answer == SuiteKind::LesionFroc && s.positive && s.lesions.is_empty() {
            return Err(TaskError::invalid(
                &path,
                format!(
                    "study `{}` is positive but has no `lesions`; the {} suite needs every \
                     lesion's centre and radius",
                    s.id,
                    suite.full_id()
                ),
            ));
        }
        studies.push(StudyRecord {
            id: s.id,
            files: s.files,
            positive: s.positive,
            category: s.category,
            lesions: s.lesions,
            dims: seen.dims.clone(),
        });
    }
    let scorer = ImagingScorer {
        kind: protocol.answer,
        froc: scoring::FrocProtocol {
            max_marks: protocol.max_marks_per_study,
            resamples: protocol.bootstrap_resamples,
        },
        studies,
    };
    Ok((Arc::new(library), Arc::new(scorer)))
}

impl ImagingScorer {
    /// The studies with their truth, in query order.
    pub fn studies(&self) -> &[StudyRecord] {
        &self.studies
    }

    /// The suite's protocol.
    pub fn kind(&self) -> SuiteKind {
        self.kind
    }
}

impl Scorer for ImagingScorer {
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
            SuiteKind::CaseDetection => scoring::score_cases(&parsed),
            SuiteKind::LesionFroc => scoring::score_froc(&parsed, &self.froc, ctx.seed),
        }
    }
}
