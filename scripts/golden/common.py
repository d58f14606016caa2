"""Shared helpers for the golden-vector generators of jiebang-metrics.

Every fixture records the reference tool, its version and how to regenerate it, so a test
failure can be traced back to the exact reference run.
"""
import json
import os
import platform
import sys
from importlib import metadata

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT_DIR = os.path.join(ROOT, "harness", "metrics", "tests", "golden")
REGENERATE = "python3 scripts/golden/generate.py  (from the repository root)"


def versions(*packages):
    out = {"python": platform.python_version()}
    for p in packages:
        out[p] = metadata.version(p)
    return out


def write_fixture(name, tool, packages, definition, cases):
    """Write harness/metrics/tests/golden/<name>.json."""
    doc = {
        "fixture": name,
        "tool": tool,
        "versions": versions(*packages),
        "definition": definition,
        "regenerate": REGENERATE,
        "cases": cases,
    }
    os.makedirs(OUT_DIR, exist_ok=True)
    path = os.path.join(OUT_DIR, name + ".json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1, allow_nan=False)
        f.write("\n")
    print(f"wrote {os.path.relpath(path, ROOT)} ({len(cases)} cases)", file=sys.stderr)


def f(x):
    """A float that JSON can carry (repr round-trips exactly)."""
    return float(x)
