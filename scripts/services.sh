#!/usr/bin/env bash
# Local services for development and integration tests:
#   Kafka 4.x single-node KRaft  PLAINTEXT 127.0.0.1:9092, controller 127.0.0.1:9093
#   ClickHouse (Debian package)  HTTP 127.0.0.1:8123, native TCP 127.0.0.1:9000
#
# Usage: scripts/services.sh <command>
#   up                 install what is missing, start both, wait until ready (idempotent)
#   down               stop both (SIGTERM, SIGKILL after 20 s); data is kept
#   down-verified      down, then fail unless both services' ports are free (used by npm test)
#   status             one line per service; exit 0 only if both are up and answering
#   restart-kafka      stop + start Kafka (data kept)
#   stop-kafka | start-kafka | stop-clickhouse | start-clickhouse
#                      for fault-injection tests; data is kept across stop/start
#   env                print connection settings as shell assignments
#   kafka-class CLASS [ARGS...]
#                      run a Kafka tool with the broker's classpath, e.g.
#                      kafka-class org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:9092 --list
#
# State (configs, data, logs, pids) lives in .services/ at the repo root
# (override with EPICENTER_SERVICES_DIR); downloaded Kafka jars in
# ${EPICENTER_CACHE:-~/.cache/epicenter}/kafka-<version>/lib.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
STATE_DIR=${EPICENTER_SERVICES_DIR:-$ROOT/.services}
mkdir -p "$STATE_DIR"
STATE_DIR=$(cd "$STATE_DIR" && pwd -P)
cd "$ROOT"

# shellcheck source=scripts/lib/common.sh
source "$ROOT/scripts/lib/common.sh"
# shellcheck source=scripts/lib/kafka.sh
source "$ROOT/scripts/lib/kafka.sh"
# shellcheck source=scripts/lib/clickhouse.sh
source "$ROOT/scripts/lib/clickhouse.sh"

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//' >&2
  exit "${1:-2}"
}

# Serialises commands that change state (two `up`s racing, a test calling
# stop-kafka while another calls up). fd 9 is closed in spawned daemons.
take_lock() {
  exec 9>"$STATE_DIR/.lock"
  flock -w 600 9 || die "could not lock $STATE_DIR/.lock within 600 s"
}

cmd_up() {
  local t0
  t0=$(now_ms)
  take_lock
  # ClickHouse first: its install (apt) and start are quick, and it starts
  # while nothing else competes for the two cores.
  ch_start
  kafka_start
  log "all services up in $(($(now_ms) - t0)) ms"
  cmd_status || true
}

cmd_down() {
  take_lock
  kafka_stop
  ch_stop
}

cmd_down_verified() {
  cmd_down
  local p busy=0
  for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT" "$CH_HTTP_PORT" "$CH_TCP_PORT"; do
    if port_open 127.0.0.1 "$p"; then
      echo "port 127.0.0.1:$p still taken after down: $(port_owner "$p")" >&2
      busy=1
    fi
  done
  return "$busy"
}

cmd_status() {
  local rc=0
  ch_status || rc=1
  kafka_status || rc=1
  return "$rc"
}

cmd_env() {
  cat <<EOF
KAFKA_BROKERS=$KAFKA_HOST:$KAFKA_PORT
CLICKHOUSE_URL=$CH_URL
CLICKHOUSE_TCP=$CH_HOST:$CH_TCP_PORT
EOF
}

main() {
  local cmd=${1:-}
  shift || true
  case $cmd in
  up) cmd_up ;;
  down) cmd_down ;;
  down-verified) cmd_down_verified ;;
  status) cmd_status ;;
  restart-kafka) take_lock && kafka_stop && kafka_start ;;
  stop-kafka) take_lock && kafka_stop ;;
  start-kafka) take_lock && kafka_start ;;
  stop-clickhouse) take_lock && ch_stop ;;
  start-clickhouse) take_lock && ch_start ;;
  env) cmd_env ;;
  kafka-class)
    (($# >= 1)) || die "usage: services.sh kafka-class MAIN_CLASS [ARGS...]"
    kafka_class "$@"
    ;;
  -h | --help | help) usage 0 ;;
  *) usage 2 ;;
  esac
}

main "$@"
