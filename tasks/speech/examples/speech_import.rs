//! Converts an agency's speech data into a speech dataset (the library's `agency` module);
//! scripts/import-speech.sh runs it and then pins the folder.
//!   speech_import kaldi DIR zh|en OUT [SEED]          (wav.scp + text [+ utt2spk] [+ utt2scenario])
//!   speech_import jsonl MANIFEST.jsonl zh|en OUT [SEED]
//! Without SEED the names are shuffled from the operating system's randomness (a seed in this
//! public source would let a system replay the shuffle); name a SEED only to reproduce a
//! pinned import of public data (the recordings suite's is 20201231).

use jiebang_speech::agency::{import_jsonl_seeded, import_kaldi_seeded};
use jiebang_speech::recognizer::Language;
use std::path::Path;
use std::process::ExitCode;

const USAGE: &str = "usage: speech_import kaldi|jsonl SOURCE zh|en OUT [SEED]";

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
            eprintln!("speech_import: unknown language `{other}`; expected zh or en");
            return ExitCode::from(2);
        }
    };
    let seed = match seed.map(|s| s.parse::<u64>()) {
        None => rand::random::<u64>(),
        Some(Ok(s)) => s,
        Some(Err(_)) => {
            eprintln!("speech_import: SEED must be an unsigned integer; {USAGE}");
            return ExitCode::from(2);
        }
    };
    let (source, out) = (Path::new(source), Path::new(out));
    let result = match format.as_str() {
        "kaldi" => import_kaldi_seeded(source, language, out, seed),
        "jsonl" => import_jsonl_seeded(source, language, out, seed),
        other => {
            eprintln!("speech_import: unknown format `{other}`; expected kaldi or jsonl");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(done) => {
            eprintln!(
                "speech_import: {} utterances, {:.1} s of audio, names shuffled with seed {seed}",
                done.utterances, done.seconds
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("speech_import: {e}");
            ExitCode::from(2)
        }
    }
}
