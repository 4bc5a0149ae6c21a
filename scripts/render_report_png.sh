#!/usr/bin/env bash
# Renders the demo's HTML report (`framelens demo --html`) in headless Chromium to docs/report.png,
# the picture in the README. Needs Debian's chromium (apt-get install chromium). Run from the
# repository root: bash scripts/render_report_png.sh [OUT.png]
set -euo pipefail
OUT=${1:-docs/report.png}
FL=${FRAMELENS:-target/release/framelens}
[ -x "$FL" ] || cargo build --release --quiet
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || { echo "chromium not found (apt-get install chromium)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$FL" demo --html "$tmp/report.html" > /dev/null
# The flags keep Chromium off the network (this machine has none) and out of the user's profile.
"$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$tmp/profile" --hide-scrollbars --window-size=1200,2000 \
  --screenshot="$tmp/report.png" "file://$tmp/report.html" 2> "$tmp/chromium.log" \
  || { cat "$tmp/chromium.log" >&2; exit 1; }
mkdir -p "$(dirname "$OUT")"
mv "$tmp/report.png" "$OUT"
echo "wrote $OUT"
