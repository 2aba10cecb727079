#!/usr/bin/env bash
# Opens an HTML report from `viva report -f html` in headless Chromium and
# fails if any script from the journal ran, or if the page is wider than a
# phone screen. Not part of CI: it installs Debian's chromium when missing
# and takes a few seconds per report.
#
#   scripts/html-check.sh REPORT.html [SCREENSHOT-PREFIX]
#
# The test journal tests/fixtures/journals/cohort.jsonl carries payloads that,
# if the report failed to escape them, would set document.title to PWNED
# (a <script> and an <img onerror>). The check loads the report, dumps the DOM
# after load, and looks for PWNED in <title>, plus any <script> or on*=
# attribute at all: the report itself has none.
#
# It then loads the report in a 390 px wide frame (a phone) and fails if the
# page is wider than that, naming the elements that stick out: wide tables
# must scroll inside their own box. In that frame it also follows each sort
# link of the score matrix (#by-name...) and fails unless exactly the order
# it names shows, the ranking when there is none. (The page holding the frame is a
# throwaway file with a script of its own; the report still runs none.)
#
# Screenshots for a person to look at: PREFIX-desktop.png (1200 px wide) and
# PREFIX-phone.png (390 px); PREFIX defaults to the report's path without
# .html. SHOT_HEIGHT sets their height in pixels (default 1600).
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
    echo "usage: $0 REPORT.html [SCREENSHOT-PREFIX]" >&2
    exit 2
fi
report=$(realpath "$1")
prefix=${2:-${report%.html}}
height=${SHOT_HEIGHT:-1600}
phone=390

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
probe_dir=$(mktemp -d)
trap 'rm -rf "$profile" "$dom" "$probe_dir"' EXIT

flags=(
    --headless --no-sandbox --disable-gpu --hide-scrollbars
    --disable-background-networking --disable-component-update --disable-sync
    --no-first-run --user-data-dir="$profile"
)
"$chromium" "${flags[@]}" --dump-dom "file://$report" >"$dom" 2>/dev/null
"$chromium" "${flags[@]}" --screenshot="$prefix-desktop.png" \
    --window-size=1200,"$height" "file://$report" 2>/dev/null
"$chromium" "${flags[@]}" --screenshot="$prefix-phone.png" \
    --window-size="$phone","$height" "file://$report" 2>/dev/null

# The width probe: a page that frames the report at phone width and writes
# the report's scroll width, and what sticks out of it, into its own DOM.
cat >"$probe_dir/probe.html" <<PROBE
<!doctype html><meta charset="utf-8"><body style="margin:0">
<iframe id="f" style="width:${phone}px;height:900px;border:0"></iframe>
<pre id="result">no result</pre>
<script>
const f = document.getElementById("f");
f.onload = () => {
  const d = f.contentDocument, w = d.documentElement.scrollWidth;
  const wide = [...d.body.querySelectorAll("*")]
    .filter(e => e.getBoundingClientRect().right > ${phone} + 0.5
      && e.getClientRects().length > 0
      && !(e.closest(".scroll")
        && getComputedStyle(e.closest(".scroll")).overflowX !== "visible"))
    .slice(0, 5)
    .map(e => e.tagName.toLowerCase() + (e.className ? "." + e.className : ""));
  // Each sort link shows its order of the matrix and hides the others.
  const ids = [...d.querySelectorAll(".order")].map(e => e.id), broken = [];
  for (const id of ["", ...ids]) {
    if (id) f.contentWindow.location.hash = id;
    const shown = ids.filter(o => getComputedStyle(d.getElementById(o)).display !== "none");
    if (shown.join("+") !== (id || "by-rank")) broken.push((id || "none") + ":" + shown.join("+"));
  }
  document.getElementById("result").textContent =
    "page-width=" + w + " sticking-out=" + (wide.join(",") || "none") +
    " orders=" + (broken.length ? "broken(" + broken.join(",") + ")" : "ok(" + ids.length + ")");
};
f.src = "file://$report";
</script>
PROBE
probe=$("$chromium" "${flags[@]}" --allow-file-access-from-files \
    --virtual-time-budget=5000 --dump-dom "file://$probe_dir/probe.html" \
    2>/dev/null | grep -oE 'page-width=[0-9]+[^<]*' | head -n1 || true)

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
width=${probe#page-width=}
width=${width%% *}
if [[ -z $probe ]]; then
    echo "FAIL: could not measure the page at $phone px" >&2
    fail=1
elif ((width > phone)); then
    echo "FAIL: at $phone px the page is $width px wide (it scrolls sideways): $probe" >&2
    fail=1
fi
if [[ $probe == *orders=broken* ]]; then
    echo "FAIL: a sort link of the matrix does not show its order: $probe" >&2
    fail=1
fi
if ! grep -q '&lt;script&gt;' "$dom"; then
    echo "note: no escaped <script> text in the DOM (is this the test journal's report?)" >&2
fi
[[ $fail -eq 0 ]] &&
    echo "ok: $title; no script ran; $width px wide at $phone px; ${probe##* }; screenshots: $prefix-desktop.png $prefix-phone.png"
exit "$fail"
