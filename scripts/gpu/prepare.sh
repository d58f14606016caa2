#!/usr/bin/env bash
# Builds what the GPU checks run (scripts/gpu/check-*.sh) and puts it, stripped, in gpu/ (ignored
# by git; name it and .gl/ in the device tool's `carry`): the release jiebang binary, the
# accelerator test binaries and the kernel_rate example. Also downloads the Vulkan loader .debs
# into .gl/ for a GPU machine that lacks them. Run from the repository root.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release -q -p jiebang -p jiebang-accel --example kernel_rate
mkdir -p gpu .gl
strip -o gpu/jiebang target/release/jiebang
strip -o gpu/kernel_rate target/release/examples/kernel_rate
cargo test --release -q -p jiebang-accel --no-run --message-format=json 2>/dev/null |
  python3 -c 'import json,sys
for l in sys.stdin:
    m=json.loads(l)
    if m.get("executable") and m["target"]["name"] in ("cuda_backend","templates","wgpu_backend"):
        print(m["target"]["name"], m["executable"])' |
  while read -r name exe; do strip -o "gpu/t-$name" "$exe"; done
cp scripts/gpu/check-*.sh gpu/
if [ -z "$(ls .gl/*.deb 2>/dev/null)" ]; then
  o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
  mkdir -p /tmp/amd64/partial
  # shellcheck disable=SC2086
  apt-get $o update -qq && (cd .gl && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
fi
du -sh gpu .gl
