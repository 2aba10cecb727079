#!/usr/bin/env python3
"""How far a drafted rubric can be trusted on long technical answers.

A recruiter drafts rubrics from a model answer (`viva rubric draft`) and
grades with them untouched. This script does the same for the embedded
bank: each question's reference answer is its rubric's `strong` example,
nothing else of the rubric is read, and the drafted bank grades every
held-out answer in tests/fixtures/heldout*/ (written from the question
alone, in seven kinds; see scripts/heldout-report.py). The authored bank
grades the same answers, for comparison.

usage: scripts/drafted-heldout.py [VIVA_BINARY] [--sets A-B] [--keep DIR] [--no-borrow]

--sets A-B   only held-out sets A to B (1 is tests/fixtures/heldout)
--keep DIR   write the drafted bank, the answers and both journals to DIR
--no-borrow  draft without the false claims of the bank's other questions
             on the same subject (`viva rubric draft --no-borrow`)

Prints the mean score of each kind of answer, how many questions rank
expert > partial > weak, and how many spoken answers are within 0.15 of
their expert twin, for both banks.
"""
import csv
import glob
import json
import os
import subprocess
import sys
import tempfile
import tomllib

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
args = sys.argv[1:]
binary = args.pop(0) if args and not args[0].startswith("--") else os.path.join(root, "target/release/viva")
if not os.access(binary, os.X_OK):
    sys.exit(f"error: {binary} is not an executable\n  hint: cargo build --release")


def option(name):
    """The value after `name`, or None when the option is not given."""
    if name not in args:
        return None
    i = args.index(name)
    if i + 1 >= len(args):
        sys.exit(f"error: {name} needs a value\n  hint: see the usage at the top of {__file__}")
    return args[i + 1]


low, high = 1, None
sets = option("--sets")
if sets is not None:
    a, _, b = sets.partition("-")
    if not (a.isdigit() and (b == "" or b.isdigit())):
        sys.exit(f"error: --sets takes A-B or A, set numbers (got {sets!r})\n  hint: --sets 1-56")
    low, high = int(a), int(b or a)
keep = option("--keep")
scratch = None if keep else tempfile.TemporaryDirectory()
work = keep or scratch.name
os.makedirs(work, exist_ok=True)

# The model answers: each question with its rubric's strong example.
questions = {}
for path in sorted(glob.glob(os.path.join(root, "questions", "*.toml"))):
    data = tomllib.load(open(path, "rb"))
    for q in data["question"]:
        questions[q["id"]] = (q["text"], data.get("topic", ""), q.get("level", ""))
with open(os.path.join(work, "questions.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["question_id", "question", "reference_answer", "topic", "level"])
    for path in sorted(glob.glob(os.path.join(root, "rubrics", "*.toml"))):
        qid = os.path.basename(path)[: -len(".toml")]
        strong = [e for e in tomllib.load(open(path, "rb")).get("example", []) if e["label"] == "strong"]
        if strong and qid in questions:
            text, topic, level = questions[qid]
            w.writerow([qid, text, strong[0]["text"], topic, level])
bank = os.path.join(work, "bank")
subprocess.run(
    [binary, "rubric", "draft", os.path.join(work, "questions.csv"), "--out", bank, "--force",
     *(["--no-borrow"] if "--no-borrow" in args else [])],
    check=True, capture_output=True,
)

# Every held-out answer, keyed by set and kind.
answers = os.path.join(work, "answers.csv")
with open(answers, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["candidate", "question_id", "answer"])
    for d in sorted(glob.glob(os.path.join(root, "tests/fixtures/heldout*/"))):
        name = os.path.basename(d.rstrip("/"))
        number = int(name.replace("heldout", "").lstrip("-") or 1)
        if number < low or (high is not None and number > high):
            continue
        for path in sorted(glob.glob(os.path.join(d, "*.toml"))):
            data = tomllib.load(open(path, "rb"))
            for a in data["answer"]:
                w.writerow([f"{number}:{a['kind']}", data["question"], a["text"]])

if os.path.getsize(answers) <= len("candidate,question_id,answer\r\n"):
    sys.exit(f"error: no held-out set numbered {sets}\n  hint: the sets are tests/fixtures/heldout (1) and heldout-N")

kinds = ["expert", "partial", "weak", "list", "salad", "wrong", "spoken"]


def grade(extra, journal):
    """Means per kind, ordering and spoken closeness of one bank's grading."""
    for stale in glob.glob(journal + "*"):
        os.remove(stale)
    subprocess.run(
        [binary, *extra, "batch", answers, "--backend", "keyword", "-q", "-o", journal],
        check=True, stdout=subprocess.DEVNULL,
    )
    by_question = {}
    for line in open(journal):
        r = json.loads(line)
        number, kind = r["candidate"].split(":")
        g = r.get("grading", r)
        by_question.setdefault((number, r["question_id"]), {})[kind] = g["total"]["fraction"]
    means = {k: sum(q[k] for q in by_question.values()) / len(by_question) for k in kinds}
    order = sum(1 for q in by_question.values() if q["expert"] > q["partial"] > q["weak"])
    close = sum(1 for q in by_question.values() if abs(q["spoken"] - q["expert"]) <= 0.15)
    return means, order, close, len(by_question)


authored = grade([], os.path.join(work, "authored.jsonl"))
drafted = grade(["--bank", bank], os.path.join(work, "drafted.jsonl"))
n = authored[3]
print(f"{n} questions (held-out sets {low}-{high if high is not None else 'last'})")
print(f"{'':26}{'authored':>10}{'drafted':>10}")
for k in kinds:
    print(f"  {k:24}{authored[0][k]:10.3f}{drafted[0][k]:10.3f}")
print(f"  {'expert > partial > weak':24}{authored[1]:>10}{drafted[1]:>10}")
print(f"  {'spoken within 0.15':24}{authored[2]:>10}{drafted[2]:>10}")
