#!/usr/bin/env bash
# Agreement of viva with human graders on the Mohler short-answer set, with
# rubrics drafted by `viva rubric draft` from each question and its reference
# answer alone (nothing hand-edited): every `viva agree` figure, then Pearson r
# within each assignment, beside the two humans' agreement there.
#
#   scripts/mohler-draft.sh [VIVA_BINARY]        # drafts into a temporary bank
#   BANK=examples/banks/mohler scripts/mohler-draft.sh   # regenerates the example bank
#
# Needs ../shared/eval/mohler/answers.csv beside the repo; skips without it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
data="$root/../shared/eval/mohler/answers.csv"
viva="${1:-$root/target/release/viva}"
if [[ ! -f "$data" ]]; then
    echo "skipped: $(realpath -m "$data") not found"
    exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
bank="${BANK:-$work/bank}"

# One row per question for drafting; one row per answer for grading, with
# both graders' scores for `viva agree`.
python3 - "$data" "$work" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
out = sys.argv[2]
with open(f"{out}/questions.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["question_id", "question", "reference_answer", "topic", "level"])
    seen = set()
    for r in rows:
        if r["question_id"] not in seen:
            seen.add(r["question_id"])
            w.writerow([r["question_id"], r["question"], r["reference_answer"], "data-structures", "junior"])
with open(f"{out}/answers.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["candidate", "question_id", "answer", "grader1", "grader2"])
    for r in rows:
        w.writerow([r["answer_id"], r["question_id"], r["answer"], r["score_grader1"], r["score_grader2"]])
PY

"$viva" rubric draft "$work/questions.csv" --out "$bank" --force >&2
"$viva" batch "$work/answers.csv" --bank "$bank" --backend keyword -q -o "$work/journal.jsonl" >/dev/null
"$viva" agree "$work/journal.jsonl" "$work/answers.csv" --scale 0-5 \
    --human grader1 --human grader2 --format "${FORMAT:-text}"

# Pearson r within each assignment (a few questions on one subject each):
# what a recruiter grading a handful of questions of their own can expect
# is a spread around the pooled figure, not the figure itself.
[[ "${FORMAT:-text}" == text ]] || exit 0
python3 - "$data" "$work/journal.jsonl" <<'PY'
import collections, csv, json, statistics, sys
rows = {r["answer_id"]: r for r in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8"))}
pairs = collections.defaultdict(list)
humans = collections.defaultdict(list)
for row in rows.values():
    humans[row["assignment"]].append((float(row["score_grader1"]), float(row["score_grader2"])))
for line in open(sys.argv[2]):
    record = json.loads(line)
    if record.get("status") != "graded":
        continue
    row = rows[record["candidate"]]
    pairs[row["assignment"]].append((record["total"]["fraction"], float(row["score_avg"])))
print("\nPearson r against the human mean, by assignment (and between the two humans):")
for assignment in sorted(pairs, key=int):
    viva, human = zip(*pairs[assignment])
    one, two = zip(*humans[assignment])
    questions = len({rows[c]["question_id"] for c in rows if rows[c]["assignment"] == assignment})
    print(f"  assignment {assignment:>2}: r {statistics.correlation(viva, human):.3f}"
          f"  (humans {statistics.correlation(one, two):.3f}; {questions} questions, {len(viva)} answers)")
PY
