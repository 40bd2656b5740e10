#!/usr/bin/env bash
# A real browser against the embedded stack (`npm start`): Debian's chromium driven by
# playwright-core (packages/browser-check). A page on another origin calls the public RPCs through
# connect-web (Connect JSON, Connect binary GET, gRPC-web) and reads a refusal's field errors, and
# the gateway's /docs renders its API reference from the gateway's own assets (other origins are
# cut off, as offline). Needs `apt-get install chromium` (or CHROMIUM_PATH).
# Ports: BROWSER_CHECK_PORT (default 21040) for the gateway, the next four for the services, the
# one after for the page. Arguments go to vitest (CI adds its JSON reporter).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Six free ports in a row: the configured base, else the next blocks of ten.
BASE="${BROWSER_CHECK_PORT:-21040}"
for _ in $(seq 1 20); do
  busy=0
  for offset in 0 1 2 3 4 5; do
    if port_busy $((BASE + offset)); then busy=1; break; fi
  done
  ((busy == 0)) && break
  echo "port $((BASE + offset)) is busy: trying $((BASE + 10))"
  BASE=$((BASE + 10))
done
PAGE_PORT=$((BASE + 5))
export PATH="$ROOT/node_modules/.bin:$PATH"

DATA="$(mktemp -d)"
LOG="$DATA/stack.log"
cd "$ROOT"
# Its own process group (job control on for this one job), so npm and node stop together; not
# setsid, which forks when its caller already leads a group and leaves $! pointing at nothing.
set -m
PORT_GATEWAY=$BASE PORT_AUTH=$((BASE + 1)) PORT_USER=$((BASE + 2)) PORT_IMAGE=$((BASE + 3)) \
  PORT_COMMENT=$((BASE + 4)) DATA_DIR="$DATA/data" LOG_LEVEL=warn \
  CORS_ORIGINS="http://127.0.0.1:$PAGE_PORT" \
  npm start >"$LOG" 2>&1 &
STACK=$!
set +m
stop() {
  kill -TERM -- "-$STACK" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 -- "-$STACK" 2>/dev/null || break
    sleep 0.2
  done
  kill -KILL -- "-$STACK" 2>/dev/null || true
  wait "$STACK" 2>/dev/null || true
  rm -rf "$DATA"
}
trap stop EXIT

for _ in $(seq 1 240); do
  curl -sf "http://127.0.0.1:$BASE/readyz" >/dev/null && break
  kill -0 "$STACK" 2>/dev/null || {
    echo "the stack exited before it was ready:"
    cat "$LOG"
    exit 1
  }
  sleep 0.5
done
curl -sf "http://127.0.0.1:$BASE/readyz" >/dev/null || {
  echo "the stack was not ready in 120 s:"
  cat "$LOG"
  exit 1
}

# Chromium on its own first, so a browser that cannot start here says why before any test runs.
CHROMIUM="${CHROMIUM_PATH:-$(command -v chromium || command -v chromium-browser || true)}"
"$CHROMIUM" --version || { echo "no runnable Chromium (apt-get install chromium, or set CHROMIUM_PATH)"; exit 1; }
if ! timeout 60s "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
  --user-data-dir="$DATA/chromium-preflight" --dump-dom "data:text/html,<p>ready</p>" \
  >"$DATA/preflight.out" 2>"$DATA/preflight.err" || ! grep -q ready "$DATA/preflight.out"; then
  echo "Chromium could not render a page headless here:"
  tail -n 40 "$DATA/preflight.err"
  exit 1
fi

rc=0
BROWSER_CHECK_GATEWAY_URL="http://127.0.0.1:$BASE" BROWSER_CHECK_PAGE_PORT="$PAGE_PORT" \
  vitest run --config packages/browser-check/vitest.browser.config.ts "$@" || rc=$?
if ((rc != 0)); then
  echo "--- stack log (last 40 lines)"
  tail -n 40 "$LOG"
fi
exit "$rc"
