#!/usr/bin/env python3
"""A minimal system under test for jiebang, speaking SUT protocol v1 (docs/PROTOCOL.md).

Run it with:  jiebang run --suite medical-imaging/case-detection --sut 'python3 scripts/suts/example_sut.py'

It shows the protocol, not a method: its answers come from a trivial rule.
  * stdin/stdout carry one JSON object per line; anything else (logs) goes to stderr.
  * hello -> ready; then queries, each answered with a result carrying the query's id;
    `end` -> exit. Exit when stdin closes too.
Standard library only.
"""
import json
import sys
import time


def log(*args):
    print("[example_sut]", *args, file=sys.stderr, flush=True)


def medical_imaging(root, query):
    """Trivial rule: the mean byte of the last 64 KiB of each DICOM file (where uncompressed
    pixel data sits) as a 'suspicion' score, called positive above 0.12 (about half of the
    default synthetic studies). It knows nothing about anatomy: expect an AUC near 0.5."""
    means = []
    for rel in query["files"]:
        with open(f"{root}/{rel}", "rb") as f:
            f.seek(0, 2)
            size = f.tell()
            f.seek(max(0, size - 65536))
            tail = f.read()
        means.append(sum(tail) / (255.0 * max(1, len(tail))))
    score = max(means) if means else 0.0
    return {"positive": score > 0.12, "score": score, "lesions": []}


def nn_chip(root, query):
    """Computes no kernel: it times empty iterations and returns no output values, which the
    harness records as incorrect workloads. It only shows the answer's shape."""
    seconds = []
    for _ in range(query["iterations"]):
        t0 = time.perf_counter()
        seconds.append(max(time.perf_counter() - t0, 1e-9))
    return {"seconds": seconds, "output_digest": "0" * 64, "probes": [None] * len(query["probe"])}


def main():
    hello = json.loads(sys.stdin.readline())
    if hello.get("type") != "hello" or hello.get("protocol") != 1:
        log("expected a protocol 1 hello, got", hello)
        return 2
    direction = hello["suite"].split("/")[0]
    # The dataset's inputs folder: query paths are relative to it. Labels are never in it.
    root = hello["dataset_root"]
    answer = {"medical-imaging": medical_imaging, "nn-chip": nn_chip}.get(direction)
    log(f"suite {hello['suite']}, dataset {root}")
    print(json.dumps({"type": "ready", "name": "example-sut", "version": "1"}), flush=True)
    for line in sys.stdin:
        msg = json.loads(line)
        if msg["type"] == "end":
            break
        result = answer(root, msg) if answer else {}
        result.update({"type": "result", "id": msg["id"]})
        print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
