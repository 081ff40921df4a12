#!/bin/sh
# scripts/screenshot.sh [HTML] [PNG] [WIDTHxHEIGHT]
# Render an lcase HTML report in headless Chromium and save a screenshot, to
# look at a report the way its reader will. Needs chromium (make screenshot-deps).
# Defaults: out/brief.html -> out/brief.png at 1200x1600.
set -eu
cd "$(dirname "$0")/.."
html=${1:-out/brief.html}
png=${2:-${html%.*}.png}
size=${3:-1200,1600}
size=$(printf '%s' "$size" | tr 'x' ',')
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
  echo "screenshot: chromium not found (run 'make screenshot-deps')" >&2
  exit 2
fi
if [ ! -f "$html" ]; then
  echo "screenshot: $html does not exist (run 'make demo' first)" >&2
  exit 2
fi
case $html in /*) url="file://$html" ;; *) url="file://$(pwd)/$html" ;; esac
profile=$(mktemp -d /tmp/lcase-chromium.XXXXXX)
trap 'rm -rf "$profile"' EXIT INT TERM
mkdir -p "$(dirname "$png")"
"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
  --user-data-dir="$profile" --screenshot="$png" --window-size="$size" "$url" \
  >/dev/null 2>"$profile/log" || { cat "$profile/log" >&2; exit 1; }
[ -s "$png" ] || { echo "screenshot: no image written" >&2; cat "$profile/log" >&2; exit 1; }
echo "screenshot: $png"
