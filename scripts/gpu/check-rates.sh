#!/usr/bin/env bash
# Kernel rates on the GPU at sizes where launch latency no longer dominates (kernel_rate, the
# f64 reference check at the smaller sizes), and nn-chip/cnn-rnn-lstm on CUDA.
# Made by scripts/gpu/prepare.sh; run as `bash gpu/check-rates.sh` with carry gpu and .gl.
for f in .gl/*.deb; do dpkg -x $f / ; done >/dev/null; ldconfig
export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
export LD_LIBRARY_PATH=/usr/local/cuda/targets/x86_64-linux/lib:${LD_LIBRARY_PATH:-}
export XDG_RUNTIME_DIR=$(mktemp -d)
chmod +x gpu/*
K=gpu/kernel_rate
for b in cuda wgpu; do
  for k in gemm_f32 gemm_f16 gemm_i8; do
    timeout 60 $K --backend $b --kernel $k --size 1024 --iterations 20 --check
    timeout 60 $K --backend $b --kernel $k --size 4096 --iterations 20
    timeout 90 $K --backend $b --kernel $k --size 8192 --iterations 10
  done
  for k in conv2d_f32 lstm_f32 rnn_f32; do
    timeout 60 $K --backend $b --kernel $k --size 256 --iterations 20 --check
    timeout 60 $K --backend $b --kernel $k --size 1024 --iterations 10
  done
done
timeout 150 gpu/jiebang -q run --suite nn-chip/cnn-rnn-lstm --sut builtin:kernels --backend cuda --out /tmp/r2 2>&1 | tail -3
gpu/jiebang show /tmp/r2/*.scorecard.json | sed -n '/^metrics/,$p' | grep -v 'kernel\.' | head -30
