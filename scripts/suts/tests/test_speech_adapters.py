#!/usr/bin/env python3
"""Protocol v1 tests of the real speech recogniser adapter (scripts/suts/pocketsphinx_sut.py),
and the golden check of issue 12: jiebang's WER equals jiwer's on the same hypotheses.

- The adapter spoken to as jiebang speaks to it (hello, queries in flight, end) on real WAV
  files: the committed corpus (tasks/speech/data/audio/en) and, where fetched, English
  recordings by people (pocketsphinx-testdata; $JIEBANG_SPEECH_RECORDINGS). Well-formed
  transcripts; bad files, wrong formats, paths leaving dataset_root, Mandarin and intent
  queries each get an `error` result, never a crash or a guess.
- Golden: the real `jiebang` binary runs `speech/asr-en@1` (8 samples) and, with the recordings,
  `speech/asr-en-recorded@1` through the adapter; the hypotheses are read back from the run's
  log, the references from the dataset's truth file, and jiwer 4.0 computes the WER with the
  normalisation the scorecard states (its signature is checked, then mirrored with jiwer's
  transforms). The scorecard's WER must equal jiwer's to 1e-12.

  python3 scripts/suts/tests/test_speech_adapters.py   (with scripts/suts/requirements-speech.txt)
Binary: $JIEBANG, else target/debug/jiebang (scripts/test.sh builds it first).
Without the packages, the binary or the recordings the tests are skipped, unless
JIEBANG_REQUIRE_SPEECH=1 (CI), which makes them fail. Figures measured go to stderr.
"""
import glob
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest
import wave

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
ADAPTER = os.path.join(REPO, "scripts", "suts", "pocketsphinx_sut.py")
CORPUS = os.path.join(REPO, "tasks", "speech", "data")
IMPORT = os.path.join(REPO, "scripts", "import-speech.sh")
REQUIRED = os.environ.get("JIEBANG_REQUIRE_SPEECH") == "1"
TOLERANCE = 1e-12

sys.path.insert(0, HERE)
from test_face_adapters import Adapter, need  # noqa: E402  (the protocol driver they share)

# The scorer's normalisation (jiebang_metrics::speech, default Normalization, word tokens), as
# each error-rate metric's `convention` states it; the golden check refuses to compare under any
# other.
SIGNATURE_EN = "norm:fullwidth+lower+punct|tok:word"


def skip_or_fail(test, why):
    if REQUIRED:
        test.fail(f"{why} (JIEBANG_REQUIRE_SPEECH=1)")
    test.skipTest(why)


def jiebang_binary():
    if os.environ.get("JIEBANG"):
        return os.environ["JIEBANG"]
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(REPO, "target")
    return os.path.join(target, "debug", "jiebang")


def recordings_dir():
    d = os.environ.get("JIEBANG_SPEECH_RECORDINGS")
    return d if d and os.path.isdir(d) else None


def jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write_wav(path, samples, rate=16000, channels=1, width=2):
    with wave.open(path, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        if width == 2:
            w.writeframes(struct.pack(f"<{len(samples) * channels}h", *[s for s in samples for _ in range(channels)]))
        else:  # 8-bit PCM is unsigned
            w.writeframes(bytes(((s >> 8) + 128) & 0xFF for s in samples for _ in range(channels)))


def read_samples(path):
    with wave.open(path, "rb") as w:
        data = w.readframes(w.getnframes())
    return list(struct.unpack(f"<{len(data) // 2}h", data))


def jiwer_transform():
    """The scorer's normalisation with jiwer's own transforms: full-width forms to half-width
    (U+FF01..U+FF5E, U+3000), lower case, Unicode P* removed, white space collapsed, words."""
    import jiwer

    fullwidth = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
    fullwidth["\u3000"] = " "
    return jiwer.Compose([
        _Map(fullwidth),
        jiwer.ToLowerCase(),
        jiwer.RemovePunctuation(),
        jiwer.RemoveMultipleSpaces(),
        jiwer.Strip(),
        jiwer.ReduceToListOfListOfWords(),
    ])


class _Map:
    """A character-for-character mapping applied to a string or a list of strings."""

    def __init__(self, table):
        self.table = str.maketrans(table)

    def __call__(self, text):
        return text.translate(self.table) if isinstance(text, str) else [t.translate(self.table) for t in text]


class Run:
    """One `jiebang run` of the adapter: its scorecard, its log's hypotheses, its dataset's truth."""

    def __init__(self, suite, out, data=None, samples=None):
        cmd = [jiebang_binary(), "run", "--suite", suite, "--sut", f"{sys.executable} {ADAPTER}", "--out", out, "-q"]
        cmd += ["--data", data] if data else []
        cmd += ["--samples", str(samples)] if samples else []
        self.proc = subprocess.run(cmd, cwd=out, capture_output=True, text=True, timeout=900)
        if self.proc.returncode != 0:
            raise AssertionError(f"{' '.join(cmd)} exited {self.proc.returncode}: {self.proc.stderr[-3000:]}")
        (self.scorecard_path,) = glob.glob(os.path.join(out, "*.scorecard.json"))
        (log,) = glob.glob(os.path.join(out, "*.log.jsonl"))
        with open(self.scorecard_path, encoding="utf-8") as f:
            self.scorecard = json.load(f)
        records = jsonl(log)
        header = records[0]
        assert header["type"] == "header", header
        self.root = header["dataset_root"]
        self.answers = {}  # sample -> the log's record (the last one: a resumed run redoes some)
        for r in records:
            if r.get("type") == "query":
                self.answers[r["sample"]] = r
        self.truth = {t["id"]: t for t in jsonl(os.path.join(self.root, "truth", "transcripts.jsonl"))}

    def pairs(self, scenario=None):
        """(reference, hypothesis) per sample run; a failed query's hypothesis is empty, as the
        scorer counts it (wrong, never right)."""
        out = []
        for sample, r in sorted(self.answers.items()):
            t = self.truth[sample]
            if scenario is None or t.get("scenario") == scenario:
                answer = r.get("answer") if r.get("outcome") == "answer" else None
                out.append((t["text"], (answer or {}).get("transcript", "")))
        return out

    def metric(self, name):
        m = self.scorecard["metrics"].get(name)
        assert m is not None, f"no metric {name} in {sorted(self.scorecard['metrics'])}"
        return m


class SpeechAdapter(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="jiebang-speech-")
        cls.inputs = os.path.join(cls.tmp.name, "inputs")
        audio = os.path.join(cls.inputs, "audio")
        os.makedirs(audio)
        # Real WAV files: the committed corpus' English sentences (espeak-ng voice A), and the
        # recordings by people where fetched.
        cls.wavs = sorted(glob.glob(os.path.join(CORPUS, "audio", "en", "*.a.wav")))[:4]
        for i, src in enumerate(cls.wavs):
            shutil.copy(src, os.path.join(audio, f"c{i}.wav"))
        cls.recorded = []
        rec = recordings_dir()
        if rec:
            for i, src in enumerate(sorted(glob.glob(os.path.join(rec, "**", "*.wav"), recursive=True))[:3]):
                shutil.copy(src, os.path.join(audio, f"r{i}.wav"))
                cls.recorded.append(f"audio/r{i}.wav")
        # Bad files beside the good, made from a good file's samples.
        if cls.wavs:
            samples = read_samples(cls.wavs[0])
            write_wav(os.path.join(audio, "rate22050.wav"), samples, rate=22050)
            write_wav(os.path.join(audio, "stereo.wav"), samples, channels=2)
            write_wav(os.path.join(audio, "pcm8.wav"), samples, width=1)
            write_wav(os.path.join(audio, "empty.wav"), [])
            with open(cls.wavs[0], "rb") as f:
                data = f.read()
            with open(os.path.join(audio, "truncated.wav"), "wb") as f:
                f.write(data[: len(data) // 2])
            with open(os.path.join(audio, "notes.wav"), "w") as f:
                f.write("not a WAV file\n")
            shutil.copy(cls.wavs[0], os.path.join(cls.tmp.name, "secret.wav"))  # outside inputs/

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def start(self, suite="speech/asr-en@1"):
        if not need("pocketsphinx"):
            skip_or_fail(self, "`pocketsphinx` is not installed (pip install -r scripts/suts/requirements-speech.txt)")
        if not self.wavs:
            skip_or_fail(self, f"no committed English corpus under {CORPUS}/audio/en")
        sut = Adapter(ADAPTER, suite, self.inputs)
        ready = sut.line()
        self.assertEqual(ready and ready.get("type"), "ready", f"{ready}; stderr: {''.join(sut.stderr)[-2000:]}")
        self.assertEqual(ready["name"], "pocketsphinx-en-us")
        self.assertIn("pocketsphinx 5.1.1", ready["version"])
        return sut

    @staticmethod
    def query(rel, language="en", **extra):
        return {"audio": rel, "language": language, "sample_rate": 16000, **extra}

    def test_transcribes_real_wav_files(self):
        sut = self.start()
        rels = [f"audio/c{i}.wav" for i in range(len(self.wavs))] + self.recorded
        answers, secs = sut.ask([self.query(r) for r in rels])
        self.assertEqual(sut.end(), 0, "".join(sut.stderr)[-2000:])
        for i, rel in enumerate(rels):
            self.assertEqual(set(answers[i]), {"transcript"}, f"{rel}: {answers[i]}")
            t = answers[i]["transcript"]
            self.assertIsInstance(t, str)
            self.assertEqual(t, t.lower())
            self.assertNotIn("<", t)  # no fillers (<s>, <sil>)
            print(f"\npocketsphinx {rel}: {t!r}", file=sys.stderr, end="")
        # A recording by a person is heard: the transcript is not empty.
        for i in range(len(self.wavs), len(rels)):
            self.assertTrue(answers[i]["transcript"].strip(), rels[i])
        print(f"\npocketsphinx: {secs:.2f} s for {len(rels)} files", file=sys.stderr)

    def test_answers_do_not_depend_on_the_order_of_the_queries(self):
        sut = self.start()
        rels = [f"audio/c{i}.wav" for i in range(len(self.wavs))] + self.recorded
        order = rels + rels[::-1]
        answers, _ = sut.ask([self.query(r) for r in order])
        self.assertEqual(sut.end(), 0)
        for i, rel in enumerate(rels):
            self.assertEqual(answers[i], answers[len(order) - 1 - i], rel)

    def test_answers_bad_input_with_errors(self):
        sut = self.start()
        bad = {
            "audio/rate22050.wav": "16000 Hz mono 16-bit",
            "audio/stereo.wav": "16000 Hz mono 16-bit",
            "audio/pcm8.wav": "16000 Hz mono 16-bit",
            "audio/empty.wav": "no samples",
            "audio/truncated.wav": "truncated",
            "audio/notes.wav": "not a readable PCM WAV",
            "audio/missing.wav": "no such file",
            "../secret.wav": "leaves dataset_root",
            os.path.join(self.tmp.name, "secret.wav"): "leaves dataset_root",
            7: "non-empty relative path",
        }
        queries = [self.query(rel) for rel in bad] + [self.query("audio/c0.wav", sample_rate=8000)]
        answers, _ = sut.ask(queries)
        self.assertEqual(sut.end(), 0, "".join(sut.stderr)[-2000:])
        for i, (rel, why) in enumerate(bad.items()):
            self.assertEqual(set(answers[i]), {"error"}, f"{rel}: {answers[i]}")
            self.assertIn(why, answers[i]["error"], rel)
        self.assertIn("16000 Hz only", answers[len(bad)]["error"])

    def test_refuses_mandarin_and_intent_queries(self):
        sut = self.start("speech/asr-zh@1")
        answers, _ = sut.ask([
            self.query("audio/c0.wav", language="zh"),
            self.query("audio/c0.wav", language="zh", task="intent"),
            self.query("audio/c0.wav", language="fr"),
            self.query("audio/c0.wav"),
        ])
        self.assertEqual(sut.end(), 0)
        self.assertEqual(set(answers[0]), {"error"})
        self.assertIn("no Mandarin model", answers[0]["error"])
        self.assertIn("no intent classifier", answers[1]["error"])
        self.assertIn("`language`", answers[2]["error"])
        self.assertEqual(set(answers[3]), {"transcript"})

    def test_refuses_a_bad_hello(self):
        # Refused before pocketsphinx is imported: runs without the package too.
        hellos = [
            '{"type":"hello","protocol":2,"suite":"speech/asr-en@1","dataset_root":"/"}',
            '{"type":"hello","protocol":1,"suite":"speech/asr-en@1","dataset_root":"/nonexistent"}',
            '{"type":"hello","protocol":1,"suite":"video-identity/detect@1","dataset_root":"/"}',
            "not json",
        ]
        for hello in hellos:
            out = subprocess.run([sys.executable, ADAPTER], input=hello + "\n", capture_output=True, text=True, timeout=60)
            self.assertEqual((out.returncode, out.stdout), (2, ""), f"{hello}: {out.stderr}")
            self.assertIn("hello", out.stderr)


class GoldenWer(unittest.TestCase):
    """The scorecard's WER is jiwer's on the hypotheses the log holds (issue 12's acceptance)."""

    def setUp(self):
        for module in ("pocketsphinx", "jiwer"):
            if not need(module):
                skip_or_fail(self, f"`{module}` is not installed (pip install -r scripts/suts/requirements-speech.txt)")
        if not os.access(jiebang_binary(), os.X_OK):
            skip_or_fail(self, f"no jiebang binary at {jiebang_binary()} (cargo build, or set JIEBANG)")
        self.tmp = tempfile.TemporaryDirectory(prefix="jiebang-speech-golden-")

    def tearDown(self):
        self.tmp.cleanup()

    def check(self, run, family, label):
        """The family's pooled WER, each scenario's accuracy (1 - WER), their mean and the
        sentence accuracy, recomputed with jiwer from the log and the truth."""
        import jiwer

        tr = jiwer_transform()

        def wer(pairs):
            return jiwer.wer([p[0] for p in pairs], [p[1] for p in pairs], reference_transform=tr, hypothesis_transform=tr)

        pairs = run.pairs()
        self.assertTrue(pairs)
        pooled = run.metric(f"{family}.wer")
        self.assertTrue(
            (pooled.get("convention") or "").startswith(SIGNATURE_EN),
            f"{family}.wer states the convention {pooled.get('convention')!r}, not the one mirrored here ({SIGNATURE_EN})",
        )
        expected = wer(pairs)
        print(f"\n{label}: {len(pairs)} utterances, scorecard WER {pooled['value']!r}, jiwer {expected!r}", file=sys.stderr)
        self.assertLessEqual(abs(pooled["value"] - expected), TOLERANCE)
        scenarios = sorted({run.truth[s].get("scenario") for s in run.answers})
        accuracies = []
        for scenario in scenarios:
            m = run.metric(f"{family}.accuracy.{scenario}")
            e = 1.0 - wer(run.pairs(scenario))
            print(f"  {scenario}: scorecard accuracy {m['value']!r}, 1 - jiwer WER {e!r}", file=sys.stderr)
            self.assertLessEqual(abs(m["value"] - e), TOLERANCE, scenario)
            accuracies.append(e)
        mean = run.metric(f"{family}.accuracy")
        self.assertLessEqual(abs(mean["value"] - sum(accuracies) / len(accuracies)), TOLERANCE)
        exact = sum(tr(r) == tr(h) for r, h in pairs) / len(pairs)
        self.assertLessEqual(abs(run.metric(f"{family}.sentence_accuracy")["value"] - exact), TOLERANCE)
        return expected

    def test_wer_on_asr_en_equals_jiwer(self):
        run = Run("speech/asr-en@1", self.tmp.name, samples=8)
        self.assertEqual(len(run.answers), 8)
        self.check(run, "asr_en", "asr-en@1 (8 samples)")

    def test_wer_on_the_recordings_equals_jiwer(self):
        rec = recordings_dir()
        if rec is None:
            skip_or_fail(self, "no recordings: set JIEBANG_SPEECH_RECORDINGS (scripts/fetch-speech-recordings.sh)")
        data = os.path.join(self.tmp.name, "recorded")
        out = subprocess.run(
            [IMPORT, "kaldi", rec, "en", data, "20201231"], capture_output=True, text=True, timeout=900,
            env={**os.environ, "JIEBANG": jiebang_binary()},
        )
        self.assertEqual(out.returncode, 0, f"{IMPORT} kaldi {rec} en {data}: {out.stderr[-3000:]}")
        run = Run("speech/asr-en-recorded@1", self.tmp.name, data=data)
        with open(os.path.join(rec, "text"), encoding="utf-8") as f:
            self.assertEqual(len(run.answers), sum(1 for line in f if line.strip()), "every recording run")
        self.check(run, "asr_en_recorded", "asr-en-recorded@1")


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    if result.skipped:
        print(
            f"\n*** SKIPPED {len(result.skipped)} speech adapter test(s): "
            + "; ".join(sorted({why for _, why in result.skipped}))
            + ". Install scripts/suts/requirements-speech.txt to run them;"
            " JIEBANG_REQUIRE_SPEECH=1 (CI) makes this a failure. ***\n",
            file=sys.stderr,
        )
    sys.exit(0 if result.wasSuccessful() else 1)
