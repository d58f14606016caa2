#!/usr/bin/env bash
# Runs a real third-party recogniser, CMU PocketSphinx (scripts/suts/pocketsphinx_sut.py), on
# the English speech suites and prints its figures: `speech/asr-en@1` on its generated dataset
# (the committed espeak-ng corpus), then, when the recordings are there,
# `speech/asr-en-recorded@1` on English recorded by people (pocketsphinx-testdata, fetched by
# scripts/fetch-speech-recordings.sh, imported by scripts/import-speech.sh kaldi). Verifies
# every scorecard; stops at the first failure. Prints the runs' folder.
#   PYTHON=target/ci-venv/bin/python3 JIEBANG=target/debug/jiebang scripts/suts/run-real-speech.sh [OUT]
# PYTHON: a python with scripts/suts/requirements-speech.txt installed.
# JIEBANG_SPEECH_RECORDINGS: the fetched recordings (default: run the fetch script; without
# network or apt-get the recorded suite is skipped with a message, and the exit status stays 0).
set -euo pipefail
cd "$(dirname "$0")/../.."
out="$(realpath -m "${1:-target/real-speech}")"
py="${PYTHON:-python3}"
jb="$(realpath -m "${JIEBANG:-target/debug/jiebang}")"
sut="$py $(pwd)/scripts/suts/pocketsphinx_sut.py"
log() { echo "run-real-speech: $*" >&2; }

rm -rf "$out/runs" "$out/recorded"
mkdir -p "$out/runs"

# Verifies the newest scorecard and prints its figures.
report() {
  local card
  card="$(ls -t "$out"/runs/*.scorecard.json | head -n 1)"
  "$jb" verify "$card" >&2
  "$py" - "$card" <<'EOF' >&2
import json, sys
card = json.load(open(sys.argv[1]))
pins, q = card["pins"], card["run"]["queries"]
print(f"{pins['suite']['id']}@{pins['suite']['version']} with {pins['sut']['name']} {pins['sut']['version']}: "
      f"{q['issued']} utterances, {q['answered']} answered, failures {q['failures']}")
for name, m in sorted(card["metrics"].items()):
    ci = f" [{m['ci95'][0]:.4f}, {m['ci95'][1]:.4f}]" if m.get("ci95") else ""
    print(f"  {name}: {m.get('value')!r}{ci} {m.get('unit', '')}")
EOF
}
run() { # SUITE [--data DIR]
  local suite="$1"
  shift
  log "$suite with pocketsphinx $*"
  # One query at a time: the real-time factor and latency are measured only on queries
  # answered alone (the scorecard says so otherwise).
  (cd "$out" && "$jb" run --suite "$suite" --sut "$sut" --max-in-flight 1 --out "$out/runs" -q "$@" >&2)
  report
}
run speech/asr-en@1

recordings="${JIEBANG_SPEECH_RECORDINGS:-}"
if [ -z "$recordings" ]; then
  recordings="$(scripts/fetch-speech-recordings.sh)" || recordings=""
fi
if [ -n "$recordings" ] && [ -d "$recordings" ]; then
  JIEBANG="$jb" scripts/import-speech.sh kaldi "$recordings" en "$out/recorded" 20201231 >&2
  run speech/asr-en-recorded@1 --data "$out/recorded"
else
  log "no recordings (scripts/fetch-speech-recordings.sh failed): speech/asr-en-recorded@1 not run"
fi
echo "$out/runs"
