#!/usr/bin/env bash
# Ensure Debian's chromium (and fonts for readable screenshots) is installed at /usr/bin/chromium.
# Idempotent and quick when already there; the headless timeline test calls it first.
# Usage: bash scripts/chromium.sh   → prints the chromium version on success.
set -euo pipefail
BIN=/usr/bin/chromium
if [[ ! -x $BIN ]]; then
  ((EUID == 0)) || { echo "chromium.sh: $BIN is missing and installing it needs root" >&2; exit 1; }
  # Serialise with other installers in this tree; apt's own lock waits too.
  exec 9>/tmp/epicenter-apt.lock
  flock -w 900 9
  if [[ ! -x $BIN ]]; then
    log=$(mktemp /tmp/chromium-install.XXXXXX.log)
    echo "chromium.sh: installing chromium with apt-get (log: $log)" >&2
    if ! { apt-get -o DPkg::Lock::Timeout=600 update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
        chromium fonts-dejavu-core fonts-liberation; } >"$log" 2>&1; then
      tail -n 30 "$log" >&2
      echo "chromium.sh: apt-get failed (full log: $log)" >&2
      exit 1
    fi
  fi
fi
"$BIN" --version 2>/dev/null  # its wrapper script prints a harmless shell warning on stderr
