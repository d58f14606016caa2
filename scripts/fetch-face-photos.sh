#!/usr/bin/env bash
# Makes real face photographs available to the video-identity adapters' tests and the real-photo
# suite without committing them: downloads the face_recognition 1.3.0 and insightface 2.1 source
# archives from PyPI (`pip download --no-binary`), extracts their face photographs into DIR
# (default target/face-photos), checks each against the sha256 pinned below (a changed or missing
# file is an error, exit 2) and prints DIR. Already fetched and intact: nothing is downloaded.
#   export JIEBANG_FACE_PHOTOS="$(scripts/fetch-face-photos.sh)"
# What the photos are and their licences: docs/directions/video-identity-real.md.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="$(realpath -m "${1:-target/face-photos}")"

# name in DIR, sha256, source archive, path inside the archive
pins="obama.jpg 0930e3aa8cae5920329c0c8cbc6a2ab70f47b0e67b432875beaa95cbf7e741f6 face_recognition==1.3.0 face_recognition-1.3.0/tests/test_images/obama.jpg
obama2.jpg a7efcc907375274796f39646510704aa86672d59f6d5469d69af3c85590976a6 face_recognition==1.3.0 face_recognition-1.3.0/tests/test_images/obama2.jpg
obama3.jpg 76ac6bf97c36dc2da0ad16a537d6a5ac1b10f48d49aac29a0cca9a17cdbc3ca3 face_recognition==1.3.0 face_recognition-1.3.0/tests/test_images/obama3.jpg
obama_partial_face.jpg c2d1f09e7ef3042352b41e41286e6eb0522f64f88308be13886991b95db52117 face_recognition==1.3.0 face_recognition-1.3.0/tests/test_images/obama_partial_face.jpg
obama_partial_face2.jpg 9a812347f97633542b8cd9992de22def11b74f79d82056bc3ee830f13878e028 face_recognition==1.3.0 face_recognition-1.3.0/tests/test_images/obama_partial_face2.jpg
biden.jpg 3c17508bb91554c637a2eabddfae790e5bb1caba93130814fc2ac50be9760c4c face_recognition==1.3.0 face_recognition-1.3.0/tests/test_images/biden.jpg
LICENSE.face_recognition a97254e5ee8167a2bedd456b8c6710fde64d5603422e631d0bc3132c90d5c930 face_recognition==1.3.0 face_recognition-1.3.0/LICENSE
t1.jpg 47f682e945b659f93a9e490b9c9c4a2a864abe64dace9e1a2893845ddfd69489 insightface==2.1 insightface-2.1/insightface/data/images/t1.jpg
Tom_Hanks_54745.png 8545da294e8c7c79911169c3915fed8528f1960cd0ed99b92453788ca4275083 insightface==2.1 insightface-2.1/insightface/data/images/Tom_Hanks_54745.png"

log() { echo "fetch-face-photos: $*" >&2; }

# Lists the pinned files that are missing or differ from their pin.
stale() {
  while read -r name sum _ _; do
    if [ ! -f "$dir/$name" ] || [ "$(sha256sum "$dir/$name" | cut -d' ' -f1)" != "$sum" ]; then
      echo "$name"
    fi
  done <<<"$pins"
}

if [ -n "$(stale)" ]; then
  mkdir -p "$dir"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  for spec in $(cut -d' ' -f3 <<<"$pins" | sort -u); do
    log "downloading the $spec source archive from PyPI"
    python3 -m pip download --quiet --disable-pip-version-check --no-deps --no-binary :all: \
      --dest "$work" "$spec" >&2
  done
  for archive in "$work"/*.tar.gz; do
    tar -xzf "$archive" -C "$work"
  done
  while read -r name _ _ inner; do
    if [ ! -f "$work/$inner" ]; then
      log "error: $inner is not in the downloaded archive (expected by the pin of $name in $0)"
      exit 2
    fi
    cp "$work/$inner" "$dir/$name"
  done <<<"$pins"
fi

bad="$(stale)"
if [ -n "$bad" ]; then
  for name in $bad; do
    log "error: $dir/$name does not match its sha256 pinned in $0 (expected $(grep "^$name " <<<"$pins" | cut -d' ' -f2))"
  done
  exit 2
fi
echo "$dir"
