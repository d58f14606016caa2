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
run() { # SUITE [--data DIR]
  local suite="$1"
  shift
  log "$suite with pocketsphinx $*"
  (cd "$out" && "$jb" run --suite "$suite" --sut "$sut" --out "$out/runs" -q "$@" >&2)
}
run speech/asr-en@1

recordings="${JIEBANG_SPEECH_RECORDINGS:-}"
if [ -z "$recordings" ]; then
  recordings="$(scripts/fetch-speech-recordings.sh)" || recordings=""
fi
if [ -n "$recordings" ] && [ -d "$recordings" ]; then
  scripts/import-speech.sh kaldi "$recordings" "$out/recorded" >&2
  run speech/asr-en-recorded@1 --data "$out/recorded"
else
  log "no recordings (scripts/fetch-speech-recordings.sh failed): speech/asr-en-recorded@1 not run"
fi

for card in "$out"/runs/*.scorecard.json; do
  "$jb" verify "$card" >&2
  "$py" - "$card" <<'EOF' >&2
import json, sys
card = json.load(open(sys.argv[1]))
m = card["metrics"]
def show(name):
    v = m.get(name, {})
    ci = v.get("ci95")
    ci = f" [{ci[0]:.4f}, {ci[1]:.4f}]" if ci else ""
    return f"{v.get('value')!r}{ci}" if v else "absent"
print(f"{card['pins']['suite']['id']}@{card['pins']['suite']['version']}: "
      f"{card['run']['queries']['issued']} utterances, failures {card['run']['queries']['failures']}")
for name in sorted(m):
    print(f"  {name}: {show(name)}")
EOF
done
echo "$out/runs"
