#!/usr/bin/env bash
# Lighthouse's performance audit of dist/ served locally (make lighthouse), `runs` times on its
# mobile settings (simulated slow phone and network) and once on its desktop settings; prints a
# JSON line a run. Lighthouse 12 (13 needs Node 22) is installed on first use into
# target/lighthouse, not among the project's packages: only this measurement needs it.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
port=${LIGHTHOUSE_PORT:-8792}
tool=target/lighthouse
# npm writes its lock file last: without it, an install was cut short and is done again.
if [[ ! -f $tool/node_modules/.package-lock.json ]]; then
  mkdir -p "$tool"
  npm install --prefix "$tool" --no-audit --no-fund --loglevel=error lighthouse@12
fi
python3 scripts/serve.py --bind 127.0.0.1 --directory dist "$port" >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
# Ours answering, not whatever else may hold the port.
for _ in $(seq 50); do
  if ! kill -0 "$server" 2>/dev/null; then
    echo "lighthouse.sh: the server could not start on port $port (in use? set LIGHTHOUSE_PORT)" >&2
    exit 1
  fi
  curl -sf -o /dev/null "http://127.0.0.1:$port/index.html" && break
  sleep 0.2
done
audit() {
  local out=$tool/report-$1.json
  CHROME_PATH=${CHROMIUM:-/usr/bin/chromium} "$tool/node_modules/.bin/lighthouse" "http://127.0.0.1:$port/index.html" \
    --only-categories=performance --chrome-flags="--headless=new --no-sandbox" --output=json --output-path="$out" --quiet ${2:-}
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const a = r.audits;
    const ms = (k) => Math.round(a[k].numericValue);
    console.log(JSON.stringify({ bench: "lighthouse", form: r.configSettings.formFactor, score: r.categories.performance.score,
      fcp_ms: ms("first-contentful-paint"), lcp_ms: ms("largest-contentful-paint"), tbt_ms: ms("total-blocking-time"),
      cls: Math.round(a["cumulative-layout-shift"].numericValue * 1000) / 1000, speed_index_ms: ms("speed-index"), interactive_ms: ms("interactive") }));
  ' "$out"
}
for i in $(seq 1 "$runs"); do audit "mobile-$i"; done
audit desktop --preset=desktop
