#!/usr/bin/env bash
# Grades example answers through a real OpenAI-compatible server and checks
# that every report is well-formed. Not part of CI: a small model on CPU takes
# 15-50 s per answer.
#
#   scripts/e2e-real-llm.sh http://127.0.0.1:8099/v1 [QUESTION_ID...]
#
# Prints one line per answer and a summary: the response_format the server
# accepted, verdicts that needed repair, and quotes verified. Responses are
# cached as usual, so a second run with the same answers sends no request;
# E2E_OUT=DIR keeps the reports there, so two runs can be compared.
set -euo pipefail
base=${1:?usage: e2e-real-llm.sh BASE_URL [QUESTION_ID...]}
shift
cd "$(dirname "$0")/.."
cargo build --release --quiet
viva=target/release/viva
questions=("$@")
[ ${#questions[@]} -gt 0 ] || questions=(gil-what-it-protects mutable-default-arguments shallow-vs-deep-copy)
out=${E2E_OUT:-$(mktemp -d)}
mkdir -p "$out"
export OPENAI_BASE_URL=$base OPENAI_API_KEY=${OPENAI_API_KEY:-none}
n=0
for q in "${questions[@]}"; do
  # Each rubric's example answers, one file each.
  $viva show "$q" --format json | python3 -c '
import json, sys
r = json.load(sys.stdin)["rubric"]
for e in r["examples"]:
    open(sys.argv[1] + "/" + sys.argv[2] + "--" + e["label"] + ".txt", "w").write(e["text"])
' "$out" "$q"
done
for f in "$out"/*.txt; do
  name=$(basename "$f" .txt); q=${name%%--*}
  n=$((n + 1))
  if $viva grade "$q" "$f" --backend llm --timeout 300 -f json > "$out/$name.json" 2> "$out/$name.err"; then
    python3 - "$out/$name.json" <<'PY'
import json, sys
g = json.load(open(sys.argv[1]))
assert g["schema"] == "viva.grading/v1" and g["backend"]["name"] == "llm"
assert all(p["score"] in (0, 0.5, 1) for p in g["points"])
assert 0 <= g["total"]["fraction"] <= 1
v = sum(p["verification"] == "verified" for p in g["points"])
c = sum(p["verification"] == "corroborated" for p in g["points"])
u = sum(p["verification"] == "unverified" for p in g["points"])
print(f'{sys.argv[1].rsplit("/",1)[1][:-5]:55} {g["total"]["percent"]:5}%  format={g["backend"]["response_format"]} repairs={g["backend"]["repairs"]} verified={v} corroborated={c} unverified={u} flags={[f["kind"] for f in g["flags"]]}')
PY
  else
    echo "$name: FAILED: $(head -1 "$out/$name.err")"
  fi
done
python3 - "$out" <<'PY'
import json, glob, sys
gs = [json.load(open(p)) for p in glob.glob(sys.argv[1] + "/*.json") if open(p).read().strip()]
claimed = sum(p["verification"] in ("verified", "corroborated", "unverified") for g in gs for p in g["points"])
verified = sum(p["verification"] == "verified" for g in gs for p in g["points"])
print(f"summary: {len(gs)} well-formed reports; formats {sorted({g['backend']['response_format'] for g in gs})}; "
      f"repairs {sum(g['backend']['repairs'] for g in gs)}; quotes verified {verified}/{claimed} claimed points")
PY
