#!/usr/bin/env bash
# Production entries: every service started as `node dist/main.js` from its package (what each
# image's CMD runs), after `turbo run build`, against DATABASE_URL and KAFKA_BROKERS (scripts/infra.sh):
# each answers /readyz, then the gateway answers /healthz and a sign-up through the whole chain;
# SIGTERM stops them all. Ports: DIST_SMOKE_PORT (21280) for the gateway, the next four for the others.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
: "${DATABASE_URL:?DATABASE_URL is required (eval \"\$(bash scripts/infra.sh env)\")}"
: "${KAFKA_BROKERS:?KAFKA_BROKERS is required (eval \"\$(bash scripts/infra.sh env)\")}"
base="${DIST_SMOKE_PORT:-21280}"
declare -A port=([gateway]=$base [auth-service]=$((base + 1)) [user-service]=$((base + 2)) [image-service]=$((base + 3)) [comment-service]=$((base + 4)))
data="$(mktemp -d)"
pids=()
logs="$data/logs"
mkdir -p "$logs"
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$data"
}
trap cleanup EXIT
fail() {
  echo "dist smoke: FAILED: $*"
  tail -n 20 "$logs"/*.log | cut -c1-300
  exit 1
}

export HOST=127.0.0.1 DATA_DIR="$data" LOG_FORMAT=json \
  AUTH_SERVICE_URL="http://127.0.0.1:${port[auth-service]}" USER_SERVICE_URL="http://127.0.0.1:${port[user-service]}" \
  IMAGE_SERVICE_URL="http://127.0.0.1:${port[image-service]}" COMMENT_SERVICE_URL="http://127.0.0.1:${port[comment-service]}"
for service in auth-service user-service image-service comment-service gateway; do
  [[ -f "packages/$service/dist/main.js" ]] || fail "packages/$service/dist/main.js is missing: run npx turbo run build"
  # From the package folder, as the image runs it; plain node, no tsx, no --conditions.
  (cd "packages/$service" && PORT="${port[$service]}" exec node dist/main.js >"$logs/$service.log" 2>&1) &
  pids+=($!)
  start=$SECONDS
  until curl -sf "http://127.0.0.1:${port[$service]}/readyz" >/dev/null; do
    ((SECONDS - start < 90)) || fail "$service (node dist/main.js) not ready within 90s"
    sleep 0.5
  done
  echo "  $service: node dist/main.js ready in $((SECONDS - start))s on :${port[$service]}"
done
gateway="http://127.0.0.1:${port[gateway]}"
echo "  gateway /healthz: $(curl -sf "$gateway/healthz")"
# /docs from the bundle `npm run build` copied into dist (production installs have no @scalar/api-reference).
bytes="$(curl -sf -o /dev/null -w '%{size_download}' "$gateway/docs/api-reference.js")" ||
  fail "the gateway from dist does not serve /docs/api-reference.js"
((bytes > 1000000)) || fail "/docs/api-reference.js from dist is only $bytes bytes"
echo "  gateway /docs/api-reference.js: $bytes bytes"
name="dist$RANDOM$RANDOM"
status="$(curl -s -o "$data/signup.json" -w '%{http_code}' -H 'content-type: application/json' \
  -d "{\"username\":\"$name\",\"email\":\"$name@example.com\",\"password\":\"correct horse battery\"}" "$gateway/v1/accounts")"
[[ "$status" == 201 ]] || fail "sign-up through the gateway answered $status: $(cat "$data/signup.json")"
echo "  sign-up through the gateway: $status"
for pid in "${pids[@]}"; do kill -TERM "$pid"; done
for pid in "${pids[@]}"; do wait "$pid" || fail "a service did not exit cleanly on SIGTERM"; done
pids=()
echo "dist smoke: ok (every service from dist, stopped cleanly)"
