#!/usr/bin/env python3
"""Grades a held-out set's spoken answers the way a candidate's recording
would be graded: each spoken text is voiced with espeak-ng (en-us, 150
words a minute), sent through a real OpenAI-compatible transcription
server by `viva grade ID answer.wav`, and graded by the keyword grader.
Prints, per question, the expert answer's score, the spoken text's score
as typed, and the recording's score, with the transcript's word error
rate and the quality gate's verdict; then how many recordings land within
0.15 of their expert answer, against the typed spoken texts.

usage: scripts/heldout-stt.py [VIVA_BINARY] [--set NAME] [--stt-url URL]

The transcription server defaults to http://127.0.0.1:8098/v1; without
--stt-url, ../shared/tools/stt-server/start.sh starts the shared local
faster-whisper server there when nothing answers (and stops it at the
end). Skips (exit 0) without espeak-ng or a server to start. Not part of
`cargo test`: a 40-question set takes about five minutes on two cores.
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import urllib.request

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
args = sys.argv[1:]
binary = args.pop(0) if args and not args[0].startswith("--") else os.path.join(root, "target/release/viva")


def option(name, default):
    if name in args:
        return args[args.index(name) + 1]
    return default


name = option("--set", "heldout")
url = option("--stt-url", None)
server = os.path.join(root, "..", "shared", "tools", "stt-server")


def skip(why):
    print(f"skipped heldout-stt: {why}")
    sys.exit(0)


if not shutil.which("espeak-ng"):
    skip("espeak-ng is not installed (apt-get install espeak-ng)")


def healthy(base):
    try:
        with urllib.request.urlopen(base.rsplit("/v1", 1)[0] + "/health", timeout=2):
            return True
    except OSError:
        return False


started = False
if url is None:
    url = "http://127.0.0.1:8098/v1"
    if not healthy(url):
        if not os.path.exists(os.path.join(server, "start.sh")):
            skip(f"no transcription server at {url} and no {os.path.realpath(server)}")
        out = subprocess.run([os.path.join(server, "start.sh"), "8098"], capture_output=True, text=True, check=True)
        url = out.stdout.strip().splitlines()[-1]
        started = True


def words(text):
    return re.sub(r"[^a-z0-9' ]+", " ", text.lower()).split()


def wer(ref, hyp):
    """Word error rate of hyp against ref (Levenshtein over words)."""
    r, h = words(ref), words(hyp)
    prev = list(range(len(h) + 1))
    for i, rw in enumerate(r, 1):
        cur = [i] + [0] * len(h)
        for j, hw in enumerate(h, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (rw != hw))
        prev = cur
    return prev[-1] / max(len(r), 1)


env = dict(os.environ, VIVA_RUBRIC_CACHE="off")
for key in ("OPENAI_BASE_URL", "VIVA_BANK", "VIVA_CONFIG"):
    env.pop(key, None)
env.setdefault("OPENAI_API_KEY", "none")


def grade(qid, path):
    out = subprocess.run(
        [binary, "grade", qid, path, "--backend", "keyword", "--format", "json", "--stt-url", url],
        capture_output=True, text=True, env=env,
    )
    if not out.stdout.strip():
        raise SystemExit(f"viva grade {qid} {path} failed: {out.stderr.strip()}")
    return json.loads(out.stdout)


rows = []
work = tempfile.mkdtemp()
try:
    for path in sorted(glob.glob(os.path.join(root, "tests", "fixtures", name, "*.toml"))):
        with open(path, "rb") as f:
            held = tomllib.load(f)
        qid = held["question"]
        text = {a["kind"]: a["text"] for a in held["answer"]}
        scores = {}
        for kind in ("expert", "spoken"):
            typed = os.path.join(work, f"{qid}-{kind}.txt")
            with open(typed, "w") as f:
                f.write(text[kind])
            scores[kind] = grade(qid, typed)["total"]["fraction"]
        wav = os.path.join(work, f"{qid}.wav")
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", wav, text["spoken"]], check=True)
        heard = grade(qid, wav)
        spoken = heard.get("spoken") or {}
        transcript = (spoken.get("transcript") or {}).get("text", "")
        poor = any(f["kind"] == "poor-transcript" for f in heard["flags"])
        rows.append((qid, scores["expert"], scores["spoken"], heard["total"]["fraction"], wer(text["spoken"], transcript), poor))
        print(f"{qid:40} expert {rows[-1][1]:.2f}  typed {rows[-1][2]:.2f}  audio {rows[-1][3]:.2f}  WER {rows[-1][4]:.0%}{'  POOR' if poor else ''}", flush=True)
finally:
    shutil.rmtree(work, ignore_errors=True)
    if started:
        subprocess.run([os.path.join(server, "stop.sh"), "8098"], capture_output=True)

n = len(rows)
if n == 0:
    skip(f"no answers in tests/fixtures/{name}")
mean = lambda i: sum(r[i] for r in rows) / n
close = lambda i, sel=rows: sum(abs(r[i] - r[1]) <= 0.15 for r in sel)
good = [r for r in rows if not r[5]]
print(f"\n{n} questions ({name}), transcribed by {url}")
print(f"  mean: expert {mean(1):.3f}, spoken typed {mean(2):.3f}, spoken recorded {mean(3):.3f}; median WER {sorted(r[4] for r in rows)[n // 2]:.0%}")
print(f"  within 0.15 of expert: typed {close(2)}/{n}, recorded {close(3)}/{n}")
print(f"  recordings the quality gate passed: {len(good)}/{n}, of which within 0.15: {close(3, good)}/{len(good)}")
