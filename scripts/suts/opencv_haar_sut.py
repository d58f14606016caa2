#!/usr/bin/env python3
"""OpenCV's Haar cascade face detector (Viola-Jones) as a jiebang SUT, protocol v1.

A detector only: it answers video-identity detect queries (docs/directions/video-identity.md),
  {"image", ...} -> {"faces": [{"x","y","w","h","score"}]}
with the cascade's final-stage weight as the score. It cannot verify, identify or make templates:
for a verify or identify suite it refuses at `hello` (it exits with status 2 before `ready`,
saying why on stderr; jiebang quotes that and stops the run), and a verify or identify query in
any other suite gets a result with an `error` field, which the harness counts `malformed`. So
does an image that cannot be read or a path that leaves dataset_root.

Install: pip install -r scripts/suts/requirements-face.txt  (opencv-python-headless; offline)
Run:
  jiebang run --suite video-identity/detect --sut 'VENV/bin/python3 scripts/suts/opencv_haar_sut.py'
Settings (environment): JIEBANG_HAAR_MIN_NEIGHBORS (default 5), JIEBANG_HAAR_MIN_SIZE (pixels,
default 24), JIEBANG_HAAR_SCALE (default 1.1).
"""
import json
import os
import sys
import time

MAX_IMAGE_BYTES = 64 << 20  # a bigger file is refused, not read
MAX_PIXELS = 50_000_000  # a bigger image (decompression bomb) is refused by OpenCV's decoder
MAX_BOXES = 1000  # the detect answer's limit
os.environ.setdefault("OPENCV_IO_MAX_IMAGE_PIXELS", str(MAX_PIXELS))


def log(*args):
    print("[opencv_haar_sut]", *args, file=sys.stderr, flush=True)


class QueryError(Exception):
    """A query this system cannot answer: reported in the result's `error` field."""


class Haar:
    """The frontal-face cascade that ships with OpenCV, on the grey image."""

    def __init__(self, root):
        import cv2
        import numpy as np

        self.cv2, self.np = cv2, np
        self.root = os.path.realpath(root)
        cascade = os.path.join(cv2.data.haarcascades, "haarcascade_frontalface_default.xml")
        self.cascade = cv2.CascadeClassifier(cascade)
        if self.cascade.empty():
            raise OSError(f"cannot load the cascade {cascade}")
        self.neighbors = int(os.environ.get("JIEBANG_HAAR_MIN_NEIGHBORS", "5"))
        self.min_size = int(os.environ.get("JIEBANG_HAAR_MIN_SIZE", "24"))
        self.scale = float(os.environ.get("JIEBANG_HAAR_SCALE", "1.1"))
        self.version = (
            f"opencv {cv2.__version__}, haarcascade_frontalface_default, scale {self.scale}, "
            f"min_neighbors {self.neighbors}, min_size {self.min_size}"
        )

    def grey(self, rel):
        if not isinstance(rel, str) or not rel:
            raise QueryError(f"`image` must be a non-empty relative path, got {json.dumps(rel)[:80]}")
        full = os.path.realpath(os.path.join(self.root, rel))
        if os.path.isabs(rel) or os.path.commonpath([self.root, full]) != self.root:
            raise QueryError(f"`image` {json.dumps(rel)[:200]} leaves dataset_root")
        try:
            with open(full, "rb") as f:
                data = f.read(MAX_IMAGE_BYTES + 1)
        except OSError as e:
            raise QueryError(f"`image` {rel}: cannot read the file ({e.strerror})") from None
        if len(data) > MAX_IMAGE_BYTES:
            raise QueryError(f"`image` {rel}: more than {MAX_IMAGE_BYTES} bytes")
        img = self.cv2.imdecode(self.np.frombuffer(data, self.np.uint8), self.cv2.IMREAD_GRAYSCALE)
        if img is None:
            raise QueryError(f"`image` {rel}: not a readable image (corrupt, truncated or too large)")
        return img

    def detect(self, q):
        img = self.grey(q.get("image"))
        rects, _, weights = self.cascade.detectMultiScale3(
            img,
            scaleFactor=self.scale,
            minNeighbors=self.neighbors,
            minSize=(self.min_size, self.min_size),
            outputRejectLevels=True,
        )
        faces = [
            {"x": int(x), "y": int(y), "w": int(w), "h": int(h), "score": float(s)}
            for (x, y, w, h), s in zip(rects, self.np.ravel(weights))
        ]
        faces.sort(key=lambda f: -f["score"])
        return {"faces": faces[:MAX_BOXES]}


def main():
    try:
        hello = json.loads(sys.stdin.readline() or "{}")
    except ValueError:
        hello = None
    if not isinstance(hello, dict) or hello.get("type") != "hello" or hello.get("protocol") != 1:
        log("expected a protocol 1 hello, got", json.dumps(hello)[:200])
        return 2
    suite = str(hello.get("suite", ""))
    name = suite.split("/", 1)[-1].split("@", 1)[0]
    if name.startswith(("verify", "identify")):
        log(f"suite {suite}: a Haar cascade only detects faces; it cannot answer verify or identify suites")
        return 2
    root = hello.get("dataset_root")
    if not isinstance(root, str) or not os.path.isdir(root):
        log(f"hello: `dataset_root` must name a folder, got {json.dumps(root)[:200]}")
        return 2
    t0 = time.perf_counter()
    haar = Haar(root)
    log(f"suite {suite}, dataset {haar.root}, ready in {time.perf_counter() - t0:.2f} s")
    print(json.dumps({"type": "ready", "name": "opencv-haar", "version": haar.version}), flush=True)
    for line in sys.stdin:
        try:
            msg = json.loads(line)
        except ValueError:
            log("ignoring a line that is not JSON:", line[:200])
            continue
        if not isinstance(msg, dict) or msg.get("type") == "end":
            break
        try:
            if "a" in msg or "b" in msg or "k" in msg or "template" in name:
                raise QueryError("a Haar cascade only detects faces: no verify, identify or template answers")
            answer = haar.detect(msg)
        except QueryError as e:
            log(f"query {msg.get('id')}: {e}")
            answer = {"error": str(e)}
        except Exception as e:  # never crash on one query
            log(f"query {msg.get('id')}: {type(e).__name__}: {e}")
            answer = {"error": f"{type(e).__name__}: {e}"}
        answer.update({"type": "result", "id": msg.get("id")})
        print(json.dumps(answer), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
