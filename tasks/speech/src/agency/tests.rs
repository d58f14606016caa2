//! Tests of the agency importers: the layout written, the shuffle, and every refusal naming
//! its file and line.

use super::*;
use crate::audio::{Audio, SAMPLE_RATE, decode_wav};
use std::fs;

fn wav(len: usize, level: f32) -> Vec<u8> {
    encode_wav(&Audio {
        sample_rate: SAMPLE_RATE,
        samples: (0..len).map(|i| level * (i as f32 * 0.1).sin()).collect(),
    })
}

/// A Kaldi folder with three utterances a, b, c (1000, 2000, 3000 samples).
fn kaldi(dir: &Path) {
    fs::create_dir_all(dir.join("audio")).unwrap();
    for (i, u) in ["a", "b", "c"].iter().enumerate() {
        fs::write(dir.join(format!("audio/{u}.wav")), wav(1000 * (i + 1), 0.5)).unwrap();
    }
    fs::write(
        dir.join("wav.scp"),
        "a audio/a.wav\nb audio/b.wav\n\nc ./audio/c.wav\n",
    )
    .unwrap();
    fs::write(
        dir.join("text"),
        "a turn on  the light\nb 打开 客厅的灯\nc call mom\n",
    )
    .unwrap();
    fs::write(dir.join("utt2spk"), "a s1\nb s2\nc s1\n").unwrap();
}

fn lines(path: &Path) -> Vec<serde_json::Value> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn refusal(r: Result<Imported, TaskError>) -> String {
    r.unwrap_err().to_string()
}

#[test]
fn a_kaldi_folder_becomes_the_dataset_layout() {
    let t = tempfile::tempdir().unwrap();
    let src = t.path().join("src");
    kaldi(&src);
    fs::write(src.join("utt2scenario"), "b far-2m\n").unwrap();
    let out = t.path().join("out");
    let got = import_kaldi(&src, Language::English, &out).unwrap();
    assert_eq!(got.utterances, 3);
    assert!((got.seconds - 6000.0 / 16000.0).abs() < 1e-9);
    let listed = lines(&out.join("inputs/utterances.jsonl"));
    let truth = lines(&out.join("truth/transcripts.jsonl"));
    let ids: Vec<&str> = listed.iter().map(|v| v["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["u0001", "u0002", "u0003"]);
    let mut texts = Vec::new();
    for (l, t) in listed.iter().zip(&truth) {
        assert_eq!(l["id"], t["id"]);
        assert_eq!(
            l["audio"],
            format!("audio/{}.wav", l["id"].as_str().unwrap())
        );
        assert_eq!(t["language"], "en");
        let audio = fs::read(out.join("inputs").join(l["audio"].as_str().unwrap())).unwrap();
        let n = decode_wav(&audio, Path::new("x")).unwrap().samples.len();
        let text = t["text"].as_str().unwrap().to_string();
        // each file keeps its own audio and transcript, whatever its new name
        let (want_n, want_speaker, want_scenario) = match text.as_str() {
            "turn on the light" => (1000, "s1", "recorded"),
            "打开 客厅的灯" => (2000, "s2", "far-2m"),
            "call mom" => (3000, "s1", "recorded"),
            other => panic!("unexpected transcript {other}"),
        };
        assert_eq!(n, want_n);
        assert_eq!(t["speaker"], want_speaker);
        assert_eq!(t["scenario"], want_scenario);
        assert!(t.get("intent").is_none() && t.get("slots").is_none());
        texts.push(text);
    }
    // nothing of the source's names reaches the inputs (the shuffle: see the next test)
    texts.sort();
    assert_eq!(texts, ["call mom", "turn on the light", "打开 客厅的灯"]);
    let inputs = fs::read_to_string(out.join("inputs/utterances.jsonl")).unwrap();
    assert!(!inputs.contains("a.wav") && !inputs.contains("s1"));
    // no temporary folder is left beside the output
    let left: Vec<_> = fs::read_dir(t.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 2, "{left:?}");
}

#[test]
fn imports_are_reproducible_per_seed_and_differ_across_seeds() {
    let t = tempfile::tempdir().unwrap();
    let src = t.path().join("src");
    kaldi(&src);
    let read = |out: &Path| fs::read_to_string(out.join("truth/transcripts.jsonl")).unwrap();
    import_kaldi(&src, Language::English, &t.path().join("o1")).unwrap();
    import_kaldi(&src, Language::English, &t.path().join("o2")).unwrap();
    assert_eq!(read(&t.path().join("o1")), read(&t.path().join("o2")));
    let differs = (1..20u64).any(|seed| {
        let out = t.path().join(format!("s{seed}"));
        import_kaldi_seeded(&src, Language::English, &out, seed).unwrap();
        read(&out) != read(&t.path().join("o1"))
    });
    assert!(differs);
    // an empty folder may be the output; a non-empty one may not
    let empty = t.path().join("empty");
    fs::create_dir(&empty).unwrap();
    import_kaldi(&src, Language::Mandarin, &empty).unwrap();
    let e = refusal(import_kaldi(&src, Language::English, &empty));
    assert!(e.contains("not an empty folder"), "{e}");
}

/// Runs the Kaldi import after `change` on a fresh folder; the refusal's text.
fn kaldi_refusal(change: impl FnOnce(&Path)) -> String {
    let t = tempfile::tempdir().unwrap();
    let src = t.path().join("src");
    kaldi(&src);
    change(&src);
    let out = t.path().join("out");
    let e = refusal(import_kaldi(&src, Language::English, &out));
    assert!(!out.exists(), "nothing written on a refusal: {e}");
    let left = fs::read_dir(t.path())
        .unwrap()
        .filter(|d| {
            d.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("out")
        })
        .count();
    assert_eq!(left, 0, "a temporary folder was left behind: {e}");
    e
}

/// A change to the source folder before an import.
type Change = Box<dyn FnOnce(&Path)>;

#[test]
fn kaldi_refusals_name_the_file_and_line() {
    let cases: Vec<(Change, &str)> = vec![
        (
            Box::new(|d| fs::write(d.join("audio/b.wav"), &wav(2000, 0.5)[..1000]).unwrap()),
            "wav.scp:2: utterance `b`: ",
        ),
        (
            Box::new(|d| fs::write(d.join("audio/b.wav"), b"not a wav at all").unwrap()),
            "not a RIFF/WAVE file",
        ),
        (
            Box::new(|d| {
                let spec = hound::WavSpec {
                    channels: 1,
                    sample_rate: 8000,
                    bits_per_sample: 16,
                    sample_format: hound::SampleFormat::Int,
                };
                let mut w = hound::WavWriter::create(d.join("audio/c.wav"), spec).unwrap();
                w.write_sample(1i16).unwrap();
                w.finalize().unwrap();
            }),
            "wav.scp:4: utterance `c`: ",
        ),
        (
            Box::new(|d| fs::write(d.join("text"), "a x\nb y\nc z\nd w\n").unwrap()),
            "text:4: a transcript for `d`, which wav.scp does not list",
        ),
        (
            Box::new(|d| fs::write(d.join("text"), "a x\nc z\n").unwrap()),
            "wav.scp:2: `b` has no transcript",
        ),
        (
            Box::new(|d| fs::write(d.join("text"), "a x\nb   \nc z\n").unwrap()),
            "text:2: utterance `b` has an empty transcript",
        ),
        (
            Box::new(|d| fs::write(d.join("text"), b"a x\nb \xff\xfe\nc z\n").unwrap()),
            "text:2: a Kaldi text file: byte 3 of the line is not UTF-8",
        ),
        (
            Box::new(|d| {
                fs::write(
                    d.join("wav.scp"),
                    "a audio/a.wav\nb audio/b.wav\na audio/c.wav\n",
                )
                .unwrap()
            }),
            "wav.scp:3: duplicate utterance id `a` (first at line 1)",
        ),
        (
            Box::new(|d| {
                fs::write(
                    d.join("wav.scp"),
                    "a audio/a.wav\nb ../src/audio/b.wav\nc audio/c.wav\n",
                )
                .unwrap()
            }),
            "wav.scp:2: `../src/audio/b.wav` leaves the dataset folder",
        ),
        (
            Box::new(|d| {
                let abs = d.join("audio/b.wav").display().to_string();
                fs::write(
                    d.join("wav.scp"),
                    format!("a audio/a.wav\nb {abs}\nc audio/c.wav\n"),
                )
                .unwrap()
            }),
            "leaves the dataset folder",
        ),
        (
            Box::new(|d| {
                fs::write(
                    d.join("wav.scp"),
                    "a audio/a.wav\nb sox b.flac -t wav - |\nc audio/c.wav\n",
                )
                .unwrap()
            }),
            "wav.scp:2: `b`: `sox b.flac -t wav - |` is a command or a stream, which is never run",
        ),
        (
            Box::new(|d| {
                fs::write(
                    d.join("wav.scp"),
                    "a audio/a.wav\nb audio/missing.wav\nc audio/c.wav\n",
                )
                .unwrap()
            }),
            "wav.scp:2: `audio/missing.wav`: No such file",
        ),
        (
            Box::new(|d| {
                fs::write(d.join("wav.scp"), "a audio/a.wav\nb\nc audio/c.wav\n").unwrap()
            }),
            "wav.scp:2: `b` has no path",
        ),
        (
            Box::new(|d| fs::write(d.join("wav.scp"), "\n\n").unwrap()),
            "wav.scp: no utterances",
        ),
        (
            Box::new(|d| fs::write(d.join("utt2spk"), "a s1\nz s2\n").unwrap()),
            "utt2spk:2: utterance `z` is not in wav.scp",
        ),
        (
            Box::new(|d| fs::write(d.join("utt2scenario"), "a Far Field\n").unwrap()),
            "utt2scenario:1: `a`: expected `<utterance-id> <one value>`",
        ),
        (
            Box::new(|d| fs::write(d.join("utt2scenario"), "a FAR\n").unwrap()),
            "utt2scenario:1: scenario `FAR` is not a scenario name",
        ),
        (
            Box::new(|d| fs::remove_file(d.join("text")).unwrap()),
            "text",
        ),
    ];
    for (change, want) in cases {
        let e = kaldi_refusal(change);
        assert!(e.contains(want), "`{e}` lacks `{want}`");
    }
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_out_of_the_folder_is_refused() {
    let e = kaldi_refusal(|d| {
        let outside = d.parent().unwrap().join("secret.wav");
        fs::write(&outside, wav(100, 0.1)).unwrap();
        fs::remove_file(d.join("audio/b.wav")).unwrap();
        std::os::unix::fs::symlink(&outside, d.join("audio/b.wav")).unwrap();
    });
    assert!(
        e.contains("wav.scp:2") && e.contains("outside the dataset folder"),
        "{e}"
    );
}

/// A manifest folder with a.wav and b.wav and the given manifest text.
fn manifest(dir: &Path, text: &str) -> PathBuf {
    fs::create_dir_all(dir.join("clips")).unwrap();
    fs::write(dir.join("clips/a.wav"), wav(1600, 0.3)).unwrap();
    fs::write(dir.join("clips/b.wav"), wav(3200, 0.3)).unwrap();
    let m = dir.join("manifest.jsonl");
    fs::write(&m, text).unwrap();
    m
}

#[test]
fn a_jsonl_manifest_becomes_the_dataset_layout_with_intents() {
    let t = tempfile::tempdir().unwrap();
    let m = manifest(
        &t.path().join("src"),
        concat!(
            r#"{"audio":"clips/a.wav","text":"打开客厅的灯","id":"x1","speaker":"f1","intent":"turn_on","slots":{"device":"客厅的灯"}}"#,
            "\n\n",
            r#"{"audio":"clips/b.wav","text":"明天 北京 天气","scenario":"car"}"#,
            "\n"
        ),
    );
    let out = t.path().join("out");
    let got = import_jsonl(&m, Language::Mandarin, &out).unwrap();
    assert_eq!(got.utterances, 2);
    let truth = lines(&out.join("truth/transcripts.jsonl"));
    let by_text = |s: &str| truth.iter().find(|v| v["text"] == s).unwrap().clone();
    let a = by_text("打开客厅的灯");
    assert_eq!(a["language"], "zh");
    assert_eq!(a["scenario"], "recorded");
    assert_eq!(a["speaker"], "f1");
    assert_eq!(a["intent"], "turn_on");
    assert_eq!(a["slots"]["device"], "客厅的灯");
    let b = by_text("明天 北京 天气");
    assert_eq!(b["scenario"], "car");
    assert!(b.get("speaker").is_none() && b.get("intent").is_none());
    // key order as the spec writes it
    let raw = fs::read_to_string(out.join("truth/transcripts.jsonl")).unwrap();
    let first = raw.lines().find(|l| l.contains("turn_on")).unwrap();
    assert!(first.starts_with(r#"{"id":"u000"#), "{first}");
    assert!(first.contains(r#","text":"打开客厅的灯","language":"zh","scenario":"recorded","speaker":"f1","intent":"turn_on","slots":{"device":"客厅的灯"}}"#), "{first}");
}

#[test]
fn jsonl_refusals_name_the_file_and_line() {
    let a = r#"{"audio":"clips/a.wav","text":"a"}"#;
    let cases = [
        (format!("{a}\n{{\"audio\":\"clips/b.wav\"}}\n"), "manifest.jsonl:2: missing field `text`"),
        (format!("{a}\n{{\"audio\":\"clips/b.wav\",\"text\":\"b\",\"lang\":\"en\"}}\n"), "manifest.jsonl:2: unknown field `lang`"),
        (format!("{a}\nnot json\n"), "manifest.jsonl:2: expected"),
        (format!("{a}\n{{\"audio\":\"clips/b.wav\",\"text\":\"  \"}}\n"), "manifest.jsonl:2: utterance `line 2` has an empty transcript"),
        (format!("{a}\n{a}\n"), "manifest.jsonl:2: `clips/a.wav` is listed twice (first at line 1)"),
        (
            "{\"audio\":\"clips/a.wav\",\"text\":\"a\",\"id\":\"k\"}\n{\"audio\":\"clips/b.wav\",\"text\":\"b\",\"id\":\"k\"}\n".to_string(),
            "manifest.jsonl:2: duplicate id `k` (first at line 1)",
        ),
        (format!("{a}\n{{\"audio\":\"../x.wav\",\"text\":\"b\"}}\n"), "manifest.jsonl:2: `../x.wav` leaves the dataset folder"),
        (format!("{a}\n{{\"audio\":\"/etc/passwd\",\"text\":\"b\"}}\n"), "manifest.jsonl:2: `/etc/passwd` leaves the dataset folder"),
        (format!("{a}\n{{\"audio\":\"clips/none.wav\",\"text\":\"b\"}}\n"), "manifest.jsonl:2: `clips/none.wav`: No such file"),
        (format!("{a}\n{{\"audio\":\"clips\",\"text\":\"b\"}}\n"), "manifest.jsonl:2: `clips` is not a regular file"),
        (format!("{a}\n{{\"audio\":\"manifest.jsonl\",\"text\":\"b\"}}\n"), "manifest.jsonl:2: utterance `line 2`: "),
        (format!("{a}\n{{\"audio\":\"clips/b.wav\",\"text\":\"b\",\"slots\":{{\"x\":\"y\"}}}}\n"), "manifest.jsonl:2: `slots` without an `intent`"),
        (format!("{a}\n{{\"audio\":\"clips/b.wav\",\"text\":\"b\",\"intent\":\"i\",\"slots\":{{\"x\":\"\"}}}}\n"), "manifest.jsonl:2: slot `x`: expected a value"),
        (format!("{a}\n{{\"audio\":\"clips/b.wav\",\"text\":\"b\",\"speaker\":\"two words\"}}\n"), "manifest.jsonl:2: speaker `two words` is not a label"),
        ("\n".to_string(), "manifest.jsonl: no utterances"),
    ];
    for (text, want) in cases {
        let t = tempfile::tempdir().unwrap();
        let m = manifest(&t.path().join("src"), &text);
        let out = t.path().join("out");
        let e = refusal(import_jsonl(&m, Language::English, &out));
        assert!(e.contains(want), "`{e}` lacks `{want}`");
        assert!(!out.exists());
    }
    // non-UTF-8 manifest
    let t = tempfile::tempdir().unwrap();
    let m = manifest(&t.path().join("src"), "");
    fs::write(&m, b"{\"audio\":\"clips/a.wav\",\"text\":\"\xc3\x28\"}\n").unwrap();
    let e = refusal(import_jsonl(&m, Language::English, &t.path().join("out")));
    assert!(
        e.contains("manifest.jsonl:1:") && e.contains("not UTF-8"),
        "{e}"
    );
}
