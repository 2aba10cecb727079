#!/usr/bin/env bash
# Batch pipeline efficiency in LLM mode against a stub endpoint with fixed
# latency L: efficiency = ideal time ceil(N/C)*L / measured wall time of the
# whole viva process, for N in {200, 1000} answers and C in {8, 64, 256}
# workers (JOBS="8 64" to choose).
# Figures are medians of 3 runs. Keyword-mode throughput, memory and
# start-up are measured by benches/run.sh.
#
#   benches/batch.sh [LATENCY_MS]
set -euo pipefail
cd "$(dirname "$0")/.."
latency=${1:-200}
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

echo "LLM mode, stub latency ${latency} ms"
printf '%6s %4s %9s %9s %10s\n' N C ideal_s wall_s efficiency
for n in 200 1000; do
  make_csv "$n" "$work/in-$n.csv"
  for c in ${JOBS:-8 64 256}; do
    walls=()
    for run in 1 2 3; do
      rm -f "$work/j.jsonl"
      start=$(date +%s.%N)
      OPENAI_BASE_URL=$base "$viva" batch "$work/in-$n.csv" --backend llm --no-cache -j "$c" -q --out "$work/j.jsonl" 2>/dev/null
      end=$(date +%s.%N)
      walls+=("$(echo "$end - $start" | bc -l)")
    done
    wall=$(printf '%s\n' "${walls[@]}" | median)
    # ceil(N/C) in shell integers: bc -l would divide in floating point.
    ideal=$(echo "$(( (n + c - 1) / c )) * $latency / 1000" | bc -l)
    printf '%6s %4s %9.2f %9.2f %10.2f\n' "$n" "$c" "$ideal" "$wall" "$(echo "$ideal / $wall" | bc -l)"
  done
done

