#!/usr/bin/env bash
# Converts an agency's face annotations into a video-identity dataset and pins it: an LFW-style
# pairs.txt with its image folder (IMAGES/<name>/<name>_<n:04>.jpg) becomes a verify-1to1
# dataset, a WIDER FACE box file (wider_face_*_bbx_gt.txt) with its image folder a detect
# dataset (tasks/video-identity/src/agency.rs). OUT must not exist or be empty. Prints OUT.
#   scripts/import-faces.sh lfw-pairs pairs.txt lfw/ target/lfw-verify
#   scripts/import-faces.sh wider-face wider_face_val_bbx_gt.txt WIDER_val/images target/wider-detect
#   jiebang run --suite video-identity/verify-1to1 --data target/lfw-verify --sut ...
# JIEBANG: the jiebang binary (default target/debug/jiebang).
set -euo pipefail
if [ $# -ne 4 ]; then
  echo "usage: scripts/import-faces.sh lfw-pairs|wider-face ANNOTATIONS IMAGES OUT" >&2
  exit 2
fi
format="$1"
file="$(realpath -m "$2")"
images="$(realpath -m "$3")"
out="$(realpath -m "$4")"
cd "$(dirname "$0")/.."
jb="$(realpath -m "${JIEBANG:-target/debug/jiebang}")"
cargo run --quiet -p jiebang-video-identity --example agency_import -- "$format" "$file" "$images" "$out"
"$jb" data hash "$out" >&2
echo "$out"
