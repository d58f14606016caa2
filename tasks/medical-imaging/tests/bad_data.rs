//! Bad agency data is refused at load with an error naming the file at fault: a corrupt
//! DICOM, a study with a missing file, an annotation naming a missing study, a lesion outside
//! its image, and a dataset without annotations.

mod common;

use jiebang_core::Task;
use jiebang_medical_imaging::{ANNOTATIONS_FILE, AnnotationFile, MedicalImaging};
use std::path::Path;

/// Generates four single-slice studies, applies `damage`, rebuilds the manifest (so the
/// dataset verifies) and returns the load error of the case-detection suite.
fn load_error(damage: impl Fn(&Path)) -> String {
    let dir = tempfile::tempdir().unwrap();
    common::generate(dir.path(), 4, 5);
    damage(dir.path());
    common::rebuild_manifest(dir.path());
    let dataset = common::open(dir.path());
    let task = MedicalImaging::new();
    let suite = common::suite(&task, "case-detection");
    match task.load(&suite, &dataset) {
        Ok(_) => panic!("damaged dataset loaded"),
        Err(e) => {
            eprintln!("{e}");
            e.to_string()
        }
    }
}

fn edit_annotations(root: &Path, edit: impl Fn(&mut AnnotationFile)) {
    let path = root.join("truth").join(ANNOTATIONS_FILE);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut file = AnnotationFile::parse(&path, &text).unwrap();
    edit(&mut file);
    std::fs::write(&path, file.to_json()).unwrap();
}

fn assert_has(err: &str, needles: &[&str]) {
    for n in needles {
        assert!(err.contains(n), "error `{err}` lacks `{n}`");
    }
}

#[test]
fn corrupt_dicom_names_the_file() {
    let err = load_error(|root| {
        let f = root.join("inputs/studies/study-0002/slice-000.dcm");
        let mut bytes = std::fs::read(&f).unwrap();
        bytes.truncate(300);
        std::fs::write(&f, bytes).unwrap();
    });
    assert_has(
        &err,
        &[
            "studies/study-0002/slice-000.dcm",
            "not a readable DICOM image",
        ],
    );
    let err = load_error(|root| {
        std::fs::write(
            root.join("inputs/studies/study-0001/slice-000.dcm"),
            b"GIF89a not dicom",
        )
        .unwrap();
    });
    assert_has(
        &err,
        &["study-0001/slice-000.dcm", "not a readable DICOM image"],
    );
}

#[test]
fn a_study_with_a_missing_file_names_it() {
    let err = load_error(|root| {
        edit_annotations(root, |f| {
            f.studies[1]
                .files
                .push("studies/study-0001/slice-001.dcm".into());
        });
    });
    assert_has(
        &err,
        &[
            ANNOTATIONS_FILE,
            "study `study-0001`",
            "studies/study-0001/slice-001.dcm",
            "is missing",
        ],
    );
}

#[test]
fn an_annotation_naming_a_missing_study_names_it() {
    let err = load_error(|root| {
        std::fs::remove_dir_all(root.join("inputs/studies/study-0003")).unwrap();
    });
    assert_has(
        &err,
        &[
            ANNOTATIONS_FILE,
            "study `study-0003` is missing",
            "studies/study-0003/slice-000.dcm",
        ],
    );
}

#[test]
fn a_lesion_outside_the_image_names_annotation_and_slice() {
    let err = load_error(|root| {
        edit_annotations(root, |f| {
            let s = f.studies.iter_mut().find(|s| s.positive).unwrap();
            s.lesions[0].x = 140.0;
        });
    });
    assert_has(
        &err,
        &[
            ANNOTATIONS_FILE,
            "lies outside slice 0",
            "slice-000.dcm",
            "128 columns",
        ],
    );
}

#[test]
fn a_dataset_without_annotations_says_what_is_expected() {
    let err =
        load_error(|root| std::fs::remove_file(root.join("truth").join(ANNOTATIONS_FILE)).unwrap());
    assert_has(
        &err,
        &[ANNOTATIONS_FILE, "docs/directions/medical-imaging.md"],
    );
}

#[test]
fn paths_leaving_the_root_are_refused() {
    let err = load_error(|root| {
        edit_annotations(root, |f| f.studies[0].files = vec!["../outside.dcm".into()]);
    });
    assert_has(
        &err,
        &[
            ANNOTATIONS_FILE,
            "study `study-0000`",
            "`..` would leave the root",
        ],
    );
}
