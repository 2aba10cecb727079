#!/usr/bin/env bash
# Batch pipeline efficiency in LLM mode against a stub endpoint with fixed
# latency L: efficiency = ideal time ceil(N/C)*L / measured wall time of the
# whole viva process, for N in {200, 1000} answers and C in {8, 64, 256}
# workers (JOBS="8 64" to choose).
# Figures are medians of RUNS runs (default 3). Keyword-mode throughput,
# memory and start-up are measured by benches/run.sh.
#
#   benches/batch.sh [LATENCY_MS] [BASELINE_VIVA]
#
# With BASELINE_VIVA (another build of viva, e.g. of the main branch), the
# runs alternate between it and this build, and both efficiencies print.
set -euo pipefail
latency=${1:-200}
baseline=${2:-}
if [ -n "$baseline" ]; then
  [ -x "$baseline" ] && [ -f "$baseline" ] || { echo "error: $baseline is not an executable" >&2; exit 2; }
  baseline=$(cd "$(dirname "$baseline")" && pwd)/$(basename "$baseline")
fi
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
cargo build --release --quiet --example stub_endpoint
cargo build --release --quiet
viva=$PWD/target/release/viva
work=$(mktemp -d)
trap 'kill $stub 2>/dev/null; rm -rf "$work"' EXIT
target/release/examples/stub_endpoint "$latency" > "$work/url" &
stub=$!
for _ in $(seq 100); do [ -s "$work/url" ] && break; sleep 0.05; done
base=$(head -1 "$work/url")

make_csv() { # N FILE
  python3 - "$1" "$2" <<'PY'
import csv, sys
n, path = int(sys.argv[1]), sys.argv[2]
answer = open("examples/answers/gil-strong.md").read()
with open(path, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["candidate", "question_id", "answer"])
    for i in range(n):
        w.writerow([f"c{i:06d}", "gil-what-it-protects", answer.replace("GIL", "GIL", 1) + f"\n(#{i})"])
PY
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "LLM mode, stub latency ${latency} ms, medians of $runs runs"
bins=("$viva")
header="$(printf '%6s %4s %9s %9s %10s' N C ideal_s wall_s efficiency)"
if [ -n "$baseline" ]; then
  bins+=("$baseline")
  header+="$(printf ' %9s %10s' base_wall base_eff)"
fi
echo "$header"
for n in 200 1000; do
  make_csv "$n" "$work/in-$n.csv"
  for c in ${JOBS:-8 64 256}; do
    declare -A walls=()
    for run in $(seq "$runs"); do
      order=("${bins[@]}")
      if [ $((run % 2)) -eq 0 ]; then order=($(printf '%s\n' "${bins[@]}" | tac)); fi
      for b in "${order[@]}"; do
        rm -f "$work/j.jsonl"
        start=$(date +%s.%N)
        OPENAI_BASE_URL=$base "$b" batch "$work/in-$n.csv" --backend llm --no-cache -j "$c" -q --out "$work/j.jsonl" 2>/dev/null
        end=$(date +%s.%N)
        walls[$b]+="$(echo "$end - $start" | bc -l) "
      done
    done
    # ceil(N/C) in shell integers: bc -l would divide in floating point.
    ideal=$(echo "$(( (n + c - 1) / c )) * $latency / 1000" | bc -l)
    line="$(printf '%6s %4s %9.2f' "$n" "$c" "$ideal")"
    for b in "${bins[@]}"; do
      wall=$(printf '%s\n' ${walls[$b]} | median)
      line+="$(printf ' %9.2f %10.3f' "$wall" "$(echo "$ideal / $wall" | bc -l)")"
    done
    echo "$line"
    unset walls
  done
done
