#!/usr/bin/env bash
# The one test command (`npm test`): installs what is missing, lints, type-checks, runs the unit
# tests, brings up the real Kafka and ClickHouse (scripts/services.sh), runs the integration tests,
# and ends with the plain line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

if [ ! -x node_modules/.bin/mocha ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund || { echo "0 passed, 1 failed"; exit 1; }
fi

passed=0; failed=0
step() { # name, command… — a non-test step counts as one pass or one failure
  local name=$1; shift
  echo "== $name"
  if "$@"; then passed=$((passed + 1)); else echo "!! $name failed"; failed=$((failed + 1)); fi
}
mocha_run() { # label, mocha args… — counts mocha's own passing/failing lines
  local label=$1; shift
  echo "== $label"
  local log; log=$(mktemp)
  npx mocha "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local p f
  p=$(grep -Eo '^ +[0-9]+ passing' "$log" | grep -Eo '[0-9]+' | tail -1); p=${p:-0}
  f=$(grep -Eo '^ +[0-9]+ failing' "$log" | grep -Eo '[0-9]+' | tail -1); f=${f:-0}
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  passed=$((passed + p)); failed=$((failed + f))
  rm -f "$log"
}

step "build" npm run --silent build
step "lint" npx eslint .
step "typecheck" npx tsc -p tsconfig.json --noEmit
mocha_run "unit tests" 'test/unit/**/*.test.ts'
mocha_run "cli tests (README commands through npx, from the checkout and an npm pack install)" --timeout 900000 'test/cli/**/*.test.ts'

# Services this run starts, it stops at the end (also on Ctrl-C), so a second run from another clone
# finds the ports free. Set EPICENTER_KEEP_SERVICES=1 to leave them up for debugging; services that
# were already up before the run are left as they were.
started_services=0
stop_services() {
  if [ "$started_services" = 1 ] && [ "${EPICENTER_KEEP_SERVICES:-0}" != 1 ]; then
    started_services=0
    step "services down" bash scripts/services.sh down-verified
  fi
}
trap 'stop_services; exit 130' INT TERM

if [ -n "$(ls test/integration/*.test.ts 2>/dev/null)" ]; then
  if [ "${EPICENTER_SKIP_SERVICES:-0}" != 1 ]; then
    if ! bash scripts/services.sh status >/dev/null 2>&1; then started_services=1; fi
    step "services up" bash scripts/services.sh up
  fi
  mocha_run "integration tests" --timeout 300000 'test/integration/**/*.test.ts'
  stop_services
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
