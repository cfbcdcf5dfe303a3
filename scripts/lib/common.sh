# shellcheck shell=bash
# Small helpers shared by scripts/services.sh and its lib/*.sh parts.
# Sourced, never executed. Expects `set -euo pipefail` from the caller.

log() { printf '[services] %s\n' "$*" >&2; }
warn() { printf '[services] WARNING: %s\n' "$*" >&2; }
die() {
  printf '[services] ERROR: %s\n' "$*" >&2
  exit 1
}

# now_ms: wall clock in milliseconds (for timings and deadlines).
now_ms() { date +%s%3N; }

# port_open HOST PORT: true if a TCP connect succeeds within ~1 s.
port_open() {
  timeout 1 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
}

# port_owner PORT: "pid=N cmd=..." of the process listening on 127.0.0.1:PORT, if known.
port_owner() {
  local port=$1 line pid
  command -v ss >/dev/null 2>&1 || return 0
  line=$(ss -Hltnp "sport = :$port" 2>/dev/null | head -n1) || true
  pid=$(printf '%s' "$line" | sed -n 's/.*pid=\([0-9]*\).*/\1/p')
  if [[ -n $pid ]]; then
    printf 'pid=%s cmd=%s' "$pid" "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | cut -c1-200)"
  fi
}

# pid_alive PID MARKER: true if PID runs and its command line contains MARKER
# (guards against a recycled pid after a reboot or a crash).
pid_alive() {
  local pid=$1 marker=$2
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ -r /proc/$pid/cmdline ]] || return 1
  # a zombie has an empty cmdline and counts as dead
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$marker"
}

# read_pid FILE: prints the pid stored in FILE, or nothing.
read_pid() {
  if [[ -f $1 ]]; then tr -dc '0-9' <"$1" || true; fi
}

# stop_pid NAME PID MARKER [GRACE_SECONDS]: SIGTERM, wait, then SIGKILL.
stop_pid() {
  local name=$1 pid=$2 marker=$3 grace=${4:-20} deadline
  pid_alive "$pid" "$marker" || return 0
  log "stopping $name (pid $pid, SIGTERM)"
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$(($(date +%s) + grace))
  while pid_alive "$pid" "$marker"; do
    if (($(date +%s) >= deadline)); then
      warn "$name (pid $pid) still running after ${grace}s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.2
  done
  # a killed process may linger as a zombie only if we are its parent; we never are.
  if pid_alive "$pid" "$marker"; then
    die "could not stop $name (pid $pid)"
  fi
  log "$name stopped"
}

# spawn_daemon PIDFILE LOGFILE WORKDIR CMD...: runs CMD detached (own session,
# no stdin, immune to SIGHUP), appending stdout+stderr to LOGFILE; PIDFILE gets
# the pid of CMD itself (the bash wrapper execs into it, so the pid is exact).
spawn_daemon() {
  local pidfile=$1 logfile=$2 workdir=$3
  shift 3
  rm -f "$pidfile"
  (
    cd "$workdir" || exit 1
    exec 9>&- # the services lock (see take_lock) must not outlive this script
    # shellcheck disable=SC2016 # $$ and $@ are for the inner bash
    PIDFILE=$pidfile exec setsid nohup bash -c 'echo $$ >"$PIDFILE"; exec "$@"' bash "$@" \
      </dev/null >>"$logfile" 2>&1
  ) &
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -s $pidfile ]] && return 0
    sleep 0.1
  done
  die "could not start: $* (no pid file $pidfile)"
}

# show_log_tail NAME FILE [LINES]
show_log_tail() {
  local name=$1 file=$2 lines=${3:-60}
  if [[ -f $file ]]; then
    printf '[services] ---- last %s lines of %s (%s) ----\n' "$lines" "$name" "$file" >&2
    tail -n "$lines" "$file" >&2 || true
    printf '[services] ---- end of %s log ----\n' "$name" >&2
  fi
}

# apt_install PKG...: `apt-get update` then `apt-get install` (only called when
# something is missing, so the update cost is paid once per fresh machine).
apt_install() {
  ((EUID == 0)) || die "need root to apt-get install $* (or install them by hand)"
  log "apt-get update"
  apt-get update -qq >&2 || die "apt-get update failed"
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2 \
    || die "apt-get install $* failed"
}
