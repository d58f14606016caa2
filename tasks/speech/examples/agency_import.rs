//! Converts an agency's speech data into a speech dataset (the library's `agency` module);
//! scripts/import-speech.sh runs it and then pins the folder.
//!   agency_import kaldi DIR zh|en OUT [SEED]          (wav.scp + text [+ utt2spk] [+ utt2scenario])
//!   agency_import jsonl MANIFEST.jsonl zh|en OUT [SEED]

use jiebang_speech::agency::{DEFAULT_SEED, import_jsonl_seeded, import_kaldi_seeded};
use jiebang_speech::recognizer::Language;
use std::path::Path;
use std::process::ExitCode;

const USAGE: &str = "usage: agency_import kaldi|jsonl SOURCE zh|en OUT [SEED]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (format, source, language, out, seed) = match args.as_slice() {
        [f, s, l, o] => (f, s, l, o, None),
        [f, s, l, o, seed] => (f, s, l, o, Some(seed)),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let language = match language.as_str() {
        "zh" => Language::Mandarin,
        "en" => Language::English,
        other => {
            eprintln!("agency_import: unknown language `{other}`; expected zh or en");
            return ExitCode::from(2);
        }
    };
    let seed = match seed.map(|s| s.parse::<u64>()) {
        None => DEFAULT_SEED,
        Some(Ok(s)) => s,
        Some(Err(_)) => {
            eprintln!("agency_import: SEED must be an unsigned integer; {USAGE}");
            return ExitCode::from(2);
        }
    };
    let (source, out) = (Path::new(source), Path::new(out));
    let result = match format.as_str() {
        "kaldi" => import_kaldi_seeded(source, language, out, seed),
        "jsonl" => import_jsonl_seeded(source, language, out, seed),
        other => {
            eprintln!("agency_import: unknown format `{other}`; expected kaldi or jsonl");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(done) => {
            eprintln!(
                "agency_import: {} utterances, {:.1} s of audio, names shuffled with seed {seed}",
                done.utterances, done.seconds
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("agency_import: {e}");
            ExitCode::from(2)
        }
    }
}
