#!/usr/bin/env bash
# A real Prometheus Alertmanager for epicenter's integration tests (Debian's prometheus-alertmanager, 0.25).
#
# Usage: scripts/alertmanager.sh <command>
#   install                       install the Debian package when the binary is missing
#                                 (apt-get update first only when the package is not known to apt)
#   run CONFIG PORT DATADIR       install if needed, then exec Alertmanager in the foreground on
#                                 127.0.0.1:PORT with CONFIG, storing state in DATADIR, clustering off.
#                                 The caller owns the process (its pid is Alertmanager's own pid).
#   bin                           print the path of the binary (after install)
#
# The package's own service is never started: Debian's default listens on :9093, which is the Kafka
# controller port of scripts/services.sh.
set -euo pipefail

BIN=${EPICENTER_ALERTMANAGER_BIN:-}

find_bin() {
  if [[ -n $BIN && -x $BIN ]]; then printf '%s' "$BIN"; return 0; fi
  local c
  for c in /usr/bin/prometheus-alertmanager "$(command -v prometheus-alertmanager 2>/dev/null || true)" "$(command -v alertmanager 2>/dev/null || true)"; do
    if [[ -n $c && -x $c ]]; then printf '%s' "$c"; return 0; fi
  done
  return 1
}

install_pkg() {
  find_bin >/dev/null && return 0
  ((EUID == 0)) || { echo "alertmanager.sh: need root to apt-get install prometheus-alertmanager" >&2; exit 1; }
  # Keep apt runs of parallel test jobs from colliding, and keep the package's service from starting.
  exec 8>/tmp/epicenter-alertmanager-install.lock
  flock -w 900 8 || { echo "alertmanager.sh: install lock busy for 900 s" >&2; exit 1; }
  find_bin >/dev/null && return 0
  local made_policy=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && made_policy=1
  fi
  local rc=0
  if ! apt-cache show prometheus-alertmanager >/dev/null 2>&1; then
    echo "alertmanager.sh: apt-get update" >&2
    apt-get -o DPkg::Lock::Timeout=600 update -qq >&2 || rc=$?
  fi
  if ((rc == 0)); then
    echo "alertmanager.sh: apt-get install prometheus-alertmanager" >&2
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends prometheus-alertmanager >&2 || rc=$?
  fi
  ((made_policy == 1)) && rm -f /usr/sbin/policy-rc.d
  ((rc == 0)) || { echo "alertmanager.sh: install failed (rc $rc)" >&2; exit "$rc"; }
  find_bin >/dev/null || { echo "alertmanager.sh: installed, but no alertmanager binary found" >&2; exit 1; }
}

cmd=${1:-}
case $cmd in
  install) install_pkg ;;
  bin) install_pkg; find_bin; echo ;;
  run)
    [[ $# -eq 4 ]] || { echo "usage: $0 run CONFIG PORT DATADIR" >&2; exit 2; }
    config=$2 port=$3 data=$4
    [[ -r $config ]] || { echo "alertmanager.sh: cannot read config $config" >&2; exit 2; }
    [[ $port =~ ^[0-9]+$ ]] || { echo "alertmanager.sh: port must be a number, got '$port'" >&2; exit 2; }
    install_pkg
    mkdir -p "$data"
    exec "$(find_bin)" \
      --config.file="$config" \
      --storage.path="$data" \
      --web.listen-address="127.0.0.1:$port" \
      --cluster.listen-address= \
      --log.level=warn
    ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
