#!/usr/bin/env bash
# SeaweedFS (Apache-2.0) as the S3-compatible object store of the distributed mode, without Docker:
# built once from the Go module proxy (the module is copied out of the read-only module cache,
# `go install` refuses it because of a replace directive) and cached outside the work tree.
#
#   scripts/seaweedfs.sh build | up | down | kill | start | status | env | logs
#
#   build   build (or reuse) the cached `weed` binary and print its path
#   up      build if needed, then start `weed server -s3` with a fresh data dir and an S3 identity
#   down    stop it and remove its data
#   kill    SIGKILL it, keep its data (fault tests: the store dies mid-request)
#   start   start it again on the data it has (after kill)
#   env     print the BLOB_STORE=s3 settings for a service (eval "$(scripts/seaweedfs.sh env)")
#
# Environment: INFRA_S3_PORT (29333); SeaweedFS's other ports follow it: master +1, volume +2,
#   filer +3, and their gRPC ports +4, +5, +6, the S3 gRPC port +7. INFRA_S3_BUCKET (images), INFRA_S3_ACCESS_KEY (instagram),
#   INFRA_S3_SECRET_KEY (instagram-secret), INFRA_SEAWEEDFS_VERSION, INFRA_DIR (<repo>/.infra),
#   INFRA_CACHE_DIR (~/.cache/instagram-infra), INFRA_TIMEOUT seconds (120).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
INFRA_DIR="${INFRA_DIR:-$ROOT/.infra}"
VERSION="${INFRA_SEAWEEDFS_VERSION:-v0.0.0-20261109003541-7506e5f91cd6}"
CACHE_DIR="${INFRA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/instagram-infra}"
WEED="$CACHE_DIR/seaweedfs-$VERSION/weed"
S3_PORT="${INFRA_S3_PORT:-29333}"
MASTER_PORT=$((S3_PORT + 1))
VOLUME_PORT=$((S3_PORT + 2))
FILER_PORT=$((S3_PORT + 3))
BUCKET="${INFRA_S3_BUCKET:-images}"
ACCESS_KEY="${INFRA_S3_ACCESS_KEY:-instagram}"
SECRET_KEY="${INFRA_S3_SECRET_KEY:-instagram-secret}"
TIMEOUT="${INFRA_TIMEOUT:-120}"

S3_HOME="$INFRA_DIR/seaweedfs"
DATA_DIR="$S3_HOME/data"
CONFIG_FILE="$S3_HOME/s3.json"
PID_FILE="$INFRA_DIR/run/seaweedfs.pid"
LOG_FILE="$INFRA_DIR/logs/seaweedfs.log"
ENDPOINT="http://127.0.0.1:$S3_PORT"

say() { printf '[seaweedfs] %s\n' "$*" >&2; }
die() {
  say "ERROR: $*"
  exit 1
}

build() {
  if [[ -x "$WEED" ]]; then
    echo "$WEED"
    return
  fi
  if ! command -v go >/dev/null && [[ -x /usr/local/go/bin/go ]]; then PATH="/usr/local/go/bin:$PATH"; fi
  command -v go >/dev/null || die "go not found (the Go toolchain builds SeaweedFS)"
  local module src work
  say "downloading github.com/seaweedfs/seaweedfs@$VERSION from the Go module proxy"
  module="$(go mod download -json "github.com/seaweedfs/seaweedfs@$VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [[ -d "$module" ]] || die "go mod download gave no module dir"
  work="$(mktemp -d)"
  src="$work/seaweedfs"
  cp -r "$module" "$src"
  chmod -R u+w "$src"
  say "building weed (several minutes on 2 cores; cached in $(dirname "$WEED"))"
  (cd "$src" && CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o "$work/weed" ./weed) >&2
  mkdir -p "$(dirname "$WEED")"
  mv "$work/weed" "$WEED.tmp"
  mv "$WEED.tmp" "$WEED"
  rm -rf "$work"
  echo "$WEED"
}

running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

write_identity() {
  cat >"$CONFIG_FILE" <<EOF
{
  "identities": [
    {
      "name": "instagram",
      "credentials": [{ "accessKey": "$ACCESS_KEY", "secretKey": "$SECRET_KEY" }],
      "actions": ["Admin", "Read", "List", "Tagging", "Write"]
    }
  ]
}
EOF
}

# The S3 gateway answers before the filer and volume server are ready to store; an anonymous
# request gets 403 once signature checking is up. Readiness is the bucket's creation (see `up`).
wait_s3() {
  local deadline=$((SECONDS + TIMEOUT))
  until curl -s -o /dev/null "$ENDPOINT/"; do
    running_pid >/dev/null || die "weed exited; see $LOG_FILE"
    ((SECONDS < deadline)) || die "S3 not answering on $ENDPOINT after ${TIMEOUT}s; see $LOG_FILE"
    sleep 0.5
  done
}

# Creates the bucket (or finds it there) through weed's own shell, which talks to the master: no
# S3 client needed here.
create_bucket() {
  local deadline=$((SECONDS + TIMEOUT)) said
  for (( ; ; )); do
    said="$(echo "s3.bucket.create -name $BUCKET" |
      "$WEED" shell -master="127.0.0.1:$MASTER_PORT.$((S3_PORT + 4))" 2>&1 || true)"
    grep -qiE "created|already exists" <<<"$said" && return
    ((SECONDS < deadline)) || die "could not create bucket $BUCKET ($said); see $LOG_FILE"
    sleep 1
  done
}

# Waits until a volume can be assigned: until then an upload fails with "no writable volumes".
wait_writable() {
  local deadline=$((SECONDS + TIMEOUT))
  until curl -sf "http://127.0.0.1:$MASTER_PORT/dir/assign" | grep -q '"fid"'; do
    ((SECONDS < deadline)) || die "no writable volume after ${TIMEOUT}s; see $LOG_FILE"
    sleep 0.5
  done
}

up() {
  if running_pid >/dev/null; then
    say "already running on $ENDPOINT"
    return
  fi
  build >/dev/null
  rm -rf "$S3_HOME"
  mkdir -p "$DATA_DIR" "$(dirname "$PID_FILE")" "$(dirname "$LOG_FILE")"
  write_identity
  say "starting on $ENDPOINT (master $MASTER_PORT, volume $VOLUME_PORT, filer $FILER_PORT)"
  start_weed
  wait_s3
  wait_writable
  create_bucket
  say "ready: bucket $BUCKET"
}

start_weed() {
  setsid "$WEED" server -ip=127.0.0.1 -ip.bind=127.0.0.1 -dir="$DATA_DIR" \
    -master.port="$MASTER_PORT" -volume.port="$VOLUME_PORT" -filer.port="$FILER_PORT" \
    -master.port.grpc=$((S3_PORT + 4)) -volume.port.grpc=$((S3_PORT + 5)) -filer.port.grpc=$((S3_PORT + 6)) \
    -s3.port.grpc=$((S3_PORT + 7)) -s3.port.iceberg=0 -s3.port.lance=0 \
    -master.volumeSizeLimitMB=64 -volume.max=0 -master.raftHashicorp \
    -s3 -s3.port="$S3_PORT" -s3.config="$CONFIG_FILE" \
    </dev/null >>"$LOG_FILE" 2>&1 &
  echo $! >"$PID_FILE"
}

stop() {
  local signal="$1" pid
  if pid="$(running_pid)"; then
    kill "-$signal" -- "-$pid" 2>/dev/null || kill "-$signal" "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 30))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  fi
  rm -f "$PID_FILE"
}

start_again() {
  running_pid >/dev/null && return
  [[ -f "$CONFIG_FILE" ]] || die "no data to start on: run up"
  say "starting again on $ENDPOINT"
  start_weed
  wait_s3
  wait_writable
  create_bucket
}

print_env() {
  cat <<EOF
export BLOB_STORE=s3
export S3_ENDPOINT=$ENDPOINT
export S3_BUCKET=$BUCKET
export S3_REGION=us-east-1
export S3_ACCESS_KEY_ID=$ACCESS_KEY
export S3_SECRET_ACCESS_KEY=$SECRET_KEY
export S3_FORCE_PATH_STYLE=true
EOF
}

case "${1:-}" in
  build) build ;;
  up) up ;;
  down)
    stop TERM
    rm -rf "$S3_HOME"
    ;;
  kill) stop KILL ;;
  start) start_again ;;
  status)
    if pid="$(running_pid)"; then echo "seaweedfs: running (pid $pid) on $ENDPOINT"; else echo "seaweedfs: stopped"; fi
    ;;
  env) print_env ;;
  logs) tail -n 100 "$LOG_FILE" ;;
  *)
    echo "usage: $0 build|up|down|kill|start|status|env|logs" >&2
    exit 2
    ;;
esac
