#!/usr/bin/env python3
"""CMU PocketSphinx (the `pocketsphinx` PyPI package) as a jiebang SUT, protocol v1.

Answers the speech suites' ASR queries (docs/directions/speech-real.md):
  {"audio": "audio/u0001.wav", "language": "en", "sample_rate": 16000} -> {"transcript": "..."}
with the package's bundled US English model (continuous acoustic model, the 3-gram language
model `en-us.lm.bin` and CMUdict): open vocabulary, no grammar of the suites' sentences (that
would hand it the answer set). The transcript is lower-case, fillers (<sil>, [NOISE]) left out.

It refuses, per query, with a result carrying an `error` field and no answer fields (the
harness counts it `malformed`, a wrong answer): `language` other than "en" (it has no Mandarin
model), an intent query (`"task": "intent"`: it has no intent classifier), audio that is not
16 kHz mono 16-bit PCM WAV (it never resamples or mixes down: that would be guessing), a
truncated or unreadable WAV, a file over MAX_SECONDS, a path that leaves dataset_root.
A hello that is not protocol 1, names no folder, or names a non-speech suite ends it (exit 2).

Install (offline once installed; the model ships in the wheel):
  pip install -r scripts/suts/requirements-speech.txt
Run:
  jiebang run --suite speech/asr-en --sut 'VENV/bin/python3 scripts/suts/pocketsphinx_sut.py'
"""
import json
import os
import sys
import time
import wave
from importlib import metadata

SAMPLE_RATE = 16000
MAX_SECONDS = 60.0  # as tasks/speech/src/audio.rs; a longer file is refused, not read
MAX_WAV_BYTES = 64 << 20
MAX_TRANSCRIPT = 4096  # the protocol's bound on an answer's transcript


def log(*args):
    print("[pocketsphinx_sut]", *args, file=sys.stderr, flush=True)


class QueryError(Exception):
    """A query this system cannot answer: reported in the result's `error` field."""


class Audio:
    """Reads 16 kHz mono 16-bit PCM WAV files, only from under the dataset's inputs folder."""

    def __init__(self, root):
        self.root = os.path.realpath(root)

    def path(self, rel):
        if not isinstance(rel, str) or not rel:
            raise QueryError(f"`audio` must be a non-empty relative path, got {json.dumps(rel)[:80]}")
        full = os.path.realpath(os.path.join(self.root, rel))
        if os.path.isabs(rel) or os.path.commonpath([self.root, full]) != self.root:
            raise QueryError(f"`audio` {json.dumps(rel)[:200]} leaves dataset_root")
        return full

    def pcm(self, rel):
        """The file's 16-bit little-endian samples as bytes, and its duration in seconds."""
        full = self.path(rel)
        try:
            size = os.path.getsize(full)
            if size > MAX_WAV_BYTES:
                raise QueryError(f"`audio` {rel}: {size} bytes, more than {MAX_WAV_BYTES}")
            with wave.open(full, "rb") as w:
                rate, channels, width = w.getframerate(), w.getnchannels(), w.getsampwidth()
                if (rate, channels, width) != (SAMPLE_RATE, 1, 2):
                    raise QueryError(
                        f"`audio` {rel}: {rate} Hz, {channels} channel(s), {8 * width}-bit; this system "
                        f"takes {SAMPLE_RATE} Hz mono 16-bit PCM only (it does not resample or mix down)"
                    )
                frames = w.getnframes()
                if frames > MAX_SECONDS * SAMPLE_RATE:
                    raise QueryError(f"`audio` {rel}: {frames / SAMPLE_RATE:.1f} s, more than {MAX_SECONDS} s")
                data = w.readframes(frames)
        except QueryError:
            raise
        except FileNotFoundError:
            raise QueryError(f"`audio` {rel}: no such file") from None
        except (OSError, EOFError, wave.Error) as e:  # not RIFF/WAVE, a compressed format, cut short
            why = str(e) or "the file ends before its header does"
            raise QueryError(f"`audio` {rel}: not a readable PCM WAV file ({type(e).__name__}: {why})") from None
        if len(data) != 2 * frames:
            raise QueryError(f"`audio` {rel}: truncated: the header declares {frames} samples, the file holds {len(data) // 2}")
        if frames == 0:
            raise QueryError(f"`audio` {rel}: no samples")
        return data, frames / SAMPLE_RATE


class Sphinx:
    """PocketSphinx's decoder with its bundled US English model, open vocabulary."""

    def __init__(self):
        from pocketsphinx import Decoder

        # loglevel ERROR: its messages go to stderr, never stdout (stdout is the protocol's).
        self.decoder = Decoder(samprate=SAMPLE_RATE, loglevel="ERROR")
        model = os.path.basename(self.decoder.config["hmm"] or "")
        lm = os.path.basename(self.decoder.config["lm"] or "")
        self.version = f"pocketsphinx {metadata.version('pocketsphinx')}, bundled model {model}, language model {lm}"

    def transcribe(self, pcm):
        d = self.decoder
        # A fresh front end for every utterance: its noise and cepstral-mean estimates would
        # otherwise carry over from the previous file, making an answer depend on the order
        # of the queries (measured: the same recording transcribed differently after espeak
        # audio than before it).
        d.reinit_feat()
        d.start_utt()
        d.process_raw(pcm, full_utt=True)
        d.end_utt()
        hyp = d.hyp()
        return (hyp.hypstr if hyp is not None else "").lower()[:MAX_TRANSCRIPT]


def answer(sphinx, audio, q):
    if q.get("task", "asr") != "asr":
        raise QueryError(f"task {json.dumps(q.get('task'))[:80]}: this system only transcribes (no intent classifier)")
    lang = q.get("language")
    if lang == "zh":
        raise QueryError("language zh: this system has no Mandarin model (only pocketsphinx's bundled US English)")
    if lang != "en":
        raise QueryError(f"`language` must be \"en\" for this system, got {json.dumps(lang)[:80]}")
    rate = q.get("sample_rate", SAMPLE_RATE)
    if rate != SAMPLE_RATE:
        raise QueryError(f"`sample_rate` {json.dumps(rate)[:40]}: this system takes {SAMPLE_RATE} Hz only")
    pcm, _ = audio.pcm(q.get("audio"))
    return {"transcript": sphinx.transcribe(pcm)}


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
    if not suite.startswith("speech/"):
        log(f"hello: suite {json.dumps(suite)[:200]}: this system only transcribes speech (speech/* suites)")
        return 2
    audio = Audio(root)
    t0 = time.perf_counter()
    sphinx = Sphinx()
    log(f"suite {suite}, dataset {audio.root}, {sphinx.version}, ready in {time.perf_counter() - t0:.2f} s")
    print(json.dumps({"type": "ready", "name": "pocketsphinx-en-us", "version": sphinx.version}), flush=True)
    for line in sys.stdin:
        try:
            msg = json.loads(line)
        except ValueError:
            log("ignoring a line that is not JSON:", line[:200])
            continue
        if not isinstance(msg, dict) or msg.get("type") == "end":
            break
        try:
            result = answer(sphinx, audio, msg)
        except QueryError as e:
            log(f"query {msg.get('id')}: {e}")
            result = {"error": str(e)}
        except Exception as e:  # never crash on one query
            log(f"query {msg.get('id')}: {type(e).__name__}: {e}")
            result = {"error": f"{type(e).__name__}: {e}"}
        result.update({"type": "result", "id": msg.get("id")})
        print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
