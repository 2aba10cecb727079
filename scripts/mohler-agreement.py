#!/usr/bin/env python3
"""Agreement of the keyword grader with human graders on the Mohler short-answer
set (../shared/eval/mohler/answers.csv), for checking that a grader change does
not lower it.

It builds a plain bank from the reference answers alone (one key point per
reference sentence, one group per content word, half credit from half the
groups), grades every student answer with `viva grade --backend keyword`, and
prints Pearson's r against the average human score. The bank is deliberately
naive and fixed, so figures from two builds of viva are comparable; it is not
how a recruiter should draft rubrics.

usage: scripts/mohler-agreement.py [VIVA_BINARY ...]
Skips with a message when the data set is not beside the repo.
"""
import csv
import json
import math
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
data = os.path.join(root, "..", "shared", "eval", "mohler", "answers.csv")
if not os.path.exists(data):
    print(f"skipped: {os.path.normpath(data)} not found")
    sys.exit(0)
binaries = sys.argv[1:] or [os.path.join(root, "target/release/viva")]

STOP = set("""a an the this that these those it its is are was were be been being am do does did
has have had will would shall should can could may might must of to in on at by for from with as
into about than then so and or if also just very which who what when where how why such some not
no you your we our they their there here i me my he she him her them one but however although
though whereas yet instead whose whom right okay well yeah yes oh really actually basically simply
quite""".split())

rows = list(csv.DictReader(open(data, newline="", encoding="utf-8")))
questions = {}
for r in rows:
    questions.setdefault(r["question_id"], (r["question"], r["reference_answer"]))

bank = tempfile.mkdtemp(prefix="mohler-bank-")
os.makedirs(os.path.join(bank, "questions"))
os.makedirs(os.path.join(bank, "rubrics"))
# No lexicon: the same plain matching for every build compared.
open(os.path.join(bank, "lexicon.toml"), "w").write("same = []\n")


def qid(q):
    return "q-" + q.replace(".", "-")


def toml_str(s):
    return json.dumps(s, ensure_ascii=False)


with open(os.path.join(bank, "questions", "mohler.toml"), "w") as f:
    f.write('topic = "mohler"\n')
    for q, (text, _) in questions.items():
        f.write(f'\n[[question]]\nid = "{qid(q)}"\nlevel = "junior"\ntext = {toml_str(text)}\n')
        f.write(f'sources = [{{ seed = "mohler", text = {toml_str(text)} }}]\n')
for q, (text, ref) in questions.items():
    sentences = [s for s in re.split(r"(?<=[.;!?])\s+|\n+", ref) if s.strip()]
    points = []
    for s in sentences:
        s = s.strip()
        words = []
        for w in re.findall(r"[A-Za-z][A-Za-z0-9+#'-]*", s.lower()):
            if w not in STOP and len(w) > 2 and w not in words:
                words.append(w)
        if words:
            points.append((s, words[:6]))
    with open(os.path.join(bank, "rubrics", qid(q) + ".toml"), "w") as f:
        f.write(f'question = "{qid(q)}"\n')
        for i, (sentence, words) in enumerate(points or [("answer", ["answer"])]):
            groups = ", ".join(f"[{toml_str(w)}]" for w in words)
            f.write(f'\n[[point]]\nid = "p{i + 1}"\nweight = 1\ntext = {toml_str(sentence)}\n')
            f.write(f"groups = [{groups}]\n")
            if len(words) >= 3:
                f.write(f"half = {max(1, len(words) // 2)}\n")


def pearson(x, y):
    n = len(x)
    mx, my = sum(x) / n, sum(y) / n
    sx = math.sqrt(sum((a - mx) ** 2 for a in x))
    sy = math.sqrt(sum((b - my) ** 2 for b in y))
    return sum((a - mx) * (b - my) for a, b in zip(x, y)) / (sx * sy)


for binary in binaries:
    def grade(r):
        out = subprocess.run(
            [binary, "grade", qid(r["question_id"]), "-", "--backend", "keyword",
             "--format", "json", "--bank", bank],
            input=r["answer"], capture_output=True, text=True,
        )
        if out.returncode != 0:
            return None
        return json.loads(out.stdout)["total"]["fraction"]

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        got = list(pool.map(grade, rows))
    pairs = [(g, float(r["score_avg"])) for g, r in zip(got, rows) if g is not None]
    failed = len(rows) - len(pairs)
    r = pearson([p[0] for p in pairs], [p[1] for p in pairs])
    print(f"{binary}: Pearson r = {r:.3f} over {len(pairs)} answers ({failed} not graded)")
