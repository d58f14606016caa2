//! Writes the seeded synthetic dataset: one directory of DICOM slices per study under
//! `inputs/` and the annotation file under `truth/`. Identity fields (UIDs, dates, times) come
//! from the seed, so the same seed and parameters give byte-identical files.

use crate::annotation::{ANNOTATIONS_FILE, AnnotationFile, LesionAnnotation, StudyAnnotation};
use crate::dicom_io::{SliceIdentity, write_ct_slice};
use crate::phantom::{CATEGORIES, PHANTOM_VERSION, PhantomParams, render_study};
use jiebang_core::DatasetDirs;
use jiebang_core::TaskError;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct GenerateSpec {
    /// Phantom parameters.
    pub phantom: PhantomParams,
    /// Number of studies.
    pub studies: u64,
    /// Seed.
    pub seed: u64,
    /// Fraction of positive studies (rounded to a whole count).
    pub positive_fraction: f64,
}

/// The labels of all studies: `Some(category)` for positives, in a seeded order. Exactly
/// `round(n · fraction)` studies are positive, categories in turn.
pub fn labels(spec: &GenerateSpec) -> Vec<Option<&'static str>> {
    let n = spec.studies as usize;
    let positives = ((n as f64) * spec.positive_fraction).round() as usize;
    let mut labels: Vec<Option<&'static str>> = (0..n)
        .map(|i| (i < positives).then(|| CATEGORIES[i % CATEGORIES.len()]))
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    labels.shuffle(&mut rng);
    labels
}

/// A `2.25.` UID (UUID-derived form) from 120 seeded bits.
fn uid(rng: &mut ChaCha8Rng) -> String {
    let hi: u64 = rng.random();
    let lo: u64 = rng.random();
    let v = ((u128::from(hi) << 64) | u128::from(lo)) >> 8;
    format!("2.25.{v}")
}

/// `YYYYMMDD` for day `d` (0..366) of 2020.
fn date_2020(d: u32) -> String {
    let months = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut day = d % 366;
    let mut month = 0;
    while day >= months[month] {
        day -= months[month];
        month += 1;
    }
    format!("2020{:02}{:02}", month + 1, day + 1)
}

/// Path of slice `k` of a study, relative to the dataset's `inputs/`.
pub fn slice_path(study_id: &str, k: usize) -> String {
    format!("studies/{study_id}/slice-{k:03}.dcm")
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// Writes the dataset into `out` (the DICOM slices into `out.inputs`, the annotation file into
/// `out.truth`; both existing and empty) and returns the generator's one-line description.
pub fn generate_dataset(
    out: &DatasetDirs,
    spec: &GenerateSpec,
    progress: &dyn Fn(u64, u64),
) -> Result<String, TaskError> {
    let n = spec.studies;
    let width = n.saturating_sub(1).to_string().len().max(4);
    let labels = labels(spec);
    let p = &spec.phantom;
    let spacing = p.fov_mm / p.size as f64;
    let mut studies = Vec::with_capacity(labels.len());
    for (i, label) in labels.iter().enumerate() {
        let study = render_study(p, spec.seed, i as u64, *label);
        let id = format!("study-{i:0width$}");
        let mut ids = ChaCha8Rng::seed_from_u64(spec.seed ^ 0x9e37_79b9_7f4a_7c15);
        ids.set_stream(i as u64 + 1);
        let (study_uid, series_uid, frame_uid) = (uid(&mut ids), uid(&mut ids), uid(&mut ids));
        let date = date_2020(ids.random_range(0..366));
        let time = format!(
            "{:02}{:02}{:02}",
            ids.random_range(7..19),
            ids.random_range(0..60),
            ids.random_range(0..60)
        );
        let dir = out.inputs.join("studies").join(&id);
        std::fs::create_dir_all(&dir).map_err(|e| TaskError::io(&dir, e))?;
        let mut files = Vec::with_capacity(study.slices.len());
        for (k, hu) in study.slices.iter().enumerate() {
            let rel = slice_path(&id, k);
            let identity = SliceIdentity {
                patient_id: format!("JB{i:0width$}"),
                study_id: format!("{i}"),
                study_uid: study_uid.clone(),
                series_uid: series_uid.clone(),
                sop_uid: uid(&mut ids),
                frame_uid: frame_uid.clone(),
                study_date: date.clone(),
                study_time: time.clone(),
                instance_number: k as u32 + 1,
                pixel_spacing_mm: spacing,
                slice_thickness_mm: p.slice_mm,
                slice_z_mm: -100.0 - p.slice_mm * k as f64,
            };
            write_ct_slice(&out.inputs.join(&rel), &identity, p.size, p.size, hu)?;
            files.push(rel);
        }
        studies.push(StudyAnnotation {
            id,
            files,
            positive: label.is_some(),
            category: study.category.map(String::from),
            lesions: study
                .lesions
                .iter()
                .map(|l| LesionAnnotation {
                    slice: l.slice,
                    x: round3(l.x),
                    y: round3(l.y),
                    r: round3(l.r),
                })
                .collect(),
        });
        progress(i as u64 + 1, n);
    }
    let description = format!(
        "ct-phantom:{PHANTOM_VERSION} seed={} samples={n} size={} slices={} positive_fraction={}",
        spec.seed, p.size, p.slices, spec.positive_fraction
    );
    let file = AnnotationFile {
        schema_version: 1,
        description: Some(format!(
            "synthetic CT-like studies from jiebang's {description}"
        )),
        studies,
    };
    let path = out.truth.join(ANNOTATIONS_FILE);
    std::fs::write(&path, file.to_json()).map_err(|e| TaskError::io(&path, e))?;
    Ok(description)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_exact_balanced_and_seeded() {
        let spec = GenerateSpec {
            phantom: PhantomParams::default(),
            studies: 30,
            seed: 5,
            positive_fraction: 0.5,
        };
        let a = labels(&spec);
        assert_eq!(a.iter().filter(|l| l.is_some()).count(), 15);
        for c in CATEGORIES {
            assert_eq!(a.iter().filter(|l| **l == Some(c)).count(), 5);
        }
        assert_eq!(a, labels(&spec));
        let b = labels(&GenerateSpec { seed: 6, ..spec });
        assert_ne!(a, b);
    }

    #[test]
    fn dates_cover_the_leap_year() {
        assert_eq!(date_2020(0), "20200101");
        assert_eq!(date_2020(59), "20200229");
        assert_eq!(date_2020(365), "20201231");
    }
}
