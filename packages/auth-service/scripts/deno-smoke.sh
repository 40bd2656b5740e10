#!/usr/bin/env bash
# Runs src/main.deno.ts under Deno (PGlite in a throwaway DATA_DIR, or DATABASE_URL), signs up and
# logs in over Connect JSON, then stops it with SIGTERM and expects a clean exit. A lone service
# needs Kafka: run it after `npm run infra:up` and `eval "$(bash scripts/infra.sh env)"`.
set -euo pipefail
: "${KAFKA_BROKERS:?KAFKA_BROKERS is required (npm run infra:up, then eval \"\$(bash scripts/infra.sh env)\")}"
root="$(cd "$(dirname "$0")/../../.." && pwd)"
# The binary itself: the npm wrapper (.bin/deno) would take the signal and leave Deno running.
deno="$(cd "$root" && node -p 'require("deno/install_api.cjs").runInstall()')"
port="${AUTH_DENO_SMOKE_PORT:-18581}"
data="$(mktemp -d)"
base="http://127.0.0.1:$port"
rpc="$base/instagram.auth.v1.AuthService"

cd "$root"
DATA_DIR="$data" PORT="$port" LOG_LEVEL=warn KAFKA_NAMESPACE="deno-smoke-$$" "$deno" run -A packages/auth-service/src/main.deno.ts &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$data"' EXIT

for _ in $(seq 1 180); do
  curl -fsS "$base/healthz" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { echo "deno exited before answering" >&2; exit 1; }
  sleep 1
done
curl -fsS "$base/.well-known/jwks.json" | grep -q '"kty":"OKP"'
curl -fsS -X POST "$rpc/SignUp" -H 'content-type: application/json' \
  -d '{"username":"deno_smoke","email":"deno@example.com","password":"correct horse"}' | grep -q '"username":"deno_smoke"'
curl -fsS -X POST "$rpc/Login" -H 'content-type: application/json' \
  -d '{"username":"deno_smoke","password":"correct horse"}' | grep -q '"accessToken"'

kill -TERM "$pid"
wait "$pid"
echo "deno smoke test passed"
