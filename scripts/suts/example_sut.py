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
import struct
import sys
import time
import zlib


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


def png_size(path):
    """Width and height from a PNG's IHDR chunk (the first 24 bytes)."""
    with open(path, "rb") as f:
        head = f.read(24)
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        raise ValueError(f"{path}: not a PNG")
    return struct.unpack(">II", head[16:24])


def png_grey(path):
    """Decodes an 8-bit, non-interlaced PNG (grey, RGB, with or without alpha) into rows of grey
    values 0..255. Anything else raises ValueError."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG")
    pos, idat, ihdr = 8, [], None
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + length
    if ihdr is None:
        raise ValueError(f"{path}: no IHDR")
    width, height, depth, colour, _, _, interlace = ihdr
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour)
    if depth != 8 or channels is None or interlace:
        raise ValueError(f"{path}: only 8-bit non-interlaced grey/RGB PNGs are read")
    raw, stride = zlib.decompress(b"".join(idat)), width * channels
    prev, rows = bytearray(stride), []
    for y in range(height):
        filt, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b, c = prev[i], prev[i - channels] if i >= channels else 0
            if filt == 1:
                line[i] = (line[i] + a) & 255
            elif filt == 2:
                line[i] = (line[i] + b) & 255
            elif filt == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif filt == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([sum(line[x * channels : x * channels + min(channels, 3)]) / min(channels, 3) for x in range(width)])
        prev = line
    return rows


def thumbnail(path, n=8):
    """The image's grey means over an n x n grid, normalised to zero mean."""
    rows = png_grey(path)
    h, w = len(rows), len(rows[0])
    cells = []
    for gy in range(n):
        for gx in range(n):
            block = [v for r in rows[gy * h // n : max((gy + 1) * h // n, gy * h // n + 1)] for v in r[gx * w // n : max((gx + 1) * w // n, gx * w // n + 1)]]
            cells.append(sum(block) / len(block))
    mean = sum(cells) / len(cells)
    return [c - mean for c in cells]


def video_identity(root, query):
    """Answers one query (video_identity_rule); an image it cannot read gets a result with an
    `error` field and no answer fields, which the harness counts malformed."""
    try:
        return video_identity_rule(root, query)
    except (OSError, ValueError, KeyError, IndexError, zlib.error) as e:
        log(f"query {query.get('id')}: cannot answer: {e}")
        return {"error": str(e)}


def video_identity_rule(root, query):
    """Trivial rules that know nothing about faces: detect answers one box in the frame's
    centre; verify scores a pair by the correlation of their 8 x 8 grey thumbnails; identify
    names no candidate. Expect a detect rate near 0 and an EER near 0.5."""
    if "clip" in query:
        w, h = png_size(f"{root}/{query['image']}")
        side = max(1, min(w, h) // 3)
        return {"faces": [{"x": (w - side) / 2, "y": (h - side) / 2, "w": side, "h": side, "score": 0.5}]}
    if "a" in query:
        ta, tb = thumbnail(f"{root}/{query['a']}"), thumbnail(f"{root}/{query['b']}")
        dot = sum(x * y for x, y in zip(ta, tb))
        norm = (sum(x * x for x in ta) * sum(y * y for y in tb)) ** 0.5
        return {"score": dot / norm if norm > 0 else 0.0}
    return {"candidates": []}


def speech(root, query):
    """Trivial rule that hears nothing: it opens the WAV file (standard library `wave`) to
    check that it can be read, then answers the commonest opening words of the suites'
    assistant domain, "打开" for Mandarin and "turn on the" for English, and the intent
    `turn_on` with no slots. Expect a low accuracy (well below 50%)."""
    import wave

    try:
        with wave.open(f"{root}/{query['audio']}", "rb") as w:
            w.getnframes()
    except (OSError, EOFError, wave.Error, KeyError) as e:
        log(f"query {query.get('id')}: cannot read the audio: {e}")
        return {"error": str(e)}
    if query.get("task") == "intent":
        return {"intent": "turn_on", "slots": {}}
    return {"transcript": "打开" if query.get("language") == "zh" else "turn on the"}


def main():
    hello = json.loads(sys.stdin.readline())
    if hello.get("type") != "hello" or hello.get("protocol") != 1:
        log("expected a protocol 1 hello, got", hello)
        return 2
    direction = hello["suite"].split("/")[0]
    # The dataset's inputs folder: query paths are relative to it. Labels are never in it.
    root = hello["dataset_root"]
    answer = {
        "medical-imaging": medical_imaging,
        "nn-chip": nn_chip,
        "video-identity": video_identity,
        "speech": speech,
    }.get(direction)
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
