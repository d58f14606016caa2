#!/usr/bin/env bash
# The README's test command: every crate's unit, golden, property and integration tests
# (integration tests run the real `jiebang` binary), then the real face and speech adapters' tests.
set -euo pipefail
cd "$(dirname "$0")/.."
# wgpu on lavapipe warns unless XDG_RUNTIME_DIR is a private directory.
if [ -z "${XDG_RUNTIME_DIR:-}" ] || [ ! -d "${XDG_RUNTIME_DIR}" ]; then
  export XDG_RUNTIME_DIR="$(mktemp -d)"
  chmod 700 "$XDG_RUNTIME_DIR"
fi
cargo test --workspace --locked "$@"
# The real face adapters (scripts/suts/) spoken to as jiebang speaks to them; skipped loudly where
# their packages or photos are missing, failed instead with JIEBANG_REQUIRE_FACE=1 (CI).
python3 scripts/suts/tests/test_face_adapters.py
# The real speech recogniser's adapter (pocketsphinx) and the golden WER check against jiwer,
# through the binary cargo test just built; skipped loudly without the packages or the
# recordings, failed instead with JIEBANG_REQUIRE_SPEECH=1 (CI).
python3 scripts/suts/tests/test_speech_adapters.py
