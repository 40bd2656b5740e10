#!/usr/bin/env bash
# Schemathesis (PyPI) against the embedded stack's gateway, from the document it serves
# (/openapi.json): every operation, anonymous requests and a signed-in user's bearer token.
# Fails on any server error and any answer the document does not describe (status code, content
# type, body schema). The tool lives in a venv cached outside the clone.
#   SCHEMATHESIS_PORT     the gateway's port (default 21090; the services take the next four)
#   SCHEMATHESIS_EXAMPLES test cases per operation and phase (default 40)
#   SCHEMATHESIS_MAX_TIME seconds for the whole run, a bound for CI (default 180)
#   SCHEMATHESIS_REPORTS  where the JUnit and NDJSON reports go (default: a temp dir, removed)
#   SCHEMATHESIS_SEED     a seed, to repeat a run
#   SCHEMATHESIS_CHECKS   other checks than CI's (e.g. "all", to see what the document still leaves loose)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION=4.32.5
VENV="${SCHEMATHESIS_VENV:-$HOME/.cache/instagram-ci/schemathesis-$VERSION}"
BASE="${SCHEMATHESIS_PORT:-21090}"
EXAMPLES="${SCHEMATHESIS_EXAMPLES:-40}"
MAX_TIME="${SCHEMATHESIS_MAX_TIME:-180}"
CHECKS="${SCHEMATHESIS_CHECKS:-not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance}"
GATEWAY="http://127.0.0.1:$BASE"
export PATH="$ROOT/node_modules/.bin:$PATH"

if [[ ! -x "$VENV/bin/st" ]]; then
  echo "installing schemathesis $VERSION into $VENV"
  rm -rf "$VENV"
  if ! python3 -m venv "$VENV"; then
    # Debian's python3 comes without venv (ensurepip) unless python3-venv is installed.
    rm -rf "$VENV"
    apt-get update -q && apt-get install -y -q --no-install-recommends python3-venv
    python3 -m venv "$VENV"
  fi
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$VERSION"
fi
"$VENV/bin/st" --version

DATA="$(mktemp -d)"
REPORTS="${SCHEMATHESIS_REPORTS:-$DATA/reports}"
mkdir -p "$REPORTS"
REPORTS="$(cd "$REPORTS" && pwd)"
LOG="$DATA/stack.log"
cd "$ROOT"
# One address sends every login: the per-client login limit would turn most of them into 429s.
PORT_GATEWAY=$BASE PORT_AUTH=$((BASE + 1)) PORT_USER=$((BASE + 2)) PORT_IMAGE=$((BASE + 3)) \
  PORT_COMMENT=$((BASE + 4)) DATA_DIR="$DATA/data" LOG_LEVEL=warn \
  LOGIN_RATE_CLIENT_MAX_ATTEMPTS=1000000 \
  node --conditions=@instagram/source --import tsx packages/stack/src/main.ts >"$LOG" 2>&1 &
STACK=$!
stop() {
  kill "$STACK" 2>/dev/null || true
  wait "$STACK" 2>/dev/null || true
  rm -rf "$DATA"
}
trap stop EXIT

for _ in $(seq 1 120); do
  curl -sf "$GATEWAY/healthz" >/dev/null && break
  kill -0 "$STACK" 2>/dev/null || {
    cat "$LOG"
    exit 1
  }
  sleep 0.5
done
curl -sf "$GATEWAY/healthz" >/dev/null || {
  echo "the gateway did not become healthy on $GATEWAY"
  cat "$LOG"
  exit 1
}

# A signed-in user: its access token goes with every request (operations without security too).
USERNAME="fuzz_$(date +%s)"
PASSWORD="fuzz-password-$RANDOM-$RANDOM"
curl -sf -X POST "$GATEWAY/v1/accounts" -H 'content-type: application/json' \
  -d "{\"username\":\"$USERNAME\",\"email\":\"$USERNAME@example.com\",\"password\":\"$PASSWORD\"}" >/dev/null
TOKEN="$(curl -sf -X POST "$GATEWAY/v1/auth/login" -H 'content-type: application/json' \
  -d "{\"username\":\"$USERNAME\",\"password\":\"$PASSWORD\"}" |
  node -e 'let s="";process.stdin.on("data",(d)=>{s+=d}).on("end",()=>process.stdout.write(JSON.parse(s).accessToken))')"
[[ -n "$TOKEN" ]] || {
  echo "could not log in as $USERNAME"
  exit 1
}

seed=()
[[ -n "${SCHEMATHESIS_SEED:-}" ]] && seed=(--seed "$SCHEMATHESIS_SEED")
rc=0
# From the temp dir: st keeps a cache (.schemathesis/) in its working directory.
cd "$DATA"
"$VENV/bin/st" --no-color run "$GATEWAY/openapi.json" \
  --checks "$CHECKS" \
  --header "Authorization: Bearer $TOKEN" \
  --max-examples "$EXAMPLES" --max-time "$MAX_TIME" --workers 2 \
  --request-timeout 20 --suppress-health-check all --generation-database none \
  --report junit,ndjson --report-dir "$REPORTS" \
  "${seed[@]}" || rc=$?

# A run that made the process fall over is a failure whatever the checks said.
if ! curl -sf "$GATEWAY/healthz" >/dev/null; then
  echo "the gateway is not healthy after the run"
  tail -n 50 "$LOG"
  rc=1
fi
if grep -q '"level":50\|"level":60' "$LOG"; then
  echo "errors logged by the stack during the run:"
  grep '"level":50\|"level":60' "$LOG" | head -n 20
fi
exit "$rc"
