"""numpy's 1:N template matching, the peer of jiebang-accel's Device::top_k.

Same construction as accelerators/examples/template_match.rs (numpy's own generator): a
gallery of random templates, probe i a noisy copy of gallery row i*gallery//probes, all
L2-normalised; then, per block of probes, scores = P @ G.T, np.argpartition for the best k,
and a sort of those k. Prints one JSON line like the Rust example.
Usage: python3 numpy_top_k.py GALLERY PROBES DIM K [BLOCK]
"""
import json
import resource
import sys
import time

import numpy as np


def peak_rss():
    """Peak resident set size in bytes (VmHWM, as the Rust example reads it)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def normalise(x):
    x /= np.sqrt(np.einsum("ij,ij->i", x, x))[:, None]


def main():
    n, p, d, k = (int(v) for v in sys.argv[1:5])
    block = int(sys.argv[5]) if len(sys.argv) > 5 else 1024
    rng = np.random.default_rng(1)
    t0 = time.perf_counter()
    g = np.empty((n, d), dtype=np.float32)
    chunk = 10_000
    for r in range(0, n, chunk):
        x = rng.uniform(-1.0, 1.0, size=(min(chunk, n - r), d)).astype(np.float32)
        normalise(x)
        g[r : r + len(x)] = x
    mates = np.arange(p) * n // p
    # Noisy copies of the (normalised) mated rows: the same signal-to-noise as the Rust side.
    q = g[mates] * np.float32(np.sqrt(d / 3.0)) + np.float32(0.5) * rng.uniform(
        -1.0, 1.0, size=(p, d)
    ).astype(np.float32)
    normalise(q)
    setup = time.perf_counter() - t0
    before = peak_rss()

    t1 = time.perf_counter()
    top = np.empty((p, k), dtype=np.int64)
    matmul = 0.0
    for s in range(0, p, block):
        tm = time.perf_counter()
        scores = q[s : s + block] @ g.T
        matmul += time.perf_counter() - tm
        part = np.argpartition(scores, -k, axis=1)[:, -k:]
        order = np.argsort(-np.take_along_axis(scores, part, axis=1), axis=1, kind="stable")
        top[s : s + block] = np.take_along_axis(part, order, axis=1)
        del scores, part, order
    seconds = time.perf_counter() - t1

    cfg = {}
    try:
        info = np.show_config(mode="dicts")
        cfg = info.get("Build Dependencies", {}).get("blas", {})
    except Exception:
        pass
    print(json.dumps({
        "tool": "numpy",
        "numpy": np.__version__,
        "blas": cfg.get("name"),
        "gallery": n,
        "probes": p,
        "dim": d,
        "k": k,
        "block": block,
        "setup_seconds": setup,
        "match_seconds": seconds,
        "of_which_matmul_seconds": matmul,
        "peak_rss_bytes_before_match": before,
        "peak_rss_bytes": peak_rss(),
        "rank1": float(np.mean(top[:, 0] == mates)),
    }))


if __name__ == "__main__":
    main()
