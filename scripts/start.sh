#!/usr/bin/env bash
# The main job on the embedded default (`npm start`): installs what is missing, builds, and replays the
# bundled incident through the in-process bus and store, then serves the HTTP API. No Kafka or ClickHouse needed.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/tsc ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run --silent build
exec node bin/epicenter.js demo "$@"
