//! Agency speech data into the suites' dataset layout: a Kaldi-style folder (`wav.scp`, `text`,
//! optional `utt2spk` and `utt2scenario`) or a JSON Lines manifest, every WAV checked.
//!
//! Both write `inputs/audio/<opaque>.wav` (each file decoded and re-encoded as canonical
//! 16 kHz mono 16-bit PCM, so that no header or metadata chunk of the source reaches a
//! system), `inputs/utterances.jsonl` and `truth/transcripts.jsonl`; utterance ids are
//! `u0001`, ... in a shuffle seeded by the caller (by default [`DEFAULT_SEED`], so that two
//! imports of the same files give the same dataset and its pinned hash can be reproduced).
//! The dataset is built in a temporary folder beside `out` and renamed into place only when
//! every entry has passed, so `out` is whole or absent. Every error names the file and
//! line (and the WAV file, when it is the WAV that is wrong) and what was expected.

use crate::audio::{MAX_WAV_BYTES, encode_wav, read_wav};
use crate::recognizer::Language;
use jiebang_core::TaskError;
use jiebang_core::bounded;
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// The largest index file read (`wav.scp`, `text`, `utt2spk`, `utt2scenario`, a manifest).
pub const MAX_INDEX_BYTES: u64 = 256 << 20;
/// The most utterances one import takes.
pub const MAX_UTTERANCES: usize = 1_000_000;
/// The shuffle's seed when the caller names none.
pub const DEFAULT_SEED: u64 = 20_201_231;
/// The scenario of an utterance whose source names none.
pub const DEFAULT_SCENARIO: &str = "recorded";
/// The longest transcript, characters (the answers' bound).
pub const MAX_TEXT_CHARS: usize = 4096;
/// The most slots an utterance may carry.
pub const MAX_SLOTS: usize = 16;
/// The longest slot value, characters.
pub const MAX_SLOT_CHARS: usize = 256;
/// The longest source id, speaker, scenario, intent or slot name, characters.
pub const MAX_LABEL_CHARS: usize = 128;

/// What an import wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// Utterances written.
    pub utterances: usize,
    /// Their total duration, seconds.
    pub seconds: f64,
}

/// One utterance of the source, checked, with where it was declared.
#[derive(Debug, Clone)]
struct Entry {
    /// The file and line that declared the audio (for errors).
    file: PathBuf,
    line: usize,
    /// The source's id (never written to the dataset).
    id: String,
    /// The WAV file, canonical, inside the source folder.
    audio: PathBuf,
    text: String,
    speaker: Option<String>,
    scenario: String,
    intent: Option<String>,
    slots: Option<BTreeMap<String, String>>,
}

/// One line of `inputs/utterances.jsonl`.
#[derive(Serialize)]
struct UtteranceRow<'a> {
    id: &'a str,
    audio: &'a str,
}

/// One line of `truth/transcripts.jsonl`.
#[derive(Serialize)]
struct TruthRow<'a> {
    id: &'a str,
    text: &'a str,
    language: &'a str,
    scenario: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    speaker: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    intent: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    slots: Option<&'a BTreeMap<String, String>>,
}

fn invalid(file: &Path, line: usize, message: impl Into<String>) -> TaskError {
    TaskError::invalid_at(file, line, message)
}

/// The code the truth carries for `language`.
fn language_code(language: Language) -> &'static str {
    match language {
        Language::Mandarin => "zh",
        Language::English => "en",
    }
}

/// A label (id, speaker, intent, slot name): 1 to [`MAX_LABEL_CHARS`] characters, no
/// whitespace or control characters.
fn label(file: &Path, line: usize, what: &str, value: &str) -> Result<String, TaskError> {
    let ok = !value.is_empty()
        && value.chars().count() <= MAX_LABEL_CHARS
        && !value.chars().any(|c| c.is_whitespace() || c.is_control());
    if !ok {
        return Err(invalid(
            file,
            line,
            format!(
                "{what} `{}` is not a label (1 to {MAX_LABEL_CHARS} characters, no spaces or control characters)",
                value.escape_debug()
            ),
        ));
    }
    Ok(value.to_string())
}

/// A scenario name: 1 to 64 of `a-z 0-9 . _ -`.
fn scenario(file: &Path, line: usize, value: &str) -> Result<String, TaskError> {
    let ok = !value.is_empty()
        && value.len() <= 64
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    if !ok {
        return Err(invalid(
            file,
            line,
            format!(
                "scenario `{}` is not a scenario name (1 to 64 of a-z 0-9 . _ -)",
                value.escape_debug()
            ),
        ));
    }
    Ok(value.to_string())
}

/// A transcript: whitespace runs become one space; not empty, at most [`MAX_TEXT_CHARS`].
fn transcript(file: &Path, line: usize, id: &str, raw: &str) -> Result<String, TaskError> {
    let text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return Err(invalid(
            file,
            line,
            format!("utterance `{id}` has an empty transcript; expected its words"),
        ));
    }
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(invalid(
            file,
            line,
            format!("utterance `{id}`: the transcript is longer than {MAX_TEXT_CHARS} characters"),
        ));
    }
    Ok(text)
}

/// `rel` (from `file` line `line`) as a canonical path inside `root` (itself canonical):
/// refused if absolute, with `..`, missing, not a file, or resolving (through a symbolic
/// link) outside `root`.
fn inside(root: &Path, file: &Path, line: usize, rel: &str) -> Result<PathBuf, TaskError> {
    let p = Path::new(rel);
    let plain = p
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if rel.is_empty() || !plain {
        return Err(invalid(
            file,
            line,
            format!(
                "`{}` leaves the dataset folder; expected a relative path without `..` inside {}",
                rel.escape_debug(),
                root.display()
            ),
        ));
    }
    let joined = root.join(p);
    let canonical = joined.canonicalize().map_err(|e| {
        invalid(
            file,
            line,
            format!(
                "`{}`: {e}; expected an existing WAV file",
                rel.escape_debug()
            ),
        )
    })?;
    if !canonical.starts_with(root) {
        return Err(invalid(
            file,
            line,
            format!(
                "`{}` resolves to {}, outside the dataset folder {} (a symbolic link); expected a file inside it",
                rel.escape_debug(),
                canonical.display(),
                root.display()
            ),
        ));
    }
    if !canonical.is_file() {
        return Err(invalid(
            file,
            line,
            format!(
                "`{}` is not a regular file; expected a WAV file",
                rel.escape_debug()
            ),
        ));
    }
    Ok(canonical)
}

/// The canonical form of the source folder.
fn canonical_dir(dir: &Path) -> Result<PathBuf, TaskError> {
    let c = dir.canonicalize().map_err(|e| TaskError::io(dir, e))?;
    if !c.is_dir() {
        return Err(TaskError::invalid(
            dir,
            "not a folder; expected the dataset folder",
        ));
    }
    Ok(c)
}

/// A Kaldi table: per non-empty line, its number, the key (first field) and the rest
/// (trimmed). Duplicate keys are refused.
fn read_table(path: &Path, what: &str) -> Result<Vec<(usize, String, String)>, TaskError> {
    let text = bounded::read_text(path, MAX_INDEX_BYTES, what)?;
    let mut rows = Vec::new();
    let mut first: BTreeMap<String, usize> = BTreeMap::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let raw = raw.trim();
        if raw.is_empty() {
            continue;
        }
        let (key, rest) = raw
            .split_once(char::is_whitespace)
            .map_or((raw, ""), |(k, r)| (k, r.trim()));
        let key = label(path, line, "utterance id", key)?;
        if let Some(prev) = first.insert(key.clone(), line) {
            return Err(invalid(
                path,
                line,
                format!(
                    "duplicate utterance id `{key}` (first at line {prev}); expected each id once"
                ),
            ));
        }
        rows.push((line, key, rest.to_string()));
        if rows.len() > MAX_UTTERANCES {
            return Err(invalid(
                path,
                line,
                format!("more than {MAX_UTTERANCES} entries"),
            ));
        }
    }
    Ok(rows)
}

/// An optional per-utterance table (`utt2spk`, `utt2scenario`): key → (line, value), every
/// key an utterance of `wav.scp`, every value one field.
fn read_labels(
    path: &Path,
    what: &str,
    known: &BTreeMap<String, usize>,
) -> Result<BTreeMap<String, (usize, String)>, TaskError> {
    let mut out = BTreeMap::new();
    if !path.exists() {
        return Ok(out);
    }
    for (line, key, rest) in read_table(path, what)? {
        if !known.contains_key(&key) {
            return Err(invalid(
                path,
                line,
                format!("utterance `{key}` is not in wav.scp; expected ids of wav.scp only"),
            ));
        }
        if rest.is_empty() || rest.contains(char::is_whitespace) {
            return Err(invalid(
                path,
                line,
                format!("`{key}`: expected `<utterance-id> <one value>`"),
            ));
        }
        out.insert(key, (line, rest));
    }
    Ok(out)
}

/// Reads a Kaldi-style folder: `wav.scp` (`<id> <relative WAV path>`), `text`
/// (`<id> <transcript>`), and when present `utt2spk` (`<id> <speaker>`) and `utt2scenario`
/// (`<id> <scenario>`).
fn kaldi_entries(dir: &Path) -> Result<Vec<Entry>, TaskError> {
    let root = canonical_dir(dir)?;
    let scp = dir.join("wav.scp");
    let text_path = dir.join("text");
    let wavs = read_table(&scp, "a Kaldi wav.scp")?;
    if wavs.is_empty() {
        return Err(TaskError::invalid(
            &scp,
            "no utterances; expected at least one line",
        ));
    }
    let texts = read_table(&text_path, "a Kaldi text file")?;
    let scp_lines: BTreeMap<String, usize> = wavs.iter().map(|(l, k, _)| (k.clone(), *l)).collect();
    let mut text_of: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for (line, key, rest) in texts {
        if !scp_lines.contains_key(&key) {
            return Err(invalid(
                &text_path,
                line,
                format!(
                    "a transcript for `{key}`, which wav.scp does not list; expected a transcript per wav.scp entry only"
                ),
            ));
        }
        text_of.insert(key, (line, rest));
    }
    let speakers = read_labels(&dir.join("utt2spk"), "a Kaldi utt2spk", &scp_lines)?;
    let scenarios = read_labels(
        &dir.join("utt2scenario"),
        "an utt2scenario file",
        &scp_lines,
    )?;
    let mut entries = Vec::with_capacity(wavs.len());
    for (line, id, rest) in wavs {
        if rest.is_empty() {
            return Err(invalid(
                &scp,
                line,
                format!("`{id}` has no path; expected `<utterance-id> <relative WAV path>`"),
            ));
        }
        if rest.ends_with('|') || rest == "-" {
            return Err(invalid(
                &scp,
                line,
                format!(
                    "`{id}`: `{}` is a command or a stream, which is never run; expected a relative WAV path (extract the audio to files first)",
                    rest.escape_debug()
                ),
            ));
        }
        let audio = inside(&root, &scp, line, &rest)?;
        let Some((text_line, raw)) = text_of.get(&id) else {
            return Err(invalid(
                &scp,
                line,
                format!(
                    "`{id}` has no transcript in {}; expected one line `{id} <transcript>`",
                    text_path.display()
                ),
            ));
        };
        let text = transcript(&text_path, *text_line, &id, raw)?;
        let speaker = speakers
            .get(&id)
            .map(|(l, s)| label(&dir.join("utt2spk"), *l, "speaker", s))
            .transpose()?;
        let scenario = match scenarios.get(&id) {
            Some((l, s)) => scenario(&dir.join("utt2scenario"), *l, s)?,
            None => DEFAULT_SCENARIO.to_string(),
        };
        entries.push(Entry {
            file: scp.clone(),
            line,
            id,
            audio,
            text,
            speaker,
            scenario,
            intent: None,
            slots: None,
        });
    }
    Ok(entries)
}

/// One line of a JSON Lines manifest.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestRow {
    audio: String,
    text: String,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    speaker: Option<String>,
    #[serde(default)]
    scenario: Option<String>,
    #[serde(default)]
    intent: Option<String>,
    #[serde(default)]
    slots: Option<BTreeMap<String, String>>,
}

/// Reads a JSON Lines manifest: per line
/// `{"audio":"rel.wav","text":..,"id"?,"speaker"?,"scenario"?,"intent"?,"slots"?}`, audio
/// relative to the manifest's folder.
fn jsonl_entries(manifest: &Path) -> Result<Vec<Entry>, TaskError> {
    let folder = manifest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let root = canonical_dir(folder)?;
    let text = bounded::read_text(manifest, MAX_INDEX_BYTES, "a speech manifest (JSON Lines)")?;
    let mut entries = Vec::new();
    let mut ids: BTreeMap<String, usize> = BTreeMap::new();
    let mut files: BTreeMap<PathBuf, usize> = BTreeMap::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let row: ManifestRow = serde_json::from_str(raw).map_err(|e| {
            invalid(
                manifest,
                line,
                format!("{e}; expected {{\"audio\":\"rel.wav\",\"text\":\"...\"}} with optional id, speaker, scenario, intent, slots"),
            )
        })?;
        let id = match &row.id {
            Some(id) => label(manifest, line, "id", id)?,
            None => format!("line {line}"),
        };
        if let Some(prev) = ids.insert(id.clone(), line) {
            return Err(invalid(
                manifest,
                line,
                format!("duplicate id `{id}` (first at line {prev}); expected each id once"),
            ));
        }
        let audio = inside(&root, manifest, line, &row.audio)?;
        if let Some(prev) = files.insert(audio.clone(), line) {
            return Err(invalid(
                manifest,
                line,
                format!(
                    "`{}` is listed twice (first at line {prev}); expected each recording once",
                    row.audio.escape_debug()
                ),
            ));
        }
        let text = transcript(manifest, line, &id, &row.text)?;
        let speaker = row
            .speaker
            .as_deref()
            .map(|s| label(manifest, line, "speaker", s))
            .transpose()?;
        let scenario = match row.scenario.as_deref() {
            Some(s) => scenario(manifest, line, s)?,
            None => DEFAULT_SCENARIO.to_string(),
        };
        let intent = row
            .intent
            .as_deref()
            .map(|s| label(manifest, line, "intent", s))
            .transpose()?;
        if let Some(slots) = &row.slots {
            if intent.is_none() {
                return Err(invalid(
                    manifest,
                    line,
                    "`slots` without an `intent`; expected both or neither",
                ));
            }
            if slots.len() > MAX_SLOTS {
                return Err(invalid(
                    manifest,
                    line,
                    format!("{} slots; at most {MAX_SLOTS}", slots.len()),
                ));
            }
            for (name, value) in slots {
                label(manifest, line, "slot name", name)?;
                if value.is_empty() || value.chars().count() > MAX_SLOT_CHARS {
                    return Err(invalid(
                        manifest,
                        line,
                        format!(
                            "slot `{name}`: expected a value of 1 to {MAX_SLOT_CHARS} characters"
                        ),
                    ));
                }
            }
        }
        entries.push(Entry {
            file: manifest.to_path_buf(),
            line,
            id,
            audio,
            text,
            speaker,
            scenario,
            intent,
            slots: row.slots,
        });
        if entries.len() > MAX_UTTERANCES {
            return Err(invalid(
                manifest,
                line,
                format!("more than {MAX_UTTERANCES} utterances"),
            ));
        }
    }
    if entries.is_empty() {
        return Err(TaskError::invalid(
            manifest,
            "no utterances; expected one JSON object a line",
        ));
    }
    Ok(entries)
}

/// Converts a Kaldi-style folder (`wav.scp` + `text` [+ `utt2spk`] [+ `utt2scenario`]) into
/// a speech dataset at `out` (new, or an empty folder), ids shuffled with [`DEFAULT_SEED`].
pub fn import_kaldi(dir: &Path, language: Language, out: &Path) -> Result<Imported, TaskError> {
    import_kaldi_seeded(dir, language, out, DEFAULT_SEED)
}

/// [`import_kaldi`] with the shuffle's seed.
pub fn import_kaldi_seeded(
    dir: &Path,
    language: Language,
    out: &Path,
    seed: u64,
) -> Result<Imported, TaskError> {
    check_out(out)?;
    let entries = kaldi_entries(dir)?;
    write_dataset(&entries, language, out, seed)
}

/// Converts a JSON Lines manifest (one
/// `{"audio":"rel.wav","text":..,"id"?,"speaker"?,"scenario"?,"intent"?,"slots"?}` a line,
/// audio relative to the manifest's folder) into a speech dataset at `out` (new, or an empty
/// folder), ids shuffled with [`DEFAULT_SEED`].
pub fn import_jsonl(
    manifest: &Path,
    language: Language,
    out: &Path,
) -> Result<Imported, TaskError> {
    import_jsonl_seeded(manifest, language, out, DEFAULT_SEED)
}

/// [`import_jsonl`] with the shuffle's seed.
pub fn import_jsonl_seeded(
    manifest: &Path,
    language: Language,
    out: &Path,
    seed: u64,
) -> Result<Imported, TaskError> {
    check_out(out)?;
    let entries = jsonl_entries(manifest)?;
    write_dataset(&entries, language, out, seed)
}

/// `out` must not exist or be an empty folder.
fn check_out(out: &Path) -> Result<(), TaskError> {
    if out.exists() {
        let empty = std::fs::read_dir(out)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return Err(TaskError::invalid(
                out,
                "exists and is not an empty folder; expected a new or empty folder",
            ));
        }
    }
    Ok(())
}

/// Writes the dataset: builds it in a temporary folder beside `out`, then renames it.
fn write_dataset(
    entries: &[Entry],
    language: Language,
    out: &Path,
    seed: u64,
) -> Result<Imported, TaskError> {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| TaskError::io(parent, e))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "dataset".into());
    let tmp = tempfile::Builder::new()
        .prefix(&format!("{name}.tmp-"))
        .tempdir_in(parent)
        .map_err(|e| TaskError::io(parent, e))?;
    let audio_dir = tmp.path().join("inputs").join("audio");
    let truth_dir = tmp.path().join("truth");
    for d in [&audio_dir, &truth_dir] {
        std::fs::create_dir_all(d).map_err(|e| TaskError::io(d, e))?;
    }
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
    // name_of[source] = position in the shuffle; the files are read in the source's order
    // so that the first bad entry reported is the first in the file.
    let mut name_of = vec![0; entries.len()];
    for (k, &source) in order.iter().enumerate() {
        name_of[source] = k;
    }
    let width = entries.len().to_string().len().max(4);
    let code = language_code(language);
    let mut rows: Vec<(String, String)> = vec![(String::new(), String::new()); entries.len()];
    let mut seconds = 0.0;
    for (source, e) in entries.iter().enumerate() {
        let k = name_of[source];
        let id = format!("u{:0width$}", k + 1);
        let audio = read_wav(&e.audio, MAX_WAV_BYTES)
            .map_err(|err| invalid(&e.file, e.line, format!("utterance `{}`: {err}", e.id)))?;
        seconds += audio.seconds();
        let rel = format!("audio/{id}.wav");
        let dest = tmp.path().join("inputs").join(&rel);
        std::fs::write(&dest, encode_wav(&audio)).map_err(|err| TaskError::io(&dest, err))?;
        let listed = serde_json::to_string(&UtteranceRow {
            id: &id,
            audio: &rel,
        })
        .expect("strings serialise");
        let row = TruthRow {
            id: &id,
            text: &e.text,
            language: code,
            scenario: &e.scenario,
            speaker: e.speaker.as_deref(),
            intent: e.intent.as_deref(),
            slots: e.slots.as_ref(),
        };
        rows[k] = (
            listed,
            serde_json::to_string(&row).expect("strings serialise"),
        );
    }
    let (mut utterances, mut truth) = (String::new(), String::new());
    for (listed, row) in &rows {
        utterances.push_str(listed);
        utterances.push('\n');
        truth.push_str(row);
        truth.push('\n');
    }
    let files = [
        (
            tmp.path().join("inputs").join("utterances.jsonl"),
            utterances,
        ),
        (truth_dir.join("transcripts.jsonl"), truth),
    ];
    for (path, text) in files {
        std::fs::write(&path, text).map_err(|e| TaskError::io(&path, e))?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let p = tmp.path();
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| TaskError::io(p, e))?;
    }
    let built = tmp.keep();
    if let Err(e) = std::fs::rename(&built, out) {
        let _ = std::fs::remove_dir_all(&built);
        return Err(TaskError::io(out, e));
    }
    Ok(Imported {
        utterances: entries.len(),
        seconds,
    })
}

#[cfg(test)]
mod tests;
