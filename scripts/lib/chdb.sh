#!/usr/bin/env bash
# shellcheck shell=bash
# ClickHouse 26.9's engine as a library (PyPI `chdb-core`), for test/integration/clickhouse-modern.test.ts:
# no modern ClickHouse server can be installed here (Debian ships 18.16, no Docker), but chdb-core
# runs the same SQL parser, analyzer, table engines and formats as a 26.9 server.
#
# Run it (`bash scripts/lib/chdb.sh`) or source it and call `chdb_python`: either makes the venv
# once under ${EPICENTER_CACHE:-~/.cache/epicenter}/chdb-26.9.0 (a second run only checks it) and
# prints the venv's python path on stdout; progress and errors go to stderr.
#
# --no-deps: chdb-core declares pandas and pyarrow, which only its DataFrame/Arrow outputs import;
# the bridge (test/compat/chdb_bridge.py) asks for text formats, and skipping them saves ~330 MB
# and most of the install time.

CHDB_VERSION=26.9.0
CHDB_VENV="${EPICENTER_CACHE:-$HOME/.cache/epicenter}/chdb-$CHDB_VERSION"

chdb_log() { printf '[chdb] %s\n' "$*" >&2; }

# chdb_python: make the venv if needed (serialised by a lock: parallel runs build it once), print its python.
chdb_python() {
  local py="$CHDB_VENV/bin/python" marker="$CHDB_VENV/.complete"
  if [[ ! -f $marker ]]; then
    mkdir -p "$(dirname "$CHDB_VENV")"
    (
      flock 9
      [[ -f $marker ]] && exit 0
      local base t0
      base=$(command -v python3) || { chdb_log "ERROR: python3 is not installed (needed for chdb-core)"; exit 1; }
      t0=$(date +%s)
      chdb_log "making $CHDB_VENV (chdb-core==$CHDB_VERSION, a ~180 MB wheel; once)"
      rm -rf "$CHDB_VENV"
      "$base" -m venv "$CHDB_VENV" >&2 || { chdb_log "ERROR: '$base -m venv' failed (Debian: apt-get install python3-venv)"; exit 1; }
      "$CHDB_VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps "chdb-core==$CHDB_VERSION" >&2 \
        || { chdb_log "ERROR: pip install chdb-core==$CHDB_VERSION failed (is PyPI reachable?)"; exit 1; }
      touch "$marker"
      chdb_log "ready in $(($(date +%s) - t0)) s"
    ) 9>"$CHDB_VENV.lock" || return 1
  fi
  local v
  v=$("$py" -c 'import chdb; print(chdb.engine_version)' 2>&1) || { chdb_log "ERROR: $py cannot import chdb: $v (delete $CHDB_VENV to rebuild)"; return 1; }
  [[ $v == 26.9.* ]] || { chdb_log "ERROR: $CHDB_VENV runs ClickHouse $v, not 26.9 (delete it to rebuild)"; return 1; }
  printf '%s\n' "$py"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  chdb_python
fi
