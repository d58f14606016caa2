#!/usr/bin/env bash
# The README's test command: every crate's unit, golden, property and integration tests
# (integration tests run the real `jiebang` binary).
set -euo pipefail
cd "$(dirname "$0")/.."
# wgpu on lavapipe warns unless XDG_RUNTIME_DIR is a private directory.
if [ -z "${XDG_RUNTIME_DIR:-}" ] || [ ! -d "${XDG_RUNTIME_DIR}" ]; then
  export XDG_RUNTIME_DIR="$(mktemp -d)"
  chmod 700 "$XDG_RUNTIME_DIR"
fi
exec cargo test --workspace --locked "$@"
