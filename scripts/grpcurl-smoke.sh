#!/usr/bin/env bash
# grpcurl — a gRPC client from another ecosystem (Go), built once from the Go module proxy and
# cached — against the embedded stack, with no .proto files except where said:
#   - every port lists its services through server reflection and answers grpc.health.v1.Health;
#   - a service's method is called with the descriptors reflection gave;
#   - the gateway's port answers a gRPC call to a service method Unimplemented, with a reason.
# Ports: GRPC_SMOKE_PORT (default 21080) for the gateway and the next four for the services.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${DEPLOY_TOOLS_DIR:-$HOME/.cache/instagram-deploy}"
GRPCURL_VERSION=v1.9.3
BASE="${GRPC_SMOKE_PORT:-21080}"
export PATH="$ROOT/node_modules/.bin:$PATH"

if [[ ! -x "$TOOLS/bin/grpcurl" ]]; then
  echo "building grpcurl $GRPCURL_VERSION from the Go module proxy into $TOOLS/bin"
  GOBIN="$TOOLS/bin" go install "github.com/fullstorydev/grpcurl/cmd/grpcurl@$GRPCURL_VERSION"
fi
grpcurl() { "$TOOLS/bin/grpcurl" -plaintext -max-time 10 "$@"; }

DATA="$(mktemp -d)"
LOG="$DATA/stack.log"
cd "$ROOT"
PORT_GATEWAY=$BASE PORT_AUTH=$((BASE + 1)) PORT_USER=$((BASE + 2)) PORT_IMAGE=$((BASE + 3)) \
  PORT_COMMENT=$((BASE + 4)) DATA_DIR="$DATA" LOG_LEVEL=warn \
  node --conditions=@instagram/source --import tsx packages/stack/src/main.ts >"$LOG" 2>&1 &
STACK=$!
stop() {
  kill "$STACK" 2>/dev/null || true
  wait "$STACK" 2>/dev/null || true
  rm -rf "$DATA"
}
trap stop EXIT

for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$BASE/readyz" >/dev/null && break
  kill -0 "$STACK" 2>/dev/null || {
    cat "$LOG"
    exit 1
  }
  sleep 0.5
done

failures=0
expect() { # expect WHAT EXPECTED_TEXT ACTUAL_TEXT
  if [[ "$3" == *"$2"* ]]; then
    echo "ok    $1"
  else
    echo "FAIL  $1: expected '$2' in:"
    echo "$3" | sed 's/^/        /'
    failures=$((failures + 1))
  fi
}

declare -A rpc=([gateway]="" [auth]=instagram.auth.v1.AuthService [user]=instagram.user.v1.UserService
  [image]=instagram.image.v1.ImageService [comment]=instagram.comment.v1.CommentService)
port=$BASE
for name in gateway auth user image comment; do
  target="127.0.0.1:$port"
  listed="$(grpcurl "$target" list 2>&1 || true)"
  expect "$name ($target) lists grpc.health.v1.Health" grpc.health.v1.Health "$listed"
  expect "$name lists grpc.reflection.v1.ServerReflection" grpc.reflection.v1.ServerReflection "$listed"
  [[ -n "${rpc[$name]}" ]] && expect "$name lists ${rpc[$name]}" "${rpc[$name]}" "$listed"
  expect "$name is SERVING" '"status": "SERVING"' "$(grpcurl "$target" grpc.health.v1.Health/Check 2>&1 || true)"
  port=$((port + 1))
done

expect "auth's GetJwks, called with reflected descriptors only" '"jwksJson"' \
  "$(grpcurl -d '{}' "127.0.0.1:$((BASE + 1))" instagram.auth.v1.AuthService/GetJwks 2>&1 || true)"
expect "auth describes Login from reflection" "rpc Login" \
  "$(grpcurl "127.0.0.1:$((BASE + 1))" describe instagram.auth.v1.AuthService 2>&1 || true)"
expect "the gateway answers a gRPC call Unimplemented, with a reason" "Code: Unimplemented" \
  "$(grpcurl -import-path proto -proto instagram/auth/v1/auth.proto -d '{}' "127.0.0.1:$BASE" \
    instagram.auth.v1.AuthService/GetJwks 2>&1 || true)"

if ((failures > 0)); then
  echo "grpcurl smoke: $failures failed"
  exit 1
fi
echo "grpcurl smoke: all passed"
