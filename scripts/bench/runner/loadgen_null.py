"""MLPerf LoadGen with a null SUT (every sample completed at once, inline), offline and
single-stream, in PerformanceOnly mode. Prints one JSON object with what LoadGen's summary
reports: offline samples per second and single-stream mean latency, with each result's
validity. Usage: python3 loadgen_null.py [OUTDIR]"""
import json
import os
import re
import sys
import tempfile

import mlperf_loadgen as lg

SAMPLES = 1024


def null_sut():
    def issue(queries):
        lg.QuerySamplesComplete([lg.QuerySampleResponse(q.id, 0, 0) for q in queries])

    return lg.ConstructSUT(issue, lambda: None)


def run(scenario, outdir, **expected):
    settings = lg.TestSettings()
    settings.scenario = scenario
    settings.mode = lg.TestMode.PerformanceOnly
    settings.min_duration_ms = 10_000
    for k, v in expected.items():
        setattr(settings, k, v)
    log = lg.LogSettings()
    log.log_output.outdir = outdir
    log.log_output.copy_summary_to_stdout = False
    log.enable_trace = False
    sut = null_sut()
    qsl = lg.ConstructQSL(SAMPLES, SAMPLES, lambda s: None, lambda s: None)
    lg.StartTestWithLogSettings(sut, qsl, settings, log)
    lg.DestroyQSL(qsl)
    lg.DestroySUT(sut)
    with open(os.path.join(outdir, "mlperf_log_summary.txt")) as f:
        return f.read()


def field(text, name):
    m = re.search(re.escape(name) + r"\s*:\s*([0-9.eE+-]+)", text)
    return float(m.group(1)) if m else None


def main():
    base = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="loadgen-null-")
    off_dir = os.path.join(base, "offline")
    ss_dir = os.path.join(base, "single_stream")
    os.makedirs(off_dir, exist_ok=True)
    os.makedirs(ss_dir, exist_ok=True)
    # LoadGen sizes its queries from these; far from the real figure the result is INVALID.
    off = run(lg.TestScenario.Offline, off_dir, offline_expected_qps=1_000_000)
    ss = run(lg.TestScenario.SingleStream, ss_dir, single_stream_expected_latency_ns=2_000)
    print(json.dumps({
        "loadgen_offline_samples_per_s": field(off, "Samples per second"),
        "loadgen_offline_valid": "Result is : VALID" in off,
        "loadgen_single_stream_mean_latency_ns": field(ss, "Mean latency (ns)"),
        "loadgen_single_stream_qps_with_overhead": field(ss, "QPS w/ loadgen overhead"),
        "loadgen_single_stream_valid": "Result is : VALID" in ss,
        "loadgen_logs": base,
    }))


if __name__ == "__main__":
    main()
