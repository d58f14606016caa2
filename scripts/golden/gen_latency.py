"""Golden vectors for latency: real MLPerf LoadGen runs (mlcommons-loadgen, single-stream
scenario, a Python SUT that sleeps a random time) whose per-sample latencies are read back
from LoadGen's trace log, together with LoadGen's own reported percentiles, mean and
early-stopping estimates; plus a transcription of LoadGen's early_stopping.cc for the
server-scenario check and larger synthetic samples, and numpy's inverted_cdf percentiles
(nearest rank)."""
import json
import math
import os
import random
import re
import shutil
import tempfile
import time

import mlperf_loadgen as lg
import numpy as np

from common import write_fixture


def run_loadgen(queries, percentile, seed):
    rnd = random.Random(seed)

    def issue(qs):
        for q in qs:
            time.sleep(rnd.random() * rnd.choice([0.0001, 0.0001, 0.0001, 0.001]))
            lg.QuerySamplesComplete([lg.QuerySampleResponse(q.id, 0, 0)])

    out = tempfile.mkdtemp(prefix="jiebang-loadgen-")
    sut = lg.ConstructSUT(issue, lambda: None)
    qsl = lg.ConstructQSL(64, 64, lambda s: None, lambda s: None)
    st = lg.TestSettings()
    st.scenario = lg.TestScenario.SingleStream
    st.mode = lg.TestMode.PerformanceOnly
    st.single_stream_expected_latency_ns = 200000
    st.single_stream_target_latency_percentile = percentile
    st.min_query_count = queries
    st.max_query_count = queries
    st.min_duration_ms = 0
    ls = lg.LogSettings()
    ls.log_output.outdir = out
    ls.enable_trace = True
    lg.StartTestWithLogSettings(sut, qsl, st, ls)
    lg.DestroyQSL(qsl)
    lg.DestroySUT(sut)
    trace = open(os.path.join(out, "mlperf_log_trace.json")).read()
    latencies = [int(c) - int(a) for a, c in re.findall(r'"issue_start_ns":(\d+),"complete_ns":(\d+)', trace)]
    detail = {}
    for line in open(os.path.join(out, "mlperf_log_detail.txt")):
        if line.startswith(":::MLLOG"):
            rec = json.loads(line[len(":::MLLOG"):])
            detail[rec["key"]] = rec["value"]
    shutil.rmtree(out)
    result = detail.get("early_stopping_result", "")
    m_at_least = re.search(r"(?:Processed at least|Need to process at least) (\d+) queries", result)
    m_discard = re.search(r"Would discard (\d+) highest", result)
    return {
        "latencies": latencies,
        "percentile": percentile,
        "loadgen_result": result,
        "percentiles": {k: v for k, v in detail.items() if k.startswith("result_") and k.endswith("_percentile_latency_ns")},
        "mean": detail.get("result_mean_latency_ns"),
        "min": detail.get("result_min_latency_ns"),
        "max": detail.get("result_max_latency_ns"),
        "early_stopping_ss": detail.get("early_stopping_latency_ss"),
        "early_stopping_ms": detail.get("early_stopping_latency_ms"),
        "min_queries": int(m_at_least.group(1)) if m_at_least else None,
        "discarded": int(m_discard.group(1)) if m_discard else None,
    }


# --- transcription of loadgen/early_stopping.cc ---------------------------------------
def lbeta(x, y):
    return math.lgamma(x) + math.lgamma(y) - math.lgamma(x + y)


def hyp2f1_a1(b, c, x):
    tol = 1.0 / (1 << 33)
    term = 1.0
    result = 1.0
    i = 0
    while abs(term) > tol:
        term *= (b + i) * x / (c + i)
        result += term
        i += 1
    return result


def beta_regularized(x, a, b):
    return math.exp(a * math.log(x) + (b - 1) * math.log(1 - x) - lbeta(a, b)) / a * hyp2f1_a1(1 - b, 1 + a, x / (x - 1))


def find_min_passing(min_h, max_h, t, p, d, c):
    count = max_h - min_h
    while count > 0:
        step = count // 2
        h = min_h + step
        if beta_regularized(p - d, h, 1 + t) < 1 - c:
            count = step
        else:
            min_h = h + 1
            count -= step + 1
    return min_h


class Finder:
    def __init__(self):
        self.cache = {}

    def __call__(self, t, p, d, c):
        cache = self.cache.setdefault((p, d, c), {})
        if t in cache:
            return cache[t]
        x0, y0, x1 = -1, 0, 0
        y1 = math.ceil(math.log(1 - c) / math.log(p - d))
        below = sorted(k for k in cache if k < t)
        if below:
            x1, y1 = below[-1], cache[below[-1]]
            if len(below) > 1:
                x0, y0 = below[-2], cache[below[-2]]
        min_slope = (p - d) / (1 - p + d)
        max_slope = float((y1 - y0) * (x1 - x0))
        min_h = int((t - x1) * min_slope + y1)
        max_h = int((t - x1) * max_slope + y1 + 1)
        h = find_min_passing(min_h, max_h, t, p, d, c)
        cache[t] = h
        return h


def single_stream(latencies, p, c=0.99, d=0.0):
    n = len(latencies)
    find = Finder()
    h_min = find(1, p, d, c)
    if n < h_min + 1:
        return {"needed": h_min + 1}
    t = 1
    for i in range(2, n + 1):
        h = find(i, p, d, c)
        if n < h + i:
            t = i - 1
            break
    s = sorted(latencies)
    return {"min_queries": h_min + 1, "discarded": t - 1, "estimate": s[n - t]}


def server(latencies, target, p, c=0.99, d=0.0):
    t = sum(1 for x in latencies if x > target)
    h = Finder()(t, p, d, c)
    return {"overlatency": t, "required": h + t, "passed": len(latencies) >= h + t}


def main():
    runs = []
    for queries, percentile, seed in [(3000, 0.9, 1), (800, 0.9, 2), (1500, 0.95, 3), (500, 0.99, 4), (40, 0.9, 5)]:
        runs.append(run_loadgen(queries, percentile, seed))
    rng = np.random.default_rng(99)
    synthetic = []
    for n, p in [(64, 0.9), (65, 0.9), (10000, 0.9), (4000, 0.99), (2000, 0.5), (300, 0.95)]:
        lat = [int(v) for v in rng.lognormal(13.0, 0.6, n)]
        entry = {"latencies": lat, "percentile": p, "single_stream": single_stream(lat, p)}
        s = np.sort(lat)
        entry["nearest_rank"] = {str(q): int(np.percentile(s, q * 100, method="inverted_cdf"))
                                 for q in [0.0, 0.1, 0.5, 0.9, 0.95, 0.99, 1.0]}
        entry["loadgen_index"] = {str(q): int(s[int(len(s) * q)]) for q in [0.0, 0.1, 0.5, 0.9, 0.95, 0.99]}
        target = int(np.quantile(s, 0.97))
        entry["server"] = {"target": target, **server(lat, target, p)}
        synthetic.append(entry)
    write_fixture("latency", "mlcommons-loadgen runs (trace latencies + reported results); a "
                  "transcription of loadgen/early_stopping.cc; numpy percentiles",
                  ["mlcommons_loadgen", "numpy"],
                  "LoadGen percentile = sorted[int(n*p)]; nearest rank = numpy inverted_cdf; early "
                  "stopping per early_stopping.cc and results.cc (confidence 0.99, tolerance 0); "
                  "LoadGen runs are timing-dependent, so a rerun gives new latencies and results",
                  [{"loadgen_runs": runs, "synthetic": synthetic}])


if __name__ == "__main__":
    main()
