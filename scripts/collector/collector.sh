#!/usr/bin/env bash
# A real OpenTelemetry Collector (otlp + hostmetrics receivers, span_metrics connector, batch processor, kafka exporter),
# built once by ./build.sh with the OpenTelemetry Collector Builder and cached like the Kafka jars.
#
# Usage: scripts/collector/collector.sh <command>
#   build               build it (or find it in the cache) and print the binary's path
#   start NAME CONFIG   start collector NAME with the YAML file CONFIG, detached; returns once it
#                       logs "Everything is ready" (or fails with the log's tail after 60 s)
#   stop NAME           SIGTERM (SIGKILL after 20 s)
#   status NAME         one line; exit 0 when running
#
# State (pid, log) lives in ${EPICENTER_SERVICES_DIR:-.services}/collector-NAME/.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=$(cd "$HERE/../.." && pwd -P)
STATE_DIR=${EPICENTER_SERVICES_DIR:-$ROOT/.services}
# shellcheck source=scripts/lib/common.sh
source "$ROOT/scripts/lib/common.sh"

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//' >&2
  exit 2
}

name_dir() {
  [[ ${1:-} =~ ^[A-Za-z0-9_.-]+$ ]] || die "collector name must be [A-Za-z0-9_.-]+, got '${1:-}'"
  printf '%s/collector-%s' "$STATE_DIR" "$1"
}

# The pid's command line must hold the binary and its config: a recycled pid is not ours.
collector_pid() {
  local dir=$1 pid
  pid=$(read_pid "$dir/pid")
  if [[ -n $pid ]] && pid_alive "$pid" "--config=$dir/config.yaml"; then printf '%s' "$pid"; fi
}

cmd_start() {
  local name=${1:-} config=${2:-} dir bin pid deadline
  [[ -n $name && -f $config ]] || usage
  dir=$(name_dir "$name")
  mkdir -p "$dir"
  pid=$(collector_pid "$dir")
  [[ -z $pid ]] || die "collector $name already runs (pid $pid)"
  bin=$(bash "$HERE/build.sh")
  cp "$config" "$dir/config.yaml"
  : >"$dir/collector.log"
  spawn_daemon "$dir/pid" "$dir/collector.log" "$dir" "$bin" "--config=$dir/config.yaml"
  pid=$(read_pid "$dir/pid")
  deadline=$(($(date +%s) + ${COLLECTOR_READY_TIMEOUT:-60}))
  until grep -q 'Everything is ready' "$dir/collector.log"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      show_log_tail "collector $name" "$dir/collector.log"
      die "collector $name exited during start-up"
    fi
    if (($(date +%s) >= deadline)); then
      show_log_tail "collector $name" "$dir/collector.log"
      die "collector $name not ready after ${COLLECTOR_READY_TIMEOUT:-60}s"
    fi
    sleep 0.2
  done
  log "collector $name up (pid $pid, log $dir/collector.log)"
}

cmd_stop() {
  local dir pid
  dir=$(name_dir "${1:-}")
  pid=$(collector_pid "$dir")
  if [[ -n $pid ]]; then stop_pid "collector ${1}" "$pid" "--config=$dir/config.yaml" 20; fi
  rm -f "$dir/pid"
}

cmd_status() {
  local dir pid
  dir=$(name_dir "${1:-}")
  pid=$(collector_pid "$dir")
  if [[ -n $pid ]]; then
    printf 'collector-%s  UP    pid %s  log %s\n' "$1" "$pid" "$dir/collector.log"
  else
    printf 'collector-%s  DOWN\n' "$1"
    return 1
  fi
}

case ${1:-} in
  build) bash "$HERE/build.sh" ;;
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  status) shift; cmd_status "$@" ;;
  *) usage ;;
esac
