#!/usr/bin/env bash
# `npm run dev` (turbo dev) end to end, on the PostgreSQL + Kafka of scripts/infra.sh (its INFRA_*
# variables apply; started and stopped by the dev stack when not already up):
#   1. a busy port is refused at once with a message naming it (non-zero exit, no silence);
#   2. the gateway answers /healthz within DEV_SMOKE_TIMEOUT seconds (180);
#   3. saving a gateway file restarts the gateway (node --watch), which is ready again;
#   4. SIGINT (Ctrl-C) stops every service it started.
# Ports: DEV_SMOKE_PORT (21180) for the gateway, the next four for auth, user, image, comment.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$PWD/node_modules/.bin:$PATH" TURBO_TELEMETRY_DISABLED=1
base="${DEV_SMOKE_PORT:-21180}"
timeout_s="${DEV_SMOKE_TIMEOUT:-180}"
export PORT_GATEWAY=$base PORT_AUTH=$((base + 1)) PORT_USER=$((base + 2)) PORT_IMAGE=$((base + 3)) PORT_COMMENT=$((base + 4))
gateway="http://127.0.0.1:$base"
log="$(mktemp)"
holder=""
dev=""
cleanup() {
  [[ -n "$holder" ]] && kill "$holder" 2>/dev/null || true
  [[ -n "$dev" ]] && kill -KILL -- "-$dev" 2>/dev/null || true
  rm -f "$log"
}
trap cleanup EXIT
fail() {
  echo "dev smoke: FAILED: $*"
  echo "--- last lines of npm run dev:"
  tail -n 40 "$log" | cut -c1-300
  exit 1
}

echo "1. a busy port (auth's $PORT_AUTH) is refused"
node -e "require('node:net').createServer().listen($PORT_AUTH, '127.0.0.1')" &
holder=$!
sleep 1
rc=0
timeout 120 npm run --silent dev >"$log" 2>&1 || rc=$?
kill "$holder" && wait "$holder" 2>/dev/null || true
holder=""
((rc != 0)) || fail "npm run dev exited 0 although port $PORT_AUTH was taken"
grep -q "port $PORT_AUTH (auth) on 127.0.0.1 is in use" "$log" || fail "no message naming the busy port"
echo "   exit $rc: $(grep -m1 -o "port $PORT_AUTH (auth)[^:]*" "$log")"

echo "2. npm run dev: the gateway answers /healthz within ${timeout_s}s"
start=$SECONDS
setsid npm run --silent dev >"$log" 2>&1 &
dev=$!
until curl -sf "$gateway/healthz" >/dev/null; do
  kill -0 "$dev" 2>/dev/null || fail "npm run dev exited before the gateway answered"
  ((SECONDS - start < timeout_s)) || fail "no answer from $gateway/healthz within ${timeout_s}s"
  sleep 1
done
until curl -sf "$gateway/readyz" >/dev/null; do
  ((SECONDS - start < timeout_s)) || fail "the gateway was not ready within ${timeout_s}s"
  sleep 1
done
echo "   ready in $((SECONDS - start))s: $(curl -s "$gateway/healthz")"

echo "3. a saved gateway file restarts the gateway"
touch packages/gateway/src/main.ts
start=$SECONDS
until grep -q "\[gateway\] Restarting" "$log"; do
  ((SECONDS - start < 60)) || fail "the gateway did not restart within 60s of a change"
  sleep 1
done
sleep 1
until curl -sf "$gateway/readyz" >/dev/null; do
  ((SECONDS - start < 120)) || fail "the gateway was not ready again within 120s"
  sleep 1
done
echo "   restarted and ready again in $((SECONDS - start))s"

echo "4. SIGINT stops everything"
kill -INT -- "-$dev"
start=$SECONDS
while kill -0 "$dev" 2>/dev/null; do
  ((SECONDS - start < 60)) || fail "npm run dev still running 60s after SIGINT"
  sleep 1
done
dev=""
for port in $PORT_GATEWAY $PORT_AUTH $PORT_USER $PORT_IMAGE $PORT_COMMENT; do
  if curl -s -o /dev/null "http://127.0.0.1:$port/healthz"; then fail "port $port still answers after the stop"; fi
done
grep -q "\[auth\].*service stopped" "$log" || fail "auth did not log its stop"
echo "   stopped in $((SECONDS - start))s; no service answers any more"
echo "dev smoke: ok"
