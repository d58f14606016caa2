#!/usr/bin/env bash
# Runs the video-identity suites on the real-photo datasets with the two real face systems:
# fetches the photos (scripts/fetch-face-photos.sh), composes the datasets
# (face_photo_dataset.py), pins them (`jiebang data hash`), runs OpenCV Haar on detect and dlib
# on detect, verify-1to1 and identify-1toN, and verifies every scorecard. Stops at the first
# failure. OUT (default target/real-faces) must stay local: the photos may not be published.
#   PYTHON=target/face-venv/bin/python3 JIEBANG=target/debug/jiebang scripts/suts/run-real-faces.sh [OUT]
# PYTHON: a python with scripts/suts/requirements-face.txt installed (docs/directions/video-identity-real.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
out="$(realpath -m "${1:-target/real-faces}")"
py="${PYTHON:-python3}"
jb="${JIEBANG:-target/debug/jiebang}"

photos="$(scripts/fetch-face-photos.sh)"
rm -rf "$out/data"
"$py" scripts/suts/face_photo_dataset.py "$photos" "$out/data" >&2
for kind in detect verify identify; do
  "$jb" data hash "$out/data/$kind" >&2
done

run() { # SUITE KIND ADAPTER
  echo "run-real-faces: $1 on $out/data/$2 with $3" >&2
  "$jb" run --suite "video-identity/$1" --data "$out/data/$2" --out "$out/runs" \
    --sut "$py scripts/suts/$3.py"
}
run detect detect opencv_haar_sut
run detect detect face_recognition_sut
run verify-1to1 verify face_recognition_sut
run identify-1toN identify face_recognition_sut
for card in "$out"/runs/*.scorecard.json; do
  "$jb" verify "$card" >&2
done
echo "$out/runs"
