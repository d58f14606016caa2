"""Joins jiebang's and LoadGen's null-SUT figures into one table with the goals of issue 4:
in-process offline rate >= 2x LoadGen's, single-stream overhead <= LoadGen's, process round
trip <= 1.5x a bare pipe echo. Usage: report.py JIEBANG.json LOADGEN.json OUT.json"""
import json
import platform
import sys

jb = json.load(open(sys.argv[1]))
lg = json.load(open(sys.argv[2]))

off_ratio = jb["offline_qps"] / lg["loadgen_offline_samples_per_s"]
lg_ss_wall = 1.0 / lg["loadgen_single_stream_qps_with_overhead"]
lg_ss_mean = lg["loadgen_single_stream_mean_latency_ns"] * 1e-9
pipe_ratio = jb["process_sut_round_trip_s"] / jb["bare_pipe_echo_round_trip_s"]
goals = {
    "offline_rate_at_least_2x_loadgen": off_ratio >= 2.0,
    "single_stream_overhead_at_most_loadgen": jb["single_stream_wall_per_query_s"] <= lg_ss_wall
    and jb["single_stream_mean_latency_s"] <= lg_ss_mean,
    "process_round_trip_at_most_1.5x_echo": pipe_ratio <= 1.5,
}


def us(s):
    return f"{s * 1e6:.3f} µs"


rows = [
    ("offline, null in-process SUT: queries/s", f"{jb['offline_qps']:,.0f}",
     f"{lg['loadgen_offline_samples_per_s']:,.0f}" + ("" if lg["loadgen_offline_valid"] else " (INVALID)"),
     f"{off_ratio:.1f}× LoadGen (goal ≥ 2×)"),
    ("single-stream, null in-process SUT: wall time per query", us(jb["single_stream_wall_per_query_s"]),
     us(lg_ss_wall) + ("" if lg["loadgen_single_stream_valid"] else " (INVALID)"),
     f"{jb['single_stream_wall_per_query_s'] / lg_ss_wall:.3f}× LoadGen (goal ≤ 1×)"),
    ("single-stream, null in-process SUT: mean latency", us(jb["single_stream_mean_latency_s"]),
     us(lg_ss_mean), f"{jb['single_stream_mean_latency_s'] / lg_ss_mean:.3f}× LoadGen (goal ≤ 1×)"),
    ("null process SUT over pipes: round trip per query", us(jb["process_sut_round_trip_s"]),
     f"bare pipe echo {us(jb['bare_pipe_echo_round_trip_s'])}", f"{pipe_ratio:.2f}× echo (goal ≤ 1.5×)"),
]
print("| measure | jiebang | reference | ratio |")
print("|---|---|---|---|")
for r in rows:
    print("| " + " | ".join(r) + " |")
print()
for k, v in goals.items():
    print(f"- {k}: {'met' if v else 'NOT MET'}")
json.dump({"machine": platform.processor() or platform.machine(), "jiebang": jb, "loadgen": lg,
           "ratios": {"offline": off_ratio, "pipe": pipe_ratio}, "goals": goals},
          open(sys.argv[3], "w"), indent=2)
