#!/usr/bin/env python3
"""dlib's face system (through the `face_recognition` package) as a jiebang SUT, protocol v1.

Answers the video-identity suites (docs/directions/video-identity.md) by the query's fields:
  detect     {"image", "clip", "frame"} -> {"faces": [{"x","y","w","h","score"}]}  dlib HOG detector
  verify     {"a", "b"}                 -> {"score": 1 - distance}               128-D encodings
  identify   {"image", "k"}             -> {"candidates": [{"identity","score"}]}  nearest gallery encodings
  template   {"image"} (a *-template suite) -> {"template": [128 floats]}
The 1:N gallery (`gallery.csv`, `image,identity`, under dataset_root) is enrolled once, before
`ready`. An image that cannot be read, or a path that leaves dataset_root, gets a result with an
`error` field and no answer fields: the harness counts it `malformed` (never correct).

Install (docs/directions/video-identity-real.md; offline once installed, no downloads at run time):
  pip install -r scripts/suts/requirements-face.txt && pip install --no-deps face_recognition==1.3.0
Run:
  jiebang run --suite video-identity/verify-1to1 --sut 'VENV/bin/python3 scripts/suts/face_recognition_sut.py'
Settings (environment): JIEBANG_DLIB_UPSAMPLE (default 1: finds faces down to ~40 px),
JIEBANG_DLIB_THRESHOLD (default 0.0: dlib's own; lower finds more faces and more false ones).
"""
import csv
import json
import os
import sys
import time
from importlib import metadata

MAX_IMAGE_BYTES = 64 << 20  # a bigger file is refused, not read
MAX_PIXELS = 50_000_000  # a bigger image (decompression bomb) is refused
MAX_GALLERY_BYTES = 64 << 20
MAX_GALLERY_ROWS = 100_000
MAX_K = 1000
MAX_BOXES = 1000  # the detect answer's limit
CACHE = 4096  # encodings kept per image path (verify pairs reuse images)


def log(*args):
    print("[face_recognition_sut]", *args, file=sys.stderr, flush=True)


class QueryError(Exception):
    """A query this system cannot answer: reported in the result's `error` field."""


class Images:
    """Reads images only from under the dataset's inputs folder, bounded in bytes and pixels."""

    def __init__(self, root):
        self.root = os.path.realpath(root)

    def path(self, rel, field):
        if not isinstance(rel, str) or not rel:
            raise QueryError(f"`{field}` must be a non-empty relative path, got {json.dumps(rel)[:80]}")
        full = os.path.realpath(os.path.join(self.root, rel))
        if os.path.isabs(rel) or os.path.commonpath([self.root, full]) != self.root:
            raise QueryError(f"`{field}` {json.dumps(rel)[:200]} leaves dataset_root")
        return full

    def rgb(self, rel, field):
        import numpy as np
        from PIL import Image

        full = self.path(rel, field)
        try:
            size = os.path.getsize(full)
            if size > MAX_IMAGE_BYTES:
                raise QueryError(f"`{field}` {rel}: {size} bytes, more than {MAX_IMAGE_BYTES}")
            with Image.open(full) as im:
                if im.width * im.height > MAX_PIXELS:
                    raise QueryError(f"`{field}` {rel}: {im.width}x{im.height} pixels, more than {MAX_PIXELS}")
                return np.asarray(im.convert("RGB"))
        except QueryError:
            raise
        except Exception as e:  # PIL raises many kinds for corrupt or truncated files
            raise QueryError(f"`{field}` {rel}: cannot read the image ({type(e).__name__}: {e})") from None


class Dlib:
    """dlib's HOG face detector and ResNet 128-D face encoder."""

    def __init__(self, images):
        import dlib
        import face_recognition
        import numpy as np
        from PIL import ImageFile

        # face_recognition turns on Pillow's LOAD_TRUNCATED_IMAGES when imported, which pads a
        # truncated file with grey and answers it; a truncated image must be an error here.
        ImageFile.LOAD_TRUNCATED_IMAGES = False

        self.np, self.fr, self.images = np, face_recognition, images
        self.detector = dlib.get_frontal_face_detector()
        self.upsample = int(os.environ.get("JIEBANG_DLIB_UPSAMPLE", "1"))
        self.threshold = float(os.environ.get("JIEBANG_DLIB_THRESHOLD", "0.0"))
        self.cache = {}
        self.version = (
            f"face_recognition {metadata.version('face_recognition')}, dlib {dlib.__version__}, "
            f"face_recognition_models {metadata.version('face_recognition_models')}, "
            f"HOG upsample {self.upsample} threshold {self.threshold}"
        )

    def faces(self, img):
        """Detected faces as (left, top, right, bottom, score), best first, clipped to the image."""
        h, w = img.shape[:2]
        rects, scores, _ = self.detector.run(img, self.upsample, self.threshold)
        out = []
        for r, s in zip(rects, scores):
            box = (max(r.left(), 0), max(r.top(), 0), min(r.right() + 1, w), min(r.bottom() + 1, h))
            if box[2] > box[0] and box[3] > box[1]:
                out.append((*box, float(s)))
        return sorted(out, key=lambda f: -f[4])

    def detect(self, q):
        img = self.images.rgb(q.get("image"), "image")
        boxes = [
            {"x": l, "y": t, "w": r - l, "h": b - t, "score": s}
            for l, t, r, b, s in self.faces(img)[:MAX_BOXES]
        ]
        return {"faces": boxes}

    def encoding(self, rel, field):
        """The 128-D encoding of the largest face found; the whole image when none is found
        (a face crop too tight for the detector)."""
        if rel in self.cache:
            return self.cache[rel]
        img = self.images.rgb(rel, field)
        h, w = img.shape[:2]
        found = self.faces(img)
        if found:
            l, t, r, b, _ = max(found, key=lambda f: (f[2] - f[0]) * (f[3] - f[1]))
        else:
            l, t, r, b = 0, 0, w, h
        enc = self.fr.face_encodings(img, known_face_locations=[(t, r, b, l)])[0]
        if len(self.cache) >= CACHE:
            self.cache.pop(next(iter(self.cache)))
        self.cache[rel] = enc
        return enc

    def verify(self, q):
        a, b = self.encoding(q.get("a"), "a"), self.encoding(q.get("b"), "b")
        return {"score": 1.0 - float(self.np.linalg.norm(a - b))}

    def template(self, q):
        return {"template": [float(v) for v in self.encoding(q.get("image"), "image")]}


class Gallery:
    """The enrolled 1:N gallery: one encoding per identity of `gallery.csv` whose image encodes."""

    def __init__(self, dlib_sys, root):
        path = os.path.join(root, "gallery.csv")
        if os.path.getsize(path) > MAX_GALLERY_BYTES:
            raise ValueError(f"{path}: more than {MAX_GALLERY_BYTES} bytes")
        self.ids, encs = [], []
        with open(path, newline="", encoding="utf-8") as f:
            rows = csv.reader(f)
            header = next(rows, None)
            if header != ["image", "identity"]:
                raise ValueError(f"{path} line 1: expected the header `image,identity`, got {header}")
            for line, row in enumerate(rows, start=2):
                if line - 1 > MAX_GALLERY_ROWS:
                    raise ValueError(f"{path} line {line}: more than {MAX_GALLERY_ROWS} rows")
                if len(row) != 2 or not row[1]:
                    raise ValueError(f"{path} line {line}: expected `image,identity`, got {row}")
                try:
                    encs.append(dlib_sys.encoding(row[0], f"{path} line {line}"))
                    self.ids.append(row[1])
                except QueryError as e:
                    log(f"not enrolled (failure to enrol): {e}")
        self.np = dlib_sys.np
        self.encs = self.np.array(encs).reshape(len(encs), 128)
        log(f"enrolled {len(self.ids)} gallery images from {path}")

    def identify(self, dlib_sys, q):
        k = q.get("k")
        if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= MAX_K:
            raise QueryError(f"`k` must be an integer in 1..={MAX_K}, got {json.dumps(k)[:80]}")
        probe = dlib_sys.encoding(q.get("image"), "image")
        dist = self.np.linalg.norm(self.encs - probe, axis=1)
        best = self.np.argsort(dist, kind="stable")[:k]
        return {"candidates": [{"identity": self.ids[i], "score": 1.0 - float(dist[i])} for i in best]}


def main():
    try:
        hello = json.loads(sys.stdin.readline() or "{}")
    except ValueError:
        hello = None
    if not isinstance(hello, dict) or hello.get("type") != "hello" or hello.get("protocol") != 1:
        log("expected a protocol 1 hello, got", json.dumps(hello)[:200])
        return 2
    suite, root = str(hello.get("suite", "")), hello.get("dataset_root")
    if not isinstance(root, str) or not os.path.isdir(root):
        log(f"hello: `dataset_root` must name a folder, got {json.dumps(root)[:200]}")
        return 2
    name = suite.split("/", 1)[-1].split("@", 1)[0]
    images = Images(root)
    t0 = time.perf_counter()
    dlib_sys = Dlib(images)
    gallery = None
    if name.startswith("identify") and "template" not in name:
        try:
            gallery = Gallery(dlib_sys, images.root)
        except (OSError, ValueError, UnicodeDecodeError) as e:
            log(f"cannot enrol the gallery of suite {suite}: {e}")
            return 2
    log(f"suite {suite}, dataset {images.root}, ready in {time.perf_counter() - t0:.2f} s")
    print(json.dumps({"type": "ready", "name": "face-recognition-dlib", "version": dlib_sys.version}), flush=True)
    for line in sys.stdin:
        try:
            msg = json.loads(line)
        except ValueError:
            log("ignoring a line that is not JSON:", line[:200])
            continue
        if not isinstance(msg, dict) or msg.get("type") == "end":
            break
        try:
            if "a" in msg or "b" in msg:
                answer = dlib_sys.verify(msg)
            elif "k" in msg:
                if gallery is None:
                    raise QueryError(f"an identify query, but suite {suite} enrolled no gallery")
                answer = gallery.identify(dlib_sys, msg)
            elif "template" in name:
                answer = dlib_sys.template(msg)
            else:
                answer = dlib_sys.detect(msg)
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
