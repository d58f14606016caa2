//! Golden-file tests: canonical bytes and ids must not drift across runs, platforms or
//! releases; the committed JSON Schema must match the types. Set `JIEBANG_BLESS=1` to rewrite.

use jiebang_scorecard::*;
use std::collections::BTreeMap;
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bless() -> bool {
    std::env::var_os("JIEBANG_BLESS").is_some()
}

fn sample() -> Scorecard {
    let mut metrics = BTreeMap::new();
    metrics.insert(
        "case.sensitivity".to_string(),
        Metric {
            value: Some(47.0 / 49.0),
            ci95: Some([0.862_940_174_512_3, 0.994_399_112_203_4]),
            ci_method: Some(jiebang_scorecard::CiMethod::Wilson),
            n: 49,
            unit: "ratio".into(),
            reason: None,
            self_reported: None,
            convention: None,
            n_smaller_class: None,
        },
    );
    metrics.insert(
        "energy.tops_per_watt".to_string(),
        Metric {
            value: None,
            ci95: None,
            ci_method: None,
            n: 0,
            unit: "TOPS/W".into(),
            reason: Some("no power sensor readable".into()),
            self_reported: None,
            convention: None,
            n_smaller_class: None,
        },
    );
    let mut settings = BTreeMap::new();
    settings.insert("mode".to_string(), serde_json::json!("accuracy"));
    settings.insert("timeout_s".to_string(), serde_json::json!(30.0));
    Scorecard {
        schema_version: SCHEMA_VERSION,
        id: None,
        pins: Pins {
            harness: HarnessPin {
                version: "0.1.0".into(),
                git_commit: Some("0123456789abcdef0123456789abcdef01234567".into()),
            },
            task: TaskPin {
                direction: "medical-imaging".into(),
                crate_name: "jiebang-medical-imaging".into(),
                version: "0.1.0".into(),
            },
            suite: SuitePin {
                id: "medical-imaging/case-detection".into(),
                version: 1,
                hash: "ab".repeat(32),
                source: "embedded".into(),
            },
            dataset: DatasetPin {
                hash: "cd".repeat(32),
                files: 3,
                bytes: 1234,
                samples: 100,
                generator: Some("synthetic:v1 seed=7".into()),
            },
            sut: SutPin {
                adapter: "builtin".into(),
                name: "log-blob".into(),
                version: Some("1".into()),
                command: None,
                hash: "ef".repeat(32),
                files: vec![],
            },
            backend: BackendPin {
                kind: "cpu".into(),
                device: "AMD EPYC".into(),
                vendor: None,
                api: Some("candle-cpu".into()),
                driver: None,
                driver_info: None,
                device_type: Some("Cpu".into()),
            },
            host: HostPin {
                os: "linux".into(),
                arch: "x86_64".into(),
                cpu: None,
                threads: 2,
            },
            seed: 7,
            settings,
            declaration: None,
            round: None,
            shard: None,
            started_at: "2026-11-23T00:00:00Z".into(),
        },
        run: RunSummary {
            mode: "accuracy".into(),
            scenario: None,
            queries: QueryCounts {
                issued: 100,
                answered: 99,
                failures: Failures {
                    timeout: 1,
                    ..Failures::default()
                },
            },
            duration_s: 1.25,
        },
        metrics,
        indicators: vec![IndicatorResult {
            id: "imaging.detection_rate".into(),
            name_zh: "检出率".into(),
            name_en: "detection rate".into(),
            unit: "ratio".into(),
            better: Better::Higher,
            metric: "case.sensitivity".into(),
            custom: false,
            measured: Some(47.0 / 49.0),
            ci95: Some([0.862_940_174_512_3, 0.994_399_112_203_4]),
            n: 49,
            reason: None,
            declared_current: Some(0.93),
            declared_target_2020: Some(0.96),
            national_target: Some(Target {
                comparison: Comparison::Gt,
                value: 0.95,
                source: "工信部科〔2017〕315号".into(),
                unconfirmed: false,
            }),
            verdicts: Verdicts {
                national: Some(Verdict {
                    status: VerdictStatus::Inconclusive,
                    threshold: 0.95,
                    comparison: Comparison::Gt,
                    needed_n: Some(400),
                    reason: None,
                }),
                own_target: None,
                declared_current: None,
            },
        }],
        digests: BTreeMap::new(),
        samples: BTreeMap::new(),
        curves: BTreeMap::new(),
        signature: None,
    }
}

fn check_or_bless(path: PathBuf, actual: &[u8]) {
    if bless() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with JIEBANG_BLESS=1 to create)",
            path.display()
        )
    });
    assert!(
        expected == actual,
        "{} is stale or the encoding drifted; if the change is intended, rerun with JIEBANG_BLESS=1 and commit",
        path.display()
    );
}

#[test]
fn signed_scorecard_bytes_and_id_are_golden() {
    let key = KeyPair::from_seed("test-agency", [7u8; 32]);
    let mut sc = sample();
    let bytes = seal(&mut sc, Some(&key)).unwrap();
    check_or_bless(dir().join("tests/golden/sample.scorecard.json"), &bytes);
    // Sealing twice gives the same bytes (ed25519 signatures are deterministic).
    let again = seal(&mut sample(), Some(&key)).unwrap();
    assert_eq!(bytes, again);
    let v = verify_bytes("golden", &bytes, Some(&[key.public()])).unwrap();
    assert_eq!(v.id, sc.id.clone().unwrap());
}

#[test]
fn committed_json_schema_is_current() {
    check_or_bless(
        dir().join("schema/scorecard.schema.json"),
        scorecard_schema_json().as_bytes(),
    );
}
