#!/usr/bin/env bash
# Keyword-mode performance of viva on this machine:
#  - answers per second of `viva batch --backend keyword` at -j 1 and at all
#    cores, on a generated CSV of 100,000 answers of about 1 KB, each to a
#    question whose rubric has 5 points (sentences of the bank's example
#    answers, mixed per row, with a per-row suffix so no two are alike);
#  - peak memory (max RSS) of the all-cores run;
#  - resuming the finished journal (every answer already graded): time and
#    peak memory, which must not grow with the journal's answers;
#  - start-up of `viva --version` (the floor), `viva questions`, `viva show`
#    and `viva grade ID FILE --backend keyword` (with the compiled rubric
#    read from the store, and with the store off, compiling it every run):
#    wall and CPU time;
#  - `wc -w` on the same CSV, the machine's reference: viva's time divided by
#    wc's makes figures comparable across machines.
# Batch figures are medians of RUNS runs (default 3), start-up figures medians
# of STARTUP_RUNS runs (default 21).
#
#   benches/run.sh [BASELINE_VIVA]
#
# With BASELINE_VIVA (another build of viva, e.g. of the main branch), every
# measurement alternates the baseline and this build's binary, and prints both
# and their ratio (this build / baseline).
set -euo pipefail
baseline=${1:-}
if [ -n "$baseline" ]; then
  [ -x "$baseline" ] && [ -f "$baseline" ] || { echo "error: $baseline is not an executable" >&2; exit 2; }
  baseline=$(cd "$(dirname "$baseline")" && pwd)/$(basename "$baseline")
fi
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
startup_runs=${STARTUP_RUNS:-21}
answers=${ANSWERS:-100000}
cargo build --release --quiet
new=$PWD/target/release/viva
bins=("$new")
if [ -n "$baseline" ]; then bins+=("$baseline"); fi
cores=$(nproc)
job_counts=(1)
if [ "$cores" -gt 1 ]; then job_counts+=("$cores"); fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The keyword grader only: never reach an endpoint configured in the environment.
unset OPENAI_BASE_URL OPENAI_API_KEY VIVA_BANK VIVA_CONFIG
# Compiled rubrics are stored in a folder of the run's own, not the user's
# cache: the first run that meets a rubric compiles and stores it, later
# runs read it back, as they would on a user's machine.
export VIVA_RUBRIC_CACHE="$work/rubrics"

echo "generating $answers answers..."
python3 - "$answers" "$work/answers.csv" <<'PY'
import csv, glob, random, re, sys, tomllib
n, path = int(sys.argv[1]), sys.argv[2]
pools = {}
for f in sorted(glob.glob("rubrics/*.toml")):
    with open(f, "rb") as fh:
        r = tomllib.load(fh)
    if len(r.get("point", [])) != 5:
        continue
    sentences = [s.strip() for e in r.get("example", []) if e["label"] != "injection"
                 for s in re.split(r"(?<=[.!?])\s+", e["text"]) if len(s.strip()) > 20]
    if len(sentences) >= 4:
        pools[r["question"]] = sentences
ids = sorted(pools)
rng = random.Random(7)
with open(path, "w", newline="") as out:
    w = csv.writer(out)
    w.writerow(["candidate", "question_id", "answer"])
    for i in range(n):
        qid = ids[i % len(ids)]
        parts, size = [], 0
        while size < 1000:
            s = rng.choice(pools[qid])
            parts.append(s)
            size += len(s) + 1
        w.writerow([f"c{i:06d}", qid, " ".join(parts) + f" (answer {i})"])
print(f"{n} answers to {len(ids)} questions with 5-point rubrics", file=sys.stderr)
PY
csv_mb=$(du -m "$work/answers.csv" | cut -f1)

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# wc -w: the reference for this machine.
wcs=()
for _ in $(seq "$runs"); do
  /usr/bin/time -f '%e' -o "$work/time" wc -w "$work/answers.csv" >/dev/null
  wcs+=("$(cat "$work/time")")
done
wc_s=$(printf '%s\n' "${wcs[@]}" | median)
# /usr/bin/time has 10 ms resolution; never divide by zero.
wc_s=$(echo "if ($wc_s < 0.01) 0.01 else $wc_s" | bc -l)

# batch BIN JOBS: one run, leaving "seconds rss_kb" in $work/time
batch() {
  rm -f "$work/j.jsonl" "$work/e.jsonl"
  /usr/bin/time -f '%e %M' -o "$work/time" "$1" batch "$work/answers.csv" --backend keyword \
    -j "$2" -q --out "$work/j.jsonl" --errors "$work/e.jsonl" >/dev/null 2>"$work/stderr" \
    || { echo "error: $1 batch failed:" >&2; cat "$work/stderr" >&2; exit 1; }
}

# Alternates the binaries run by run, so both see the same machine load.
declare -A secs rss
for jobs in "${job_counts[@]}"; do
  for b in "${bins[@]}"; do secs[$b,$jobs]=""; rss[$b,$jobs]=""; done
  for run in $(seq "$runs"); do
    order=("${bins[@]}")
    if [ $((run % 2)) -eq 0 ]; then order=($(printf '%s\n' "${bins[@]}" | tac)); fi
    for b in "${order[@]}"; do
      batch "$b" "$jobs"
      read -r s kb < "$work/time"
      secs[$b,$jobs]+="$s "; rss[$b,$jobs]+="$kb "
    done
  done
done

# Resuming a finished journal: every row is skipped. --keep-stale, so a
# baseline whose grader version differs reads the journal instead of
# grading it again.
cp "$work/j.jsonl" "$work/done.jsonl"
declare -A rsecs rrss
for b in "${bins[@]}"; do rsecs[$b]=""; rrss[$b]=""; done
for run in $(seq "$runs"); do
  for b in "${bins[@]}"; do
    cp "$work/done.jsonl" "$work/j.jsonl"
    /usr/bin/time -f '%e %M' -o "$work/time" "$b" batch "$work/answers.csv" --backend keyword \
      -j "$cores" -q --keep-stale --out "$work/j.jsonl" --errors "$work/e.jsonl" >/dev/null 2>"$work/stderr" \
      || { echo "error: $b resume failed:" >&2; cat "$work/stderr" >&2; exit 1; }
    read -r s kb < "$work/time"
    rsecs[$b]+="$s "; rrss[$b]+="$kb "
  done
done

startup() { # ARGS... -> one line per binary: "wall_ms cpu_ms"
  python3 - "$startup_runs" "${#bins[@]}" "${bins[@]}" "$@" <<'PY'
import resource, statistics, subprocess, sys, time
runs, nb = int(sys.argv[1]), int(sys.argv[2])
bins, args = sys.argv[3:3 + nb], sys.argv[3 + nb:]
wall = {b: [] for b in bins}
cpu = {b: [] for b in bins}
for i in range(runs):
    for b in (bins if i % 2 == 0 else bins[::-1]):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run([b] + args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        t1 = time.perf_counter()
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall[b].append((t1 - t0) * 1000)
        cpu[b].append((r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) * 1000)
for b in bins:
    print(f"{statistics.median(wall[b]):.1f} {statistics.median(cpu[b]):.1f}")
PY
}

echo
echo "machine: $cores cores; input: $answers answers, $csv_mb MB; wc -w: $wc_s s (median of $runs)"
if [ -n "$baseline" ]; then
  printf '%-34s %12s %12s %8s\n' "" "this build" "baseline" "ratio"
else
  printf '%-34s %12s\n' "" "this build"
fi
row() { # LABEL NEW [OLD]
  if [ $# -eq 3 ]; then
    printf '%-34s %12s %12s %8.2f\n' "$1" "$2" "$3" "$(echo "$2 / $3" | bc -l)"
  else
    printf '%-34s %12s\n' "$1" "$2"
  fi
}
for jobs in "${job_counts[@]}"; do
  rates=(); ratios=()
  for b in "${bins[@]}"; do
    s=$(printf '%s\n' ${secs[$b,$jobs]} | median)
    rates+=("$(printf '%.0f' "$(echo "$answers / $s" | bc -l)")")
    ratios+=("$(printf '%.1f' "$(echo "$s / $wc_s" | bc -l)")")
  done
  row "keyword -j $jobs answers/s" "${rates[@]}"
  row "keyword -j $jobs time / wc -w time" "${ratios[@]}"
done
mibs=()
for b in "${bins[@]}"; do
  mibs+=("$(printf '%.1f' "$(echo "$(printf '%s\n' ${rss[$b,$cores]} | median) / 1024" | bc -l)")")
done
row "peak RSS -j $cores (MiB)" "${mibs[@]}"
rtimes=(); rmibs=()
for b in "${bins[@]}"; do
  rtimes+=("$(printf '%s\n' ${rsecs[$b]} | median)")
  rmibs+=("$(printf '%.1f' "$(echo "$(printf '%s\n' ${rrss[$b]} | median) / 1024" | bc -l)")")
done
row "resume, all done: seconds" "${rtimes[@]}"
row "resume, all done: peak RSS (MiB)" "${rmibs[@]}"

echo "start-up, median of $startup_runs runs (ms):"
grade="grade gil-what-it-protects examples/answers/gil-strong.md --backend keyword"
for cmd in "--version" "questions" "show gil-what-it-protects" "$grade" "off $grade"; do
  label="viva ${cmd%% *}"
  if [ "${cmd%% *}" = off ]; then
    # Every run compiles the rubric: the first run after an upgrade.
    cmd=${cmd#off }
    label="viva grade, store off"
    export VIVA_RUBRIC_CACHE=off
  fi
  # shellcheck disable=SC2086
  mapfile -t lines < <(startup $cmd)
  export VIVA_RUBRIC_CACHE="$work/rubrics"
  walls=(); cpus=()
  for l in "${lines[@]}"; do walls+=("${l% *}"); cpus+=("${l#* }"); done
  row "  $label, wall" "${walls[@]}"
  row "  $label, CPU" "${cpus[@]}"
done
