#!/usr/bin/env bash
# The CUDA and wgpu paths on a GPU machine: the accelerator tests (every kernel against the
# reference), then three directions on cuda, wgpu and cpu, shown and verified. Results in $OUT.
# Made by scripts/gpu/prepare.sh; run as `bash gpu/check-paths.sh` with carry gpu and .gl.
set -x
for f in .gl/*.deb; do dpkg -x $f /; done; ldconfig
nvidia-smi -L; nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv
ls /usr/local/nvidia/share/vulkan/icd.d/ 2>&1
[ -f /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json ] && export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
ldconfig -p | grep -E 'nvrtc|libcuda|cublas' | head
for d in /usr/local/cuda/lib64 /usr/local/cuda/targets/x86_64-linux/lib; do [ -d $d ] && export LD_LIBRARY_PATH=$d:${LD_LIBRARY_PATH:-}; done
find / -name 'libnvrtc.so*' 2>/dev/null | head -5
export XDG_RUNTIME_DIR=$(mktemp -d)
chmod +x gpu/*
for t in cuda_backend templates wgpu_backend; do
  timeout 120 gpu/t-$t --test-threads=1 --nocapture 2>&1 | tail -40
done
J=gpu/jiebang
R=/tmp/r
for b in cuda wgpu cpu; do
  timeout 120 $J -q run --suite nn-chip/kernels --sut builtin:kernels --backend $b --out $R/nn-$b 2>&1 | tail -5
  timeout 90 $J -q run --suite video-identity/identify-1toN-template --sut builtin:face-baseline --backend $b --out $R/vi-$b 2>&1 | tail -3
  timeout 90 $J -q run --suite medical-imaging/case-detection --sut builtin:log-blob --backend $b --out $R/mi-$b --samples 40 2>&1 | tail -3
done
for f in $R/*/*.scorecard.json; do echo "== $f"; $J show "$f" 2>&1 | head -45; done
$J verify $R/*/*.scorecard.json
tar czf $OUT/gpu-results.tgz -C $R .
