//! Generated datasets and bad ones: the generator is seeded and byte-identical with opaque
//! names; a bad WAV or transcript is a clear error naming the file and line, never a panic.

use jiebang_core::{
    CoreError, Dataset, DatasetDirs, GenerateParams, Loaded, Manifest, SuiteSpec, Task,
};
use jiebang_speech::Speech;
use std::collections::BTreeMap;
use std::path::Path;

fn suite(name: &str) -> SuiteSpec {
    Speech::new()
        .suites()
        .iter()
        .find(|s| s.id.ends_with(name))
        .cloned()
        .unwrap()
}

fn rebuild_manifest(dir: &Path) {
    let _ = std::fs::remove_file(dir.join(jiebang_core::MANIFEST_FILE));
    Manifest::build(dir, BTreeMap::new())
        .unwrap()
        .write(dir)
        .unwrap();
}

fn generate(dir: &Path, name: &str, n: u64, seed: u64) -> Result<String, CoreError> {
    let s = suite(name);
    let params = GenerateParams {
        samples: Some(n),
        seed: Some(seed),
    };
    let r = Speech::new().generate(&s, &DatasetDirs::create(dir).unwrap(), &params, &|_, _| {});
    if r.is_ok() {
        rebuild_manifest(dir);
    }
    r
}

fn load(dir: &Path, name: &str) -> Result<Loaded, CoreError> {
    Speech::new().load(&suite(name), &Dataset::open_verified(dir)?)
}

fn error(dir: &Path, name: &str) -> String {
    match load(dir, name) {
        Ok(_) => panic!("the dataset loaded"),
        Err(e) => e.to_string(),
    }
}

/// Replaces line `line` (1-based) of a file under the dataset and rebuilds the manifest.
fn edit_line(dir: &Path, file: &str, line: usize, text: &str) {
    let path = dir.join(file);
    let mut lines: Vec<String> = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    lines[line - 1] = text.to_string();
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    rebuild_manifest(dir);
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let m = Manifest::read(dir).unwrap();
    m.files
        .iter()
        .map(|f| (f.path.clone(), std::fs::read(dir.join(&f.path)).unwrap()))
        .collect()
}

#[test]
fn generation_is_seeded_byte_identical_balanced_and_opaque() {
    let (a, b, c) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    generate(a.path(), "asr-zh", 14, 3).unwrap();
    generate(b.path(), "asr-zh", 14, 3).unwrap();
    generate(c.path(), "asr-zh", 14, 4).unwrap();
    let fa = files(a.path());
    assert_eq!(fa, files(b.path()));
    assert_ne!(fa, files(c.path()));
    assert_eq!(fa.keys().filter(|k| k.ends_with(".wav")).count(), 14);
    assert!(fa.keys().all(|k| !k.contains("zh0")), "{:?}", fa.keys());
    let truth = String::from_utf8(fa["truth/transcripts.jsonl"].clone()).unwrap();
    let mut per_scenario: BTreeMap<String, usize> = BTreeMap::new();
    for line in truth.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        *per_scenario
            .entry(v["scenario"].as_str().unwrap().into())
            .or_default() += 1;
        assert_eq!(v["language"], "zh");
    }
    // 14 utterances over 7 scenarios: two each.
    assert_eq!(per_scenario.len(), 7, "{per_scenario:?}");
    assert!(per_scenario.values().all(|&n| n == 2), "{per_scenario:?}");
    let loaded = load(a.path(), "asr-zh").unwrap();
    assert_eq!(loaded.library.len(), 14);
    let q = loaded.library.query(0);
    assert_eq!(q["audio"], "audio/u0001.wav");
    assert_eq!(
        (q["language"].as_str(), q["sample_rate"].as_u64()),
        (Some("zh"), Some(16000))
    );

    let d = tempfile::tempdir().unwrap();
    let e = generate(d.path(), "asr-en", 1000, 1)
        .unwrap_err()
        .to_string();
    assert!(e.contains("dataset.samples") && e.contains("1000"), "{e}");
    let e = generate(d.path(), "asr-en-recorded", 1, 1)
        .unwrap_err()
        .to_string();
    assert!(e.contains("scripts/fetch-speech-recordings.sh"), "{e}");
}

#[test]
fn the_intent_suite_labels_every_utterance() {
    let tmp = tempfile::tempdir().unwrap();
    generate(tmp.path(), "intent", 6, 1).unwrap();
    let truth = std::fs::read_to_string(tmp.path().join("truth/transcripts.jsonl")).unwrap();
    for line in truth.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(v["intent"].is_string() && v["slots"].is_object(), "{v}");
    }
    let loaded = load(tmp.path(), "intent").unwrap();
    assert_eq!(loaded.library.query(0)["task"], "intent");
    let s = &loaded.scorer;
    assert!(
        s.check_answer(0, &serde_json::json!({"intent": "turn_on", "slots": {}}))
            .is_ok()
    );
    assert!(
        s.check_answer(0, &serde_json::json!({"transcript": "x"}))
            .is_err()
    );
}

#[test]
fn bad_audio_and_transcripts_name_the_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    generate(dir, "asr-en", 3, 1).unwrap();
    load(dir, "asr-en").unwrap();
    let truth = "truth/transcripts.jsonl";
    let good = std::fs::read_to_string(dir.join(truth)).unwrap();
    let line1 = good.lines().next().unwrap().to_string();
    let reset = || {
        std::fs::write(dir.join(truth), &good).unwrap();
        rebuild_manifest(dir);
    };

    // A transcript for an utterance that is not there.
    edit_line(dir, truth, 2, &line1.replace("\"u0001\"", "\"u0999\""));
    let e = error(dir, "asr-en");
    assert!(
        e.contains("transcripts.jsonl:2") && e.contains("u0999"),
        "{e}"
    );
    reset();
    // An empty transcript.
    let v: serde_json::Value = serde_json::from_str(&line1).unwrap();
    let empty = line1.replace(&format!("\"text\":{}", v["text"]), "\"text\":\"  .\"");
    edit_line(dir, truth, 1, &empty);
    let e = error(dir, "asr-en");
    assert!(
        e.contains("transcripts.jsonl:1") && e.contains("`text`"),
        "{e}"
    );
    reset();
    // Not UTF-8.
    let mut bytes = good.clone().into_bytes();
    bytes.splice(0..0, [b'\n', 0xff, 0xfe, b'\n']);
    std::fs::write(dir.join(truth), bytes).unwrap();
    rebuild_manifest(dir);
    let e = error(dir, "asr-en");
    assert!(
        e.contains("transcripts.jsonl:2") && e.contains("UTF-8"),
        "{e}"
    );
    reset();
    // A line of the utterance list that leaves the inputs.
    edit_line(
        dir,
        "inputs/utterances.jsonl",
        2,
        r#"{"id":"u0002","audio":"../truth/transcripts.jsonl"}"#,
    );
    let e = error(dir, "asr-en");
    assert!(
        e.contains("utterances.jsonl:2") && e.contains("`audio`"),
        "{e}"
    );
    std::fs::remove_dir_all(dir).unwrap();

    // A truncated WAV and one at another sample rate.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    generate(dir, "asr-en", 2, 1).unwrap();
    let wav = dir.join("inputs/audio/u0001.wav");
    let bytes = std::fs::read(&wav).unwrap();
    std::fs::write(&wav, &bytes[..30]).unwrap();
    rebuild_manifest(dir);
    let e = error(dir, "asr-en");
    assert!(e.contains("u0001.wav"), "{e}");
    let mut rate = bytes.clone();
    rate[24..28].copy_from_slice(&8000u32.to_le_bytes());
    rate[28..32].copy_from_slice(&16000u32.to_le_bytes());
    std::fs::write(&wav, &rate).unwrap();
    rebuild_manifest(dir);
    let e = error(dir, "asr-en");
    assert!(e.contains("u0001.wav") && e.contains("8000 Hz"), "{e}");
}
