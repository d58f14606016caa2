#!/usr/bin/env bash
# Converts an agency's speech data into a speech dataset and pins it: a Kaldi-style folder
# (wav.scp with relative WAV paths + text [+ utt2spk] [+ utt2scenario]) or a JSON Lines
# manifest ({"audio":"rel.wav","text":..,"id"?,"speaker"?,"scenario"?,"intent"?,"slots"?} a
# line, paths relative to the manifest) becomes inputs/audio/u0001.wav ..., inputs/
# utterances.jsonl and truth/transcripts.jsonl (tasks/speech/src/agency.rs). Every WAV must be
# 16 kHz mono 16-bit PCM of at most 60 s; names are shuffled with SEED (default: the
# library's DEFAULT_SEED, so an import is reproducible). OUT must not exist or be empty.
# Prints OUT.
#   scripts/fetch-speech-recordings.sh target/speech-recordings
#   scripts/import-speech.sh kaldi target/speech-recordings en target/speech-recorded
#   jiebang run --suite speech/asr-en-recorded --data target/speech-recorded --sut ...
# JIEBANG: the jiebang binary (default target/debug/jiebang).
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
jb="$(realpath -m "${JIEBANG:-target/debug/jiebang}")"
cargo run --quiet -p jiebang-speech --example agency_import -- "$format" "$source" "$language" "$out" "${seed[@]}"
"$jb" data hash "$out" >&2
echo "$out"
