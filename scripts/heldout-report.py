#!/usr/bin/env python3
"""Grades the held-out answers in tests/fixtures/heldout/ and prints the mean
score per kind of answer, plus the ordering and spoken-answer checks.

The answers were written from the question alone, without the rubric, in
seven kinds: expert, partial, weak, list (a bare list of terms), salad (the
right terms in wrong sentences), wrong (the right vocabulary stating the
opposite) and spoken (the expert answer as a transcript).

usage: scripts/heldout-report.py [VIVA_BINARY] [--bank DIR] [--set NAME] [--per-question] [--as-spoken]

--set NAME reads tests/fixtures/NAME instead: `heldout` (the default) was
written first and guided grader work; `heldout-2`, on 40 other questions,
was written later the same way; `heldout-3`, on 40 more, after that;
`heldout-4`, on 40 of the questions in none of the others, after that,
`heldout-5`, on the other 61 questions, after that, `heldout-6`, new
answers to 40 questions drawn at random from the bank, after that,
`heldout-7`, new answers to 40 other questions drawn at random, after that,
`heldout-8`, new answers to 40 questions in neither of the last two,
drawn at random, after that, `heldout-9`, new answers to 40 questions in
none of the last three, drawn at random, after that, `heldout-10`, new
answers to 40 questions in none of the last four, drawn at random, after
that, `heldout-11`, new answers to 40 questions in none of sets 7-10,
drawn at random (seed 20261203), after that, `heldout-12`, new answers
to the 27 comparison questions whose rubrics then named their sides (half
the wrong answers' claims swap the things compared), after that,
`heldout-13`, new answers to 40 questions drawn at random from the whole
bank (seed 20261204), after that, `heldout-14`, new answers to 40
questions not in set 13, drawn at random (seed 20261205), after that,
`heldout-15` and `heldout-16`, new answers to 40 questions each not
in sets 13 or 14 (the sixteenth's not in the fifteenth either), drawn at
random (seeds 20261206 and 20261207), whose salads were asked to scramble
the right terms rather than reverse them, after that, `heldout-17`,
new answers to 40 questions in none of sets 13-16, drawn at random (seed
20261208), after that, `heldout-18`, new answers to the 29 questions
in none of sets 13-17 and 11 others drawn at random (seed 20261209),
after that, `heldout-19`, new answers to 40 questions drawn at random
from the whole bank (seed 20261210), `heldout-20`, to 40 drawn at
random from the questions in the fewest sets (seed 20261205), and
`heldout-21`, to 40 drawn the same way (seed 20261206), `heldout-22`
(seed 20261207), `heldout-23` (seed 20261208) and `heldout-24` to
`heldout-66` the same way, last. Each had not been graded before the
figures first reported for it.

--as-spoken grades every answer the way a transcript without punctuation
would write it (lowercase, punctuation dropped), to see how the grader's
defences hold up in speech: the spoken kind only covers expert answers.
"""
import glob
import json
import os
import re
import subprocess
import sys
import tomllib

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
args = sys.argv[1:]
binary = args.pop(0) if args and not args[0].startswith("--") else os.path.join(root, "target/release/viva")
extra = []
per_question = "--per-question" in args
as_spoken = "--as-spoken" in args


def spoken(text):
    """The text as an unpunctuated transcript would write it."""
    text = re.sub(r"[.,;:!?()\[\]\"`*\u2014\u2013]+", " ", text.lower())
    return re.sub(r"\s+", " ", text).strip()


if "--bank" in args:
    i = args.index("--bank")
    extra = ["--bank", args[i + 1]]
fixture_set = args[args.index("--set") + 1] if "--set" in args else "heldout"

kinds = ["expert", "partial", "weak", "list", "salad", "wrong", "spoken"]
scores = {k: [] for k in kinds}
rows = []
paths = sorted(glob.glob(os.path.join(root, "tests/fixtures", fixture_set, "*.toml")))
if not paths:
    sets = sorted(d for d in os.listdir(os.path.join(root, "tests/fixtures")) if d.startswith("heldout"))
    sys.exit(f"error: no answers in tests/fixtures/{fixture_set}/\n  hint: --set takes one of {', '.join(sets)}")
for path in paths:
    data = tomllib.load(open(path, "rb"))
    qid = data["question"]
    got = {}
    for a in data["answer"]:
        out = subprocess.run(
            [binary, "grade", qid, "-", "--backend", "keyword", "--format", "json", *extra],
            input=spoken(a["text"]) if as_spoken else a["text"], capture_output=True, text=True,
        )
        if out.returncode not in (0,):
            sys.exit(f"{qid} {a['kind']}: exit {out.returncode}: {out.stderr.strip()}")
        got[a["kind"]] = json.loads(out.stdout)["total"]["fraction"]
    for k, v in got.items():
        scores[k].append(v)
    rows.append((qid, got))

n = len(rows)
print(f"{n} questions")
for k in kinds:
    v = scores[k]
    print(f"  {k:8} mean {sum(v) / len(v):.3f}")
order = sum(1 for _, g in rows if g["expert"] > g["partial"] > g["weak"])
ep = sum(1 for _, g in rows if g["expert"] > g["partial"])
pw = sum(1 for _, g in rows if g["partial"] > g["weak"])
spoken = sum(1 for _, g in rows if abs(g["spoken"] - g["expert"]) <= 0.15)
print(f"  expert > partial > weak on {order}/{n} (expert > partial {ep}, partial > weak {pw})")
print(f"  spoken within 0.15 of expert on {spoken}/{n}")
if per_question:
    print()
    print("question".ljust(36) + "".join(k[:6].rjust(8) for k in kinds))
    for qid, g in rows:
        print(qid.ljust(36) + "".join(f"{g[k]:8.2f}" for k in kinds))
