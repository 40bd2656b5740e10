#!/usr/bin/env bash
# Local infrastructure for the distributed mode, without Docker:
#   PostgreSQL (Debian's binaries, throwaway data dir) and Apache Kafka 4.x in KRaft combined mode
#   (jars from Maven Central, cached outside the work tree).
#
#   scripts/infra.sh up | down | status | env | logs
#   scripts/infra.sh kafka-stop | kafka-start      (keep Kafka's data: for fault tests)
#   scripts/infra.sh pg-stop | pg-start            (immediate stop, a crash as far as the data goes;
#                                                   keeps the data dir: for fault tests)
#
# Environment: INFRA_PG_PORT (25432), INFRA_KAFKA_PORT (29092), INFRA_KAFKA_CONTROLLER_PORT (29093),
#   INFRA_KAFKA_VERSION (4.1.1), INFRA_TIMEOUT seconds per service (120), INFRA_DIR (<repo>/.infra),
#   INFRA_CACHE_DIR (~/.cache/instagram-infra), INFRA_PG_BIN (newest /usr/lib/postgresql/*/bin),
#   INFRA_S3=1: SeaweedFS too, an S3-compatible store (scripts/seaweedfs.sh: its INFRA_S3_* settings;
#   `env` then also prints BLOB_STORE=s3 and the S3_* settings),
#   INFRA_KAFKA_OPTS (extra JVM flags, default -XX:TieredStopAtLevel=1),
#   INFRA_DURABLE=1: PostgreSQL with fsync and synchronous_commit on (fault tests: an acknowledged
#   commit must survive a crash); default off, fast throwaway settings for the ordinary suites.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
INFRA_DIR="${INFRA_DIR:-$ROOT/.infra}"
PG_PORT="${INFRA_PG_PORT:-25432}"
KAFKA_PORT="${INFRA_KAFKA_PORT:-29092}"
CONTROLLER_PORT="${INFRA_KAFKA_CONTROLLER_PORT:-29093}"
KAFKA_VERSION="${INFRA_KAFKA_VERSION:-4.1.1}"
LOG4J_VERSION="2.24.3"   # the log4j-core that kafka-server $KAFKA_VERSION depends on
SLF4J_VERSION="2.0.17"   # kafka's pom pulls slf4j-api 1.7, which cannot bind to log4j-slf4j2-impl
TIMEOUT="${INFRA_TIMEOUT:-120}"
CACHE_DIR="${INFRA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/instagram-infra}"
KAFKA_LIBS="$CACHE_DIR/kafka-$KAFKA_VERSION/libs"
PG_USER_OS="postgres"
DB_NAME="instagram"

LOG_DIR="$INFRA_DIR/logs"
RUN_DIR="$INFRA_DIR/run"
KAFKA_HOME="$INFRA_DIR/kafka"
KAFKA_DATA="$KAFKA_HOME/data"
KAFKA_PID_FILE="$RUN_DIR/kafka.pid"
PG_PATH_FILE="$RUN_DIR/pgdata.path"

DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/$DB_NAME"
KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT"

say() { printf '[infra] %s\n' "$*" >&2; }
die() {
  say "ERROR: $*"
  exit 1
}

# ---------------------------------------------------------------- PostgreSQL

pg_bin() {
  if [[ -n "${INFRA_PG_BIN:-}" ]]; then
    echo "$INFRA_PG_BIN"
    return
  fi
  local initdb
  initdb="$(printf '%s\n' /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)"
  [[ -x "$initdb" ]] || die "PostgreSQL server binaries not found (apt-get install -y postgresql)"
  dirname "$initdb"
}

# Runs a command as the unprivileged PostgreSQL user when we are root (initdb refuses root).
as_pg() {
  if [[ "$(id -u)" == "0" ]]; then
    runuser -u "$PG_USER_OS" -- "$@"
  else
    "$@"
  fi
}

ensure_pg_user() {
  [[ "$(id -u)" == "0" ]] || return 0
  if ! id -u "$PG_USER_OS" >/dev/null 2>&1; then
    say "creating system user $PG_USER_OS"
    useradd --system --no-create-home --shell /bin/sh "$PG_USER_OS"
  fi
}

# The data dir lives under .infra/ unless the postgres user cannot reach it (e.g. a clone under
# /root): then a private dir under /tmp. The choice is remembered for `down`.
pg_data_dir() {
  if [[ -f "$PG_PATH_FILE" ]]; then
    cat "$PG_PATH_FILE"
    return
  fi
  local dir="$INFRA_DIR/pg"
  if [[ "$(id -u)" == "0" ]] && ! runuser -u "$PG_USER_OS" -- test -x "$INFRA_DIR"; then
    dir="$(mktemp -d /tmp/instagram-infra-pg.XXXXXX)"
  fi
  echo "$dir" >"$PG_PATH_FILE"
  echo "$dir"
}

pg_ready() {
  "$(pg_bin)/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -t 2
}

pg_running() {
  [[ -f "$PG_PATH_FILE" ]] || return 1
  local data
  data="$(cat "$PG_PATH_FILE")"
  [[ -f "$data/postmaster.pid" ]] && as_pg "$(pg_bin)/pg_ctl" -D "$data" status >/dev/null 2>&1
}

pg_up() {
  local bin data log
  bin="$(pg_bin)"
  ensure_pg_user
  if pg_running && pg_ready; then
    say "postgres already up on 127.0.0.1:$PG_PORT"
    return 0
  fi
  if pg_ready; then
    die "port $PG_PORT already answers PostgreSQL but not from $INFRA_DIR (set INFRA_PG_PORT)"
  fi
  data="$(pg_data_dir)"
  log="$LOG_DIR/postgres.log"
  : >"$log"
  if [[ ! -f "$data/PG_VERSION" ]]; then
    say "initdb $data ($("$bin/postgres" --version))"
    mkdir -p "$data"
    if [[ "$(id -u)" == "0" ]]; then chown "$PG_USER_OS" "$data"; fi
    chmod 700 "$data"
    as_pg "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C --no-sync >>"$log" 2>&1 ||
      fail_with_log "initdb failed" "$log"
  fi
  pg_start_server "$bin" "$data" "$log"
  wait_until "postgres" pg_ready "$log"
  if ! "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" | grep -q 1; then
    "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qc "CREATE DATABASE $DB_NAME" >/dev/null
  fi
  say "postgres up: $DATABASE_URL"
}

# Starts the server on an initialised data dir. No unix socket (its default dir may not exist or be
# writable). Throwaway data: no fsync, unless INFRA_DURABLE=1 (the setting is kept in the run dir so
# a pg-start after pg-stop starts the server as it was). The log is opened here (not with -l) so the
# postgres user need not reach $LOG_DIR.
pg_start_server() {
  local bin="$1" data="$2" log="$3" durable="${INFRA_DURABLE:-}" settings
  if [[ -z "$durable" && -f "$RUN_DIR/pg.durable" ]]; then durable="$(cat "$RUN_DIR/pg.durable")"; fi
  if [[ "$durable" == "1" ]]; then
    settings="-c fsync=on -c synchronous_commit=on -c full_page_writes=on"
  else
    durable=0
    settings="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  fi
  echo "$durable" >"$RUN_DIR/pg.durable"
  say "starting postgres on 127.0.0.1:$PG_PORT (durable=$durable)"
  as_pg "$bin/pg_ctl" -D "$data" -s -w -t "$TIMEOUT" start \
    -o "-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories='' -c max_connections=300 $settings" \
    >>"$log" 2>&1 </dev/null || fail_with_log "postgres did not start" "$log"
}

# An immediate stop (no checkpoint; the next start replays the WAL, as after a crash); data kept.
pg_stop_immediate() {
  [[ -f "$PG_PATH_FILE" ]] || die "postgres was not started by this script (no $PG_PATH_FILE)"
  local data
  data="$(cat "$PG_PATH_FILE")"
  say "stopping postgres (immediate)"
  as_pg "$(pg_bin)/pg_ctl" -D "$data" -s -m immediate -w -t 60 stop || say "pg_ctl stop failed"
}

pg_start_again() {
  [[ -f "$PG_PATH_FILE" ]] || die "postgres was not started by this script (no $PG_PATH_FILE)"
  if pg_running && pg_ready; then
    say "postgres already up on 127.0.0.1:$PG_PORT"
    return 0
  fi
  local log="$LOG_DIR/postgres.log"
  pg_start_server "$(pg_bin)" "$(cat "$PG_PATH_FILE")" "$log"
  wait_until "postgres" pg_ready "$log"
  say "postgres up: $DATABASE_URL"
}

pg_down() {
  [[ -f "$PG_PATH_FILE" ]] || return 0
  local data
  data="$(cat "$PG_PATH_FILE")"
  if [[ -f "$data/postmaster.pid" ]]; then
    say "stopping postgres"
    as_pg "$(pg_bin)/pg_ctl" -D "$data" -s -m fast -w -t 60 stop || say "pg_ctl stop failed"
  fi
  rm -rf "$data"
  rm -f "$PG_PATH_FILE"
}

# ---------------------------------------------------------------- Kafka

# Fetches kafka_2.13 and its runtime dependencies with Maven, once per version and machine.
kafka_libs() {
  if [[ -f "$KAFKA_LIBS/.complete" ]]; then
    return 0
  fi
  command -v mvn >/dev/null || die "maven not found (apt-get install -y maven)"
  say "fetching Kafka $KAFKA_VERSION jars from Maven Central into $KAFKA_LIBS"
  local work
  work="$(mktemp -d)"
  cat >"$work/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.infra</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId><version>$SLF4J_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>$LOG4J_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j2-impl</artifactId><version>$LOG4J_VERSION</version></dependency>
  </dependencies>
</project>
EOF
  if ! mvn -B -q -f "$work/pom.xml" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$work/libs" >"$work/mvn.log" 2>&1; then
    tail -n 40 "$work/mvn.log" >&2
    rm -rf "$work"
    die "maven could not fetch Kafka $KAFKA_VERSION"
  fi
  mkdir -p "$(dirname "$KAFKA_LIBS")"
  rm -rf "$KAFKA_LIBS"
  mv "$work/libs" "$KAFKA_LIBS"
  touch "$KAFKA_LIBS/.complete"
  rm -rf "$work"
  say "fetched $(find "$KAFKA_LIBS" -name '*.jar' | wc -l) jars"
}

kafka_config() {
  mkdir -p "$KAFKA_HOME"
  cat >"$KAFKA_HOME/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$KAFKA_DATA
num.partitions=3
default.replication.factor=1
min.insync.replicas=1
auto.create.topics.enable=true
delete.topic.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=24
num.network.threads=2
num.io.threads=4
EOF
  cat >"$KAFKA_HOME/log4j2.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="WARN">
  <Appenders>
    <Console name="stdout" target="SYSTEM_OUT">
      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
    </Console>
  </Appenders>
  <Loggers>
    <Root level="INFO"><AppenderRef ref="stdout"/></Root>
    <Logger name="kafka.request.logger" level="WARN"/>
    <Logger name="state.change.logger" level="WARN"/>
    <Logger name="org.apache.kafka.controller" level="WARN"/>
    <Logger name="kafka.log.LogCleaner" level="WARN"/>
    <Logger name="org.apache.kafka.storage.internals.log" level="WARN"/>
  </Loggers>
</Configuration>
EOF
}

# C1 only (TieredStopAtLevel=1) halves the start on 2 busy cores; a test broker needs no peak
# throughput. INFRA_KAFKA_OPTS replaces it (e.g. INFRA_KAFKA_OPTS= for a benchmark).
read -r -a kafka_opts <<<"${INFRA_KAFKA_OPTS--XX:TieredStopAtLevel=1}"
kafka_jvm=(
  -Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true "${kafka_opts[@]}"
  -Dlog4j2.configurationFile="$KAFKA_HOME/log4j2.xml" -Dkafka.logs.dir="$LOG_DIR" -cp "$KAFKA_LIBS/*"
)

kafka_pid() {
  [[ -f "$KAFKA_PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$KAFKA_PID_FILE")"
  if kill -0 "$pid" 2>/dev/null && grep -q "kafka.Kafka" "/proc/$pid/cmdline" 2>/dev/null; then
    echo "$pid"
    return 0
  fi
  return 1
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# A real check: a Kafka client lists topics (kafkajs from node_modules); TCP only without it.
kafka_ready() {
  port_open "$KAFKA_PORT" || return 1
  if command -v node >/dev/null && [[ -d "$ROOT/node_modules/kafkajs" ]]; then
    KAFKA_BROKERS="$KAFKA_BROKERS" node "$ROOT/scripts/kafka-probe.mjs" ready >/dev/null 2>&1
  fi
}

kafka_start() {
  if kafka_pid >/dev/null && kafka_ready; then
    say "kafka already up on $KAFKA_BROKERS"
    return 0
  fi
  if port_open "$KAFKA_PORT" && ! kafka_pid >/dev/null; then
    die "port $KAFKA_PORT is taken by another process (set INFRA_KAFKA_PORT)"
  fi
  command -v java >/dev/null || die "java (17+) not found (apt-get install -y openjdk-17-jre-headless)"
  kafka_libs
  kafka_config
  local log="$LOG_DIR/kafka.log"
  if [[ ! -f "$KAFKA_DATA/meta.properties" ]]; then
    local cluster_id="-"
    while [[ "$cluster_id" == -* ]]; do # a leading dash would read as a flag
      cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
    done
    say "formatting Kafka storage (cluster $cluster_id)"
    : >"$log"
    java "${kafka_jvm[@]}" kafka.tools.StorageTool format --standalone -t "$cluster_id" \
      -c "$KAFKA_HOME/server.properties" >>"$log" 2>&1 || fail_with_log "kafka storage format failed" "$log"
  fi
  say "starting Kafka $KAFKA_VERSION (KRaft broker+controller) on $KAFKA_BROKERS"
  # Its own session, so a terminal hangup does not take it down; it writes its own pid (setsid may
  # fork) and is stopped by that pid only.
  rm -f "$KAFKA_PID_FILE"
  # shellcheck disable=SC2016 # expanded by the inner shell
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$KAFKA_PID_FILE" \
    java "${kafka_jvm[@]}" kafka.Kafka "$KAFKA_HOME/server.properties" >>"$log" 2>&1 </dev/null &
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -s "$KAFKA_PID_FILE" ]] && break
    sleep 0.1
  done
  wait_until "kafka" kafka_ready "$log" kafka_alive
  say "kafka up: $KAFKA_BROKERS"
}

kafka_alive() { kafka_pid >/dev/null; }

kafka_stop() {
  local pid
  if pid="$(kafka_pid)"; then
    say "stopping kafka (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    local i
    for ((i = 0; i < 300; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      say "kafka did not stop in 30 s; killing"
      kill -KILL "$pid" 2>/dev/null || true
      while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    fi
  fi
  rm -f "$KAFKA_PID_FILE"
}

# ---------------------------------------------------------------- common

fail_with_log() {
  say "ERROR: $1; last lines of $2:"
  tail -n 60 "$2" >&2 || true
  exit 1
}

# wait_until NAME CHECK LOG [ALIVE]: polls CHECK until it passes, ALIVE fails, or TIMEOUT.
wait_until() {
  local name="$1" check="$2" log="$3" alive="${4:-}" start=$SECONDS next=5
  until "$check"; do
    if [[ -n "$alive" ]] && ! "$alive"; then
      fail_with_log "$name exited during start" "$log"
    fi
    if ((SECONDS - start >= TIMEOUT)); then
      fail_with_log "$name did not answer within ${TIMEOUT}s" "$log"
    fi
    if ((SECONDS - start >= next)); then
      say "waiting for $name... $((SECONDS - start))s"
      next=$((next + 5))
    fi
    sleep 0.5
  done
}

cmd_up() {
  mkdir -p "$LOG_DIR" "$RUN_DIR"
  chmod 755 "$INFRA_DIR"
  local start=$SECONDS
  pg_up
  kafka_start
  if [[ "${INFRA_S3:-}" == "1" ]]; then bash "$ROOT/scripts/seaweedfs.sh" up; fi
  say "infra up in $((SECONDS - start))s"
  cmd_env
}

cmd_down() {
  bash "$ROOT/scripts/seaweedfs.sh" down
  kafka_stop
  pg_down
  rm -rf "$KAFKA_HOME" "$RUN_DIR"
  say "infra down (logs kept in $LOG_DIR)"
}

cmd_status() {
  local rc=0
  if pg_running && pg_ready; then
    echo "postgres: up   $DATABASE_URL"
  else
    echo "postgres: down"
    rc=1
  fi
  local pid
  if pid="$(kafka_pid)" && kafka_ready; then
    echo "kafka:    up   $KAFKA_BROKERS (pid $pid, Kafka $KAFKA_VERSION)"
  else
    echo "kafka:    down"
    rc=1
  fi
  if [[ "${INFRA_S3:-}" == "1" ]]; then bash "$ROOT/scripts/seaweedfs.sh" status || rc=1; fi
  return "$rc"
}

cmd_env() {
  echo "export DATABASE_URL=$DATABASE_URL"
  echo "export KAFKA_BROKERS=$KAFKA_BROKERS"
  if [[ "${INFRA_S3:-}" == "1" ]]; then bash "$ROOT/scripts/seaweedfs.sh" env; fi
}

cmd_logs() {
  tail -n "${1:-50}" "$LOG_DIR/postgres.log" "$LOG_DIR/kafka.log" 2>/dev/null || true
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  env) cmd_env ;;
  logs) cmd_logs "${2:-50}" ;;
  kafka-stop) kafka_stop ;;
  kafka-start)
    mkdir -p "$LOG_DIR" "$RUN_DIR"
    kafka_start
    ;;
  pg-stop) pg_stop_immediate ;;
  pg-start) pg_start_again ;;
  *)
    echo "usage: $0 up|down|status|env|logs [n]|kafka-stop|kafka-start|pg-stop|pg-start" >&2
    exit 2
    ;;
esac
