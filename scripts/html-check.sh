#!/usr/bin/env bash
# Opens an HTML report from `viva report -f html` in headless Chromium and
# fails if any script from the journal ran. Not part of CI: it installs
# Debian's chromium when missing and takes a few seconds per report.
#
#   scripts/html-check.sh REPORT.html [SCREENSHOT.png]
#
# The test journal tests/fixtures/journals/cohort.jsonl carries payloads that,
# if the report failed to escape them, would set document.title to PWNED
# (a <script> and an <img onerror>). The check loads the report, dumps the DOM
# after load, and looks for PWNED in <title>, plus any <script> or on*=
# attribute at all: the report itself has none. It also saves a screenshot
# (1200x1600) for a person to look at.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
    echo "usage: $0 REPORT.html [SCREENSHOT.png]" >&2
    exit 2
fi
report=$(realpath "$1")
shot=${2:-${report%.html}.png}

chromium=/usr/bin/chromium
if [[ ! -x $chromium ]]; then
    echo "installing chromium (Debian package)..." >&2
    sudo=""
    [[ $(id -u) -ne 0 ]] && sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi

profile=$(mktemp -d)
dom=$(mktemp)
trap 'rm -rf "$profile" "$dom"' EXIT

flags=(
    --headless --no-sandbox --disable-gpu
    --disable-background-networking --disable-component-update --disable-sync
    --no-first-run --user-data-dir="$profile"
)
"$chromium" "${flags[@]}" --dump-dom "file://$report" >"$dom" 2>/dev/null
"$chromium" "${flags[@]}" --screenshot="$shot" --window-size=1200,1600 \
    "file://$report" 2>/dev/null

fail=0
if [[ ! -s $dom ]]; then
    echo "FAIL: chromium dumped an empty DOM" >&2
    fail=1
fi
title=$(grep -o '<title>[^<]*</title>' "$dom" | head -n1 || true)
if grep -q PWNED <<<"$title"; then
    echo "FAIL: an injected script ran: $title" >&2
    fail=1
fi
if grep -qi '<script' "$dom"; then
    echo "FAIL: the DOM holds a <script> element:" >&2
    grep -oi '<script[^>]*>' "$dom" | head -n3 >&2
    fail=1
fi
if grep -qiE '<[a-z][^>]*[[:space:]]on[a-z]+=' "$dom"; then
    echo "FAIL: the DOM holds an element with an event-handler attribute:" >&2
    grep -oiE '<[a-z][^>]*[[:space:]]on[a-z]+=[^>]*>' "$dom" | head -n3 >&2
    fail=1
fi
if ! grep -q '&lt;script&gt;' "$dom"; then
    echo "note: no escaped <script> text in the DOM (is this the test journal's report?)" >&2
fi
[[ $fail -eq 0 ]] && echo "ok: $title; no script ran; screenshot: $shot"
exit "$fail"
