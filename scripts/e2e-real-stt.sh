#!/usr/bin/env bash
# End-to-end check of spoken answers against a real transcription server:
# voices a strong and a weak answer with espeak-ng, transcribes them through
# the local faster-whisper server (../shared/tools/stt-server, tiny.en) and
# grades them with the keyword grader, then reports
#   - the word error rate (WER) of each transcript against the script read,
#   - the score of the spoken answer against the same answer typed,
#   - what the quality gate says about clean, noisy, sped-up, slowed,
#     telephone-band, mumbled and inaudible recordings,
#   - the WER with and without the transcriber prompt (the question's terms).
#
# Not part of `cargo test`: it needs the shared server folder, espeak-ng and
# sox, and takes a minute or two on CPU. It skips (exit 0) when they are
# missing.
#
#   scripts/e2e-real-stt.sh              # uses target/release/viva, built if missing
#   VIVA=target/debug/viva scripts/e2e-real-stt.sh
#   STT_PORT=8098 KEEP=1 scripts/e2e-real-stt.sh   # KEEP=1 leaves the audio in place
set -euo pipefail

cd "$(dirname "$0")/.."
SERVER_DIR=../shared/tools/stt-server
PORT=${STT_PORT:-8098}

skip() { echo "skipped e2e-real-stt: $1"; exit 0; }
[ -x "$SERVER_DIR/start.sh" ] || skip "no $SERVER_DIR (the shared transcription server)"
command -v espeak-ng >/dev/null || skip "espeak-ng is not installed (apt-get install espeak-ng)"
command -v sox >/dev/null || skip "sox is not installed (apt-get install sox)"
command -v python3 >/dev/null || skip "python3 is needed to compute word error rates"

VIVA=${VIVA:-target/release/viva}
if [ ! -x "$VIVA" ]; then
    cargo build --release --quiet
    VIVA=target/release/viva
fi

WORK=$(mktemp -d)
STARTED=0
cleanup() {
    if [ "$STARTED" = 1 ]; then "$SERVER_DIR/stop.sh" "$PORT" >/dev/null 2>&1 || true; fi
    if [ "${KEEP:-0}" = 1 ]; then echo "audio kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

if curl -sf "http://127.0.0.1:$PORT/health" >/dev/null 2>&1; then
    BASE="http://127.0.0.1:$PORT/v1"
else
    BASE=$("$SERVER_DIR/start.sh" "$PORT" | tail -1)
    STARTED=1
fi
echo "transcription server: $BASE"

# The answers, written the way they should be heard ("IO", not "I/O").
GIL_STRONG="The GIL, the global interpreter lock, is a mutex in CPython that lets only one thread execute Python bytecode at a time. It protects the reference counts and other interpreter state from concurrent modification, which keeps the single threaded path fast. The GIL is released during blocking IO, so threads do speed up IO bound work. CPU bound pure Python code does not run in parallel on threads, so for parallelism you use multiprocessing or a process pool executor. The GIL does not make your own code thread safe: an operation like x plus equals one can still be interrupted between bytecodes, so shared state still needs locks. Python 3.13 added an optional free threaded build without the GIL, and the interpreter switches threads every five milliseconds."
GIL_WEAK="The GIL is something in Python that makes it slow. I think it stops you from using threads at all, so you should never use threads in Python. Um, it is like a lock, I guess."
LIST_STRONG="A list is mutable: you can append, remove and change its items in place. A tuple is immutable, so once it is created its items cannot be reassigned. Because a tuple is immutable and hashable when its items are, it can be a dictionary key or a set member, while a list cannot. Tuples are a little smaller and faster to create, and they suit fixed records such as coordinates, while lists suit collections that grow or change."

# id|question|text
ANSWERS=(
    "gil-strong|gil-what-it-protects|$GIL_STRONG"
    "gil-weak|gil-what-it-protects|$GIL_WEAK"
    "list-strong|list-vs-tuple|$LIST_STRONG"
)

wer() { # reference file, hypothesis file
    python3 - "$1" "$2" <<'PY'
import re, sys
def words(p):
    return re.findall(r"[a-z0-9']+", open(p).read().lower().replace("-", " "))
r, h = words(sys.argv[1]), words(sys.argv[2])
d = list(range(len(h) + 1))
for i, rw in enumerate(r, 1):
    prev, d[0] = d[0], i
    for j, hw in enumerate(h, 1):
        cur = min(d[j] + 1, d[j - 1] + 1, prev + (rw != hw))
        prev, d[j] = d[j], cur
print(f"{100 * d[len(h)] / max(len(r), 1):.0f}")
PY
}

field() { # json file, python expression on g
    python3 -c "import json,sys; g=json.load(open(sys.argv[1])); print($2)" "$1"
}

grade_audio() { # wav, question, out json, extra flags...
    local wav=$1 q=$2 out=$3
    shift 3
    set +e
    "$VIVA" grade "$q" "$wav" -f json --backend keyword --stt-url "$BASE" --no-cache "$@" >"$out" 2>"$out.err"
    echo $? >"$out.code"
    set -e
}

printf '\n%-12s %-10s %5s %7s %7s %5s  %s\n' answer audio WER typed spoken exit "quality gate"
for entry in "${ANSWERS[@]}"; do
    IFS='|' read -r id q text <<<"$entry"
    printf '%s\n' "$text" >"$WORK/$id.txt"
    typed=$(printf '%s\n' "$text" | "$VIVA" grade "$q" - -f json --backend keyword | python3 -c "import json,sys; print(json.load(sys.stdin)['total']['percent'])")
    base="$WORK/$id"
    espeak-ng -v en-us -s 150 -w "$base.wav" "$text"
    # Variants: noise at ~18 dB and ~8 dB SNR, faster, slower and lower,
    # telephone band, "mumbled" (quiet, slow, muffled, over noise) and
    # "inaudible" (the same, fainter). -R makes the noise repeatable.
    sox -R "$base.wav" -p synth whitenoise vol 0.02 | sox -R -m "$base.wav" - "$base-noise18.wav"
    sox -R "$base.wav" -p synth whitenoise vol 0.06 | sox -R -m "$base.wav" - "$base-noise8.wav"
    sox -R "$base.wav" "$base-fast.wav" tempo 1.25
    sox -R "$base.wav" "$base-slow.wav" speed 0.9
    sox -R "$base.wav" "$base-phone.wav" rate 8000 sinc 300-3400
    sox -R "$base.wav" "$base-quiet.wav" vol 0.3 speed 0.88 lowpass 1500
    sox -R "$base-quiet.wav" -p synth whitenoise vol 0.02 | sox -R -m "$base-quiet.wav" - "$base-mumbled.wav"
    sox -R "$base.wav" "$base-faint.wav" vol 0.08 speed 0.85 lowpass 1200
    sox -R "$base-faint.wav" -p synth whitenoise vol 0.03 | sox -R -m "$base-faint.wav" - "$base-inaudible.wav"
    for v in clean noise18 noise8 fast slow phone mumbled inaudible; do
        wav="$base-$v.wav"
        [ "$v" = clean ] && wav="$base.wav"
        out="$WORK/$id-$v.json"
        grade_audio "$wav" "$q" "$out"
        code=$(cat "$out.code")
        if [ -s "$out" ]; then
            field "$out" "g['spoken']['transcript']['text']" >"$out.txt"
            w=$(wer "$WORK/$id.txt" "$out.txt")
            spoken=$(field "$out" "g['total']['percent']")
            gate=$(field "$out" "'POOR: ' + '; '.join(g['spoken']['quality']['reasons']) if g['spoken']['quality']['poor'] else 'good (mean avg_logprob %s, %s wpm)' % (g['spoken']['quality'].get('mean_logprob'), g['spoken']['quality'].get('words_per_minute'))")
        else
            w=- spoken=- gate=$(head -1 "$out.err")
        fi
        printf '%-12s %-10s %4s%% %6s%% %6s%% %5s  %s\n' "$id" "$v" "$w" "$typed" "$spoken" "$code" "$gate"
    done
    # The transcriber prompt: the same clean recording without it.
    out="$WORK/$id-noprompt.json"
    grade_audio "$base.wav" "$q" "$out" --no-stt-prompt
    field "$out" "g['spoken']['transcript']['text']" >"$out.txt"
    printf '%-12s %-10s %4s%% %6s%% %6s%% %5s  %s\n' "$id" "no-prompt" "$(wer "$WORK/$id.txt" "$out.txt")" "$typed" \
        "$(field "$out" "g['total']['percent']")" "$(cat "$out.code")" "(clean audio, transcriber prompt off)"
done

echo
echo "clean transcripts (with the prompt):"
for entry in "${ANSWERS[@]}"; do
    IFS='|' read -r id _ _ <<<"$entry"
    echo "  $id: $(cat "$WORK/$id-clean.json.txt")"
done
