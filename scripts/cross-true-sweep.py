#!/usr/bin/env python3
"""Runs every rubric's contradictions and misconceptions over every true
sentence in tests/fixtures/true-statements/, not only the sentences written
for that rubric, and lists the rules that fire.

    python3 scripts/cross-true-sweep.py target/release/viva [--bank DIR] [--summary]
        [--rubric ID ...]

`tests/statements.rs` checks each rubric against its own true sentences. A
rule that is too generic ("sets pythonpath", which meets "a venv over setting
PYTHONPATH") shows up here too, on true sentences written for neighbouring
questions; every hit is a true sentence that would lose credit if a candidate
wrote it in an answer to that rubric's question, unless in that context it
states the false claim (a pronoun that would refer to this question's
subject). The known false alarms of a rubric's own file
(`known-false-alarms.tsv`) are left out.

`--rubric` sweeps only the rubrics named (a rubric author checking an edit
in seconds rather than the whole bank in minutes).

Prints one line per hit: rubric, rule, sentence; with --summary, only the
counts (hits, distinct rules, distinct sentences, rubrics).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TRUE = os.path.join(ROOT, "tests", "fixtures", "true-statements")
# `viva rubric fires` reads an answer file of at most 256 KiB.
CHUNK_LINES = 2000


def sentences():
    seen = set()
    for name in sorted(os.listdir(TRUE)):
        if not name.endswith(".txt"):
            continue
        for line in open(os.path.join(TRUE, name), encoding="utf-8"):
            s = line.strip()
            if s and s not in seen:
                seen.add(s)
                yield s


def known_false_alarms():
    path = os.path.join(TRUE, "known-false-alarms.tsv")
    known = set()
    for line in open(path, encoding="utf-8"):
        if line.strip() and not line.startswith("#"):
            f = line.rstrip("\n").split("\t")
            known.add((f[0], f[1]))
    return known


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("viva")
    ap.add_argument("--bank", default=None)
    ap.add_argument("--summary", action="store_true")
    ap.add_argument("--rubric", action="append", default=[], metavar="ID")
    args = ap.parse_args()
    bank = ["--bank", args.bank] if args.bank else []
    env = {**os.environ, "VIVA_RUBRIC_CACHE": "off"}
    listing = subprocess.run(
        [args.viva, *bank, "questions", "--format", "json"],
        capture_output=True, text=True, check=True, env=env,
    ).stdout
    ids = [q["id"] for q in json.loads(listing)]
    if args.rubric:
        unknown = sorted(set(args.rubric) - set(ids))
        if unknown:
            sys.exit(f"error: no such rubric in the bank: {', '.join(unknown)}")
        ids = [q for q in ids if q in args.rubric]
    lines = list(sentences())
    known = known_false_alarms()
    hits = []
    with tempfile.TemporaryDirectory() as tmp:
        chunks = []
        for i in range(0, len(lines), CHUNK_LINES):
            path = os.path.join(tmp, f"chunk{i}.txt")
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join(lines[i:i + CHUNK_LINES]) + "\n")
            chunks.append((i, path))
        for qid in ids:
            for offset, path in chunks:
                out = subprocess.run(
                    [args.viva, *bank, "rubric", "fires", qid, path],
                    capture_output=True, text=True, env=env,
                ).stdout.splitlines()
                sentence = None
                for row in out:
                    if row.startswith("line "):
                        n = int(row.split(":", 1)[0].split()[1])
                        sentence = lines[offset + n - 1]
                    elif row.startswith("  sets off ") and sentence is not None:
                        if (qid, sentence) not in known:
                            hits.append((qid, row.strip()[len("sets off "):], sentence))
    if args.summary:
        print(f"{len(lines)} true sentences, {len(ids)} rubrics")
        print(
            f"{len(hits)} hits: {len({(q, r) for q, r, _ in hits})} rules in "
            f"{len({q for q, _, _ in hits})} rubrics, on {len({s for _, _, s in hits})} sentences"
        )
    else:
        for q, r, s in hits:
            print(f"{q}\t{r}\t{s}")


if __name__ == "__main__":
    sys.exit(main())
