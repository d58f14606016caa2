#!/usr/bin/env python3
"""Writes suites/*.toml from the workload tables below (the TOML files are the data the crate
embeds; this script only saves typing the per-workload metric lists). Run from tasks/nn-chip."""

PER_WORKLOAD = ["latency", "rate", "rate_observed", "rel_error", "correct", "efficiency"]

def gemm(prec, size):
    return (f"gemm-{prec}-{size}", f"gemm_{prec}", dict(m=size, n=size, k=size))

def conv(wid, c, hw, o, kk, stride, pad):
    return (wid, "conv2d_f32", dict(batch=1, in_channels=c, height=hw, width=hw,
                                    out_channels=o, kernel_h=kk, kernel_w=kk,
                                    stride=stride, padding=pad))

def rnn(kind, t, b, i, h):
    return (f"{kind}-t{t}-h{h}", f"{kind}_f32", dict(seq_len=t, batch=b, input_size=i, hidden_size=h))

KERNELS = {
    "file": "kernels.toml",
    "header": "# Driver-CI kernels: GEMM f32/f16/int8 at three sizes, plus one conv2d, LSTM and RNN, sized so that\n# a CPU or lavapipe run takes seconds.",
    "id": "nn-chip/kernels",
    "title": "GEMM kernels (f32, f16, int8→i32) at three sizes, plus conv2d, LSTM and RNN",
    "seed": 2020,
    "workloads": [gemm(p, s) for s in (64, 128, 256) for p in ("f32", "f16", "i8")]
    + [conv("conv-3x3-c32-h28", 32, 28, 32, 3, 1, 1), rnn("lstm", 16, 4, 128, 128), rnn("rnn", 16, 4, 128, 128)],
    "aggregates": ["throughput.f32", "throughput.f16", "throughput.int8",
                   "throughput_observed.f32", "throughput_observed.f16", "throughput_observed.int8",
                   "peak.f32", "peak_fraction.f32", "efficiency.best", "correctness.passed"],
    "indicators": ["chip.performance_f16", "chip.energy_efficiency", "chip.throughput_f32",
                   "chip.throughput_int8", "chip.peak_fraction_f32", "chip.correctness"],
    "warmup": 2, "iterations": 15,
}

CNN = {
    "file": "cnn-rnn-lstm.toml",
    "header": "# CNN/RNN/LSTM support: ResNet-50 convolution layers (batch 1, 224x224 input) and recurrent sequences.",
    "id": "nn-chip/cnn-rnn-lstm",
    "title": "CNN (ResNet-50 conv layers), RNN and LSTM sequence workloads",
    "seed": 2021,
    "workloads": [
        rnn("rnn", 32, 8, 256, 256),
        rnn("lstm", 32, 8, 256, 256),
        conv("conv-res2-1x1", 64, 56, 64, 1, 1, 0),
        conv("conv-stem-7x7", 3, 224, 64, 7, 2, 3),
        conv("conv-res2-3x3", 64, 56, 64, 3, 1, 1),
        conv("conv-res5-3x3", 512, 7, 512, 3, 1, 1),
    ],
    "aggregates": ["throughput.f32", "throughput_observed.f32", "peak.f32", "peak_fraction.f32",
                   "efficiency.best",
                   "correctness.passed", "support.cnn", "support.rnn", "support.lstm",
                   "support.cnn_rnn_lstm"],
    "indicators": ["chip.cnn_rnn_lstm", "chip.energy_efficiency", "chip.throughput_f32",
                   "chip.peak_fraction_f32", "chip.correctness"],
    "warmup": 1, "iterations": 8,
}

DESCRIPTION = '''description = """
Each query names one kernel workload of the dataset: its kernel, shape, the dataset files that
hold its seeded random inputs (raw little-endian arrays), how many warm-up and timed iterations
to run, and the output positions to return. The system uploads the inputs once, runs the
warm-up iterations, times each iteration (launch + wait for completion; no upload, no
readback), reads the output back and answers {"seconds": [...], "output_digest": sha256 of the
output's little-endian bytes, "probes": [the output values at the asked positions], optional
"energy_j" and "peak_ops_per_second"}. The harness computes the CPU reference itself and
decides correctness: int8→i32 results bit-exact (the digest must equal the reference's), float
results within the stated normwise relative error at the probed positions (and, when the whole
output is probed, the digest must match the returned values). Each workload is queried twice:
with `iterations` timed iterations, and again with many more (its long query, sample
`<workload>/long`); the reported seconds must fit in the wall time the harness observed for
each query, and the long query's extra iterations must not have taken far longer than
reported, or the answers are malformed. Rates from reported seconds are labelled
self-reported; beside them the harness gives its own observed lower bound. Achieved rates
count only correct workloads. Protocol: docs/directions/nn-chip.md.
"""'''

def write(s):
    out = [s["header"], "schema_version = 1", f'id = "{s["id"]}"', "version = 1",
           'direction = "nn-chip"', f'title = "{s["title"]}"', DESCRIPTION, "metrics = ["]
    out += [f'    "{m}",' for m in s["aggregates"]]
    out += [f'    "kernel.{w[0]}.{p}",' for w in s["workloads"] for p in PER_WORKLOAD]
    out += ["]", "indicators = ["] + [f'    "{i}",' for i in s["indicators"]] + ["]", ""]
    out += ["[dataset]", 'generator = "kernel-inputs"', f'samples = {len(s["workloads"])}',
            f'seed = {s["seed"]}', ""]
    for wid, kernel, dims in s["workloads"]:
        out += ["[[dataset.workloads]]", f'id = "{wid}"', f'kernel = "{kernel}"']
        out += [f"{k} = {v}" for k, v in dims.items()] + [""]
    out += ["[protocol]", f'warmup = {s["warmup"]}', f'iterations = {s["iterations"]}',
            "probes = 256", "full_output_max = 4096", "long_extra_ops = 1000000000", "",
            "[settings]", "timeout_s = 600",
            "# One query at a time: the harness checks reported kernel seconds against the",
            "# wall time it observes for each query, which overlapping queries would blur.",
            "max_in_flight = 1", ""]
    with open(f"suites/{s['file']}", "w") as f:
        f.write("\n".join(out))

for s in (KERNELS, CNN):
    write(s)
