#!/usr/bin/env python3
"""An nn-chip system under test in NumPy, speaking SUT protocol v1 (docs/PROTOCOL.md), to show
that a system outside jiebang — a vendor's chip driven from Python, say — answers the nn-chip
protocol (docs/directions/nn-chip.md) and is judged by the harness's own reference.

    jiebang run --suite nn-chip/kernels --sut 'python3 tasks/nn-chip/scripts/numpy_sut.py'

It reads each query's input files, runs the kernel `warmup` + `iterations` times on the CPU
with NumPy, times each timed iteration, and answers with the per-iteration seconds, the sha256
of the output's little-endian bytes and the output values at the probed positions. NumPy's
own thread pool decides the parallelism. No energy counter, no peak: both are null with the
reason.
"""
import hashlib
import json
import sys
import time

import numpy as np

DTYPES = {"f32": "<f4", "f16": "<f2", "i8": "i1", "i32": "<i4"}


def load(root, spec):
    return np.fromfile(f"{root}/{spec['path']}", dtype=DTYPES[spec["dtype"]])


def gemm(q, x):
    s = q["shape"]
    a = x["a"].reshape(s["m"], s["k"])
    b = x["b"].reshape(s["k"], s["n"])
    if q["kernel"] == "gemm_i8":
        a32, b32 = a.astype(np.int32), b.astype(np.int32)
        return lambda: a32 @ b32
    a32, b32 = a.astype(np.float32), b.astype(np.float32)
    if q["kernel"] == "gemm_f16":
        return lambda: (a32 @ b32).astype(np.float16)
    return lambda: a32 @ b32


def conv2d(q, x):
    s = q["shape"]
    n, c, h, w = s["batch"], s["in_channels"], s["height"], s["width"]
    o, kh, kw, st, p = s["out_channels"], s["kernel_h"], s["kernel_w"], s["stride"], s["padding"]
    inp = x["input"].reshape(n, c, h, w)
    wt = x["weights"].reshape(o, c * kh * kw)
    oh, ow = (h + 2 * p - kh) // st + 1, (w + 2 * p - kw) // st + 1

    def run():
        padded = np.pad(inp, ((0, 0), (0, 0), (p, p), (p, p)))
        cols = np.empty((n, c, kh, kw, oh, ow), dtype=np.float32)
        for i in range(kh):
            for j in range(kw):
                cols[:, :, i, j] = padded[:, :, i : i + st * oh : st, j : j + st * ow : st]
        cols = cols.reshape(n, c * kh * kw, oh * ow)
        return np.einsum("ok,nkp->nop", wt, cols).reshape(n, o, oh, ow)

    return run


def recurrent(q, x):
    s = q["shape"]
    t, b, i, h = s["seq_len"], s["batch"], s["input_size"], s["hidden_size"]
    lstm = q["kernel"] == "lstm_f32"
    g = 4 if lstm else 1
    xs = x["x"].reshape(t, b, i)
    w_ih = x["w_ih"].reshape(g * h, i)
    w_hh = x["w_hh"].reshape(g * h, h)
    bias = x["bias"]

    def sigmoid(v):
        return 1.0 / (1.0 + np.exp(-v))

    def run():
        hid = np.zeros((b, h), dtype=np.float32)
        cell = np.zeros((b, h), dtype=np.float32)
        out = np.empty((t, b, h), dtype=np.float32)
        for step in range(t):
            z = xs[step] @ w_ih.T + hid @ w_hh.T + bias
            if lstm:
                ig, fg, gg, og = (z[:, k * h : (k + 1) * h] for k in range(4))
                cell = sigmoid(fg) * cell + sigmoid(ig) * np.tanh(gg)
                hid = sigmoid(og) * np.tanh(cell)
            else:
                hid = np.tanh(z)
            out[step] = hid
        return out

    return run


def answer(root, q):
    x = {name: load(root, spec) for name, spec in q["inputs"].items()}
    kernel = q["kernel"]
    make = gemm if kernel.startswith("gemm") else conv2d if kernel == "conv2d_f32" else recurrent
    run = make(q, x)
    for _ in range(q["warmup"]):
        run()
    seconds = []
    for _ in range(q["iterations"]):
        t0 = time.perf_counter()
        out = run()
        seconds.append(max(time.perf_counter() - t0, 1e-9))
    flat = np.ascontiguousarray(out).reshape(-1).astype(DTYPES[q["output"]["dtype"]])
    probes = [v.item() if np.isfinite(v) else None for v in flat[q["probe"]]]
    integer = kernel == "gemm_i8"
    return {
        "seconds": seconds,
        "output_digest": hashlib.sha256(flat.tobytes()).hexdigest(),
        "probes": [None if v is None else int(v) if integer else float(v) for v in probes],
        "energy_j": None,
        "energy_reason": "numpy_sut reads no energy counter",
        "peak_ops_per_second": None,
        "peak_basis": "numpy_sut states no theoretical peak",
    }


def main():
    hello = json.loads(sys.stdin.readline())
    if hello.get("type") != "hello" or hello.get("protocol") != 1:
        print("expected a protocol 1 hello", file=sys.stderr)
        return 2
    root = hello["dataset_root"]
    print(json.dumps({"type": "ready", "name": "numpy-sut", "version": np.__version__}), flush=True)
    for line in sys.stdin:
        msg = json.loads(line)
        if msg["type"] == "end":
            break
        q = {k: v for k, v in msg.items() if k not in ("type", "id")}
        result = {"type": "result", "id": msg["id"], **answer(root, q)}
        print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
