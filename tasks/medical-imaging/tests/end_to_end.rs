//! End to end without the CLI: generate → manifest → verified dataset → load → built-in
//! answers → scores, for both suites; and the generator's determinism.

mod common;

use jiebang_core::Task;
use jiebang_medical_imaging::MedicalImaging;
use jiebang_scorecard::CiMethod;

#[test]
fn builtin_runs_both_suites_and_scores_them() {
    let dir = tempfile::tempdir().unwrap();
    let line = common::generate(dir.path(), 24, 7);
    assert!(line.starts_with("ct-phantom:1 seed=7 samples=24"), "{line}");
    let dataset = common::open(dir.path());
    let task = MedicalImaging::new();

    let suite = common::suite(&task, "case-detection");
    let samples = task.load(&suite, &dataset).unwrap();
    assert_eq!(samples.library.len(), 24);
    let q = samples.library.query(0);
    assert_eq!(q["files"][0], "studies/study-0000/slice-000.dcm");
    let answers = common::run_builtin(&samples, &suite);
    let scores = common::score(&samples, &suite, &answers);
    let m = |id: &str| {
        scores
            .metrics
            .get(id)
            .unwrap_or_else(|| panic!("{id} missing"))
    };
    for id in [
        "case.sensitivity",
        "case.fnr",
        "case.fpr",
        "case.specificity",
        "case.auc",
    ] {
        let metric = m(id);
        let v = metric.value.unwrap();
        let [lo, hi] = metric.ci95.unwrap();
        assert!(
            (0.0..=1.0).contains(&v) && lo <= v && v <= hi,
            "{id}: {metric:?}"
        );
        assert_eq!(metric.unit, "ratio");
    }
    assert_eq!(m("case.sensitivity").n, 12);
    assert_eq!(m("case.fpr").n, 12);
    assert_eq!(m("case.auc").ci_method, Some(CiMethod::DeLongLogit));
    let sens = m("case.sensitivity").value.unwrap();
    assert!(
        (m("case.fnr").value.unwrap() - (1.0 - sens)).abs() < 1e-12,
        "FNR is 1 − sensitivity"
    );
    // The baseline is good on its own phantom (a broken detector or scoring fails this).
    assert!(sens >= 0.75, "sensitivity {sens}");
    assert!(m("case.auc").value.unwrap() >= 0.8, "{:?}", m("case.auc"));
    for c in ["lung-nodule", "lung-mass", "liver-lesion"] {
        assert_eq!(m(&format!("case.sensitivity.{c}")).n, 4, "{c}");
    }
    // Same answers, same scores.
    assert_eq!(scores, common::score(&samples, &suite, &answers));

    let suite = common::suite(&task, "lesion-froc");
    let samples = task.load(&suite, &dataset).unwrap();
    let answers = common::run_builtin(&samples, &suite);
    let scores = common::score(&samples, &suite, &answers);
    let cpm = &scores.metrics["lesion.froc_cpm"];
    let [lo, hi] = cpm.ci95.unwrap();
    assert!(
        cpm.value.unwrap() >= 0.6 && lo <= cpm.value.unwrap() && cpm.value.unwrap() <= hi,
        "{cpm:?}"
    );
    assert_eq!(
        cpm.ci_method,
        Some(CiMethod::BootstrapCasesLuna16 { resamples: 1000 }),
        "{cpm:?}"
    );
    assert_eq!(scores.metrics.len(), 8);
}

#[test]
fn failures_count_as_wrong_answers() {
    let dir = tempfile::tempdir().unwrap();
    common::generate(dir.path(), 8, 3);
    let dataset = common::open(dir.path());
    let task = MedicalImaging::new();
    let suite = common::suite(&task, "case-detection");
    let samples = task.load(&suite, &dataset).unwrap();
    let (_, truth) = jiebang_medical_imaging::scorer::load(&suite, &dataset).unwrap();
    // A perfect oracle, then the same with every answer lost.
    let oracle: Vec<_> = truth
        .studies()
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let score = if s.positive { 1.0 } else { 0.0 };
            (
                i,
                Some(serde_json::json!({"positive": s.positive, "score": score})),
            )
        })
        .collect();
    let scores = common::score(&samples, &suite, &oracle);
    assert_eq!(scores.metrics["case.sensitivity"].value, Some(1.0));
    assert_eq!(scores.metrics["case.fpr"].value, Some(0.0));
    assert_eq!(scores.metrics["case.auc"].value, Some(1.0));
    let lost: Vec<_> = (0..samples.library.len()).map(|i| (i, None)).collect();
    let scores = common::score(&samples, &suite, &lost);
    assert_eq!(scores.metrics["case.sensitivity"].value, Some(0.0));
    assert_eq!(scores.metrics["case.fpr"].value, Some(1.0));
    assert_eq!(scores.metrics["case.auc"].value, Some(0.0));
    // A malformed answer that reaches scoring is a failure too.
    let malformed: Vec<_> = (0..samples.library.len())
        .map(|i| (i, Some(serde_json::json!({"positive": "yes"}))))
        .collect();
    assert_eq!(
        common::score(&samples, &suite, &malformed).metrics["case.sensitivity"].value,
        Some(0.0)
    );
}

#[test]
fn same_seed_same_bytes_other_seed_other_data() {
    let (a, b, c) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    common::generate(a.path(), 6, 11);
    common::generate(b.path(), 6, 11);
    common::generate(c.path(), 6, 12);
    let (da, db, dc) = (
        common::open(a.path()),
        common::open(b.path()),
        common::open(c.path()),
    );
    assert_eq!(da.manifest.files, db.manifest.files);
    assert_eq!(da.hash, db.hash);
    assert_ne!(da.hash, dc.hash);
    assert_eq!(da.manifest.files.len(), 7, "6 slices and annotations.json");
}

#[test]
fn demo_declaration_validates_against_the_catalogue() {
    let task = MedicalImaging::new();
    let text = task.demo_declaration().unwrap();
    let d = jiebang_core::Declaration::parse(
        std::path::Path::new("tasks/medical-imaging/demo/declaration.toml"),
        text,
        &[task.direction()],
    )
    .unwrap();
    assert_eq!(d.direction, "medical-imaging");
    assert_eq!(d.levels.len(), 5);
    assert_eq!(d.custom[0].metric, "case.sensitivity.liver-lesion");
}
