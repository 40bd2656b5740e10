#!/usr/bin/env bash
# Deno: `deno check` of every packages/*/src/main.deno.ts, then auth, user, image and the gateway
# each under Deno (its own process, the deno binary itself), and through the gateway's REST API:
# sign up, log in, read the profile (made from the account's event, through Kafka), upload an image
# (the gateway's fetch path to image-service, sharp on Deno) and read its thumbnail. Then SIGTERM to
# each: every one must exit 0, and no deno process may be left (on any exit, also Ctrl-C).
#
# Kafka and PostgreSQL: KAFKA_BROKERS (and DATABASE_URL) from the environment, e.g. after
# `eval "$(bash scripts/infra.sh env)"`; without KAFKA_BROKERS the script starts scripts/infra.sh
# itself (its INFRA_* settings apply) and stops it again. Without DATABASE_URL each service keeps
# PGlite in a throwaway directory; image files go where BLOB_STORE says (S3 in CI). Ports: DENO_SMOKE_PORT (default 21070) for the gateway, the next
# three for auth, user, image.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/node_modules/.bin:$PATH"
cd "$ROOT"
# The binary itself, not node_modules/.bin/deno (a Node wrapper that would take the signals and leave
# Deno running); install_api finds it in the platform's @deno/* package, offline.
DENO="$(node -p 'require("deno/install_api.cjs").runInstall()')"
BASE="${DENO_SMOKE_PORT:-21070}"
WORK="$(mktemp -d)"
declare -A PIDS=()
STARTED_INFRA=0

stop_all() {
  local name
  for name in "${!PIDS[@]}"; do kill -TERM "${PIDS[$name]}" 2>/dev/null || true; done
  for _ in $(seq 1 50); do
    local alive=0
    for name in "${!PIDS[@]}"; do kill -0 "${PIDS[$name]}" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.2
  done
  for name in "${!PIDS[@]}"; do kill -KILL "${PIDS[$name]}" 2>/dev/null || true; done
  if ((STARTED_INFRA)); then bash scripts/infra.sh down >/dev/null 2>&1 || true; fi
  kill "$WATCHDOG" 2>/dev/null || true
  rm -rf "$WORK"
}
trap stop_all EXIT
trap 'exit 130' INT TERM
# npm does not pass SIGTERM on to its script (`timeout 60 npm run test:deno` kills npm alone): when
# the parent goes away, stop as on a signal, so that no deno process outlives the run.
PARENT=$PPID
(while kill -0 "$PARENT" 2>/dev/null; do sleep 1; done; kill -TERM $$ 2>/dev/null) &
WATCHDOG=$!

echo "> deno check (every main.deno.ts)"
mapfile -t entries < <(ls packages/*/src/main.deno.ts)
# In the background, so that a signal to this script (trap above) stops it at once.
"$DENO" check --quiet --conditions=@instagram/source "${entries[@]}" &
PIDS[check]=$!
wait "${PIDS[check]}"
unset "PIDS[check]"
echo "ok    deno check: ${entries[*]}"

if [[ -z "${KAFKA_BROKERS:-}" ]]; then
  echo "> no KAFKA_BROKERS: starting scripts/infra.sh for this run"
  bash scripts/infra.sh up
  STARTED_INFRA=1
  eval "$(bash scripts/infra.sh env)"
fi

declare -A PORTS=([gateway]=$BASE [auth]=$((BASE + 1)) [user]=$((BASE + 2)) [image]=$((BASE + 3)))
# Each service keeps its own DATA_DIR, so they cannot share the dev default of the service-token
# key: one key for the run, given to all.
SERVICE_TOKEN_KEY="$(node -e 'process.stdout.write(require("node:crypto").randomBytes(32).toString("base64url"))')"
url() { echo "http://127.0.0.1:${PORTS[$1]}"; }
start() { # start NAME PACKAGE
  mkdir -p "$WORK/$1"
  PORT="${PORTS[$1]}" HOST=127.0.0.1 DATA_DIR="$WORK/$1" LOG_LEVEL=warn KAFKA_NAMESPACE="deno-smoke-$$" \
    SERVICE_TOKEN_KEY="$SERVICE_TOKEN_KEY" \
    AUTH_SERVICE_URL="$(url auth)" USER_SERVICE_URL="$(url user)" IMAGE_SERVICE_URL="$(url image)" \
    COMMENT_SERVICE_URL="http://127.0.0.1:9" \
    "$DENO" run -A --quiet --conditions=@instagram/source "packages/$2/src/main.deno.ts" >"$WORK/$1.log" 2>&1 &
  PIDS[$1]=$!
}
wait_healthy() { # wait_healthy NAME
  for _ in $(seq 1 240); do
    curl -sf --max-time 5 "$(url "$1")/healthz" >/dev/null && return 0
    kill -0 "${PIDS[$1]}" 2>/dev/null || break
    sleep 0.5
  done
  echo "FAIL  $1 on Deno did not answer /healthz:"
  cat "$WORK/$1.log"
  return 1
}

echo "> auth, user, image and the gateway on Deno"
start auth auth-service
start user user-service
start image image-service
start gateway gateway
for name in auth user image gateway; do wait_healthy "$name"; done
echo "ok    /healthz on each"

gateway="$(url gateway)"
json() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s);const r=process.argv[1].split(".").reduce((o,k)=>o?.[k],v);if(r===undefined){console.error("no "+process.argv[1]+" in "+s);process.exit(1)}console.log(r)})' "$1"; }
curl -sf --max-time 60 -X POST "$gateway/v1/accounts" -H 'content-type: application/json' \
  -d '{"username":"deno_smoke","email":"deno_smoke@example.com","password":"correct horse"}' | json username >/dev/null
token="$(curl -sf --max-time 60 -X POST "$gateway/v1/auth/login" -H 'content-type: application/json' \
  -d '{"username":"deno_smoke","password":"correct horse"}' | json accessToken)"
echo "ok    signed up and logged in through the gateway"
for attempt in $(seq 1 60); do
  profile="$(curl -s --max-time 10 "$gateway/v1/users/deno_smoke" -H "authorization: Bearer $token")"
  [[ "$profile" == *'"username":"deno_smoke"'* ]] && break
  ((attempt < 60)) || { echo "FAIL  no profile (the account's event never reached user-service): $profile"; exit 1; }
  sleep 0.5
done
echo "ok    the profile, made from the account's event"

node -e 'require("sharp")({create:{width:640,height:480,channels:3,background:"#3a7"}}).png().toFile(process.argv[1])' "$WORK/upload.png"
image_id="$(curl -sf --max-time 60 -X POST "$gateway/v1/images" -H "authorization: Bearer $token" \
  -F caption="from deno" -F "file=@$WORK/upload.png;type=image/png" | json id)"
type="$(curl -sf --max-time 60 -o "$WORK/thumbnail" -w '%{content_type}' "$gateway/v1/images/$image_id/content?size=thumbnail")"
[[ "$type" == image/* && -s "$WORK/thumbnail" ]] || { echo "FAIL  thumbnail: content type '$type'"; exit 1; }
echo "ok    uploaded through the gateway (fetch path) to image-service (sharp on Deno); thumbnail $type"
# The verifiers poll auth's internal ListRevokedSessions with their service tokens; a refused one is logged.
if grep -l "service token refused" "$WORK"/*.log; then echo "FAIL  a service refused another's service token"; exit 1; fi
echo "ok    no service token refused"

for name in gateway image user auth; do
  kill -TERM "${PIDS[$name]}"
  rc=0
  wait "${PIDS[$name]}" || rc=$?
  unset "PIDS[$name]"
  ((rc == 0)) || { echo "FAIL  $name exited $rc on SIGTERM:"; tail -n 20 "$WORK/$name.log"; exit 1; }
done
echo "ok    each exited 0 on SIGTERM"
echo "deno smoke test passed"
