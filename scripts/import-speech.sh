#!/usr/bin/env bash
# Converts an agency's speech data into a speech dataset and pins it: a Kaldi-style folder
# (wav.scp with relative WAV paths + text [+ utt2spk] [+ utt2scenario]) or a JSON Lines
# manifest ({"audio":"rel.wav","text":..,"id"?,"speaker"?,"scenario"?,"intent"?,"slots"?} a
# line, paths relative to the manifest) becomes inputs/audio/u0001.wav ..., inputs/
# utterances.jsonl and truth/transcripts.jsonl (tasks/speech/src/agency.rs). Every WAV must be
# 16 kHz mono 16-bit PCM of at most 60 s; names are shuffled with SEED, or from the operating
# system's randomness when none is given (a public seed would let a system replay the shuffle;
# name one only to reproduce a pinned import of public data). OUT must not exist or be empty.
# Prints OUT.
#   scripts/fetch-speech-recordings.sh target/speech-recordings
#   scripts/import-speech.sh kaldi target/speech-recordings en target/speech-recorded 20201231
#   jiebang run --suite speech/asr-en-recorded --data target/speech-recorded --sut ...
# JIEBANG: the jiebang binary (default: `jiebang` on PATH, else target/release/jiebang, else
# target/debug/jiebang).
set -euo pipefail
if [ $# -lt 4 ] || [ $# -gt 5 ]; then
  echo "usage: scripts/import-speech.sh kaldi|jsonl SOURCE zh|en OUT [SEED]" >&2
  exit 2
fi
format="$1"
source="$(realpath -m "$2")"
language="$3"
out="$(realpath -m "$4")"
seed=("${@:5}")
cd "$(dirname "$0")/.."
if [ -n "${JIEBANG:-}" ]; then
  jb="$(realpath -m "$JIEBANG")"
elif command -v jiebang >/dev/null 2>&1; then
  jb="$(command -v jiebang)"
elif [ -x target/release/jiebang ]; then
  jb="$PWD/target/release/jiebang"
else
  jb="$PWD/target/debug/jiebang"
fi
[ -x "$jb" ] || { echo "import-speech: no jiebang binary at $jb (build it: cargo build --release -p jiebang, or set JIEBANG)" >&2; exit 2; }
cargo run --quiet -p jiebang-speech --example speech_import -- "$format" "$source" "$language" "$out" "${seed[@]}"
"$jb" data hash "$out" >&2
echo "$out"
