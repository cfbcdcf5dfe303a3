#!/usr/bin/env bash
# The main job on the embedded default (`npm start`): installs what is missing, builds, and replays the
# bundled incident through the in-process bus and store, then serves the HTTP API. No Kafka or ClickHouse needed.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/tsc ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run --silent build
echo "What-if: would the incident's cause have been caught before it shipped? (exit status 1 = predicted breach)"
echo "  npx epicenter whatif --metrics examples/incident/metrics.ndjson --changes examples/incident/changes.ndjson --topology examples/incident/topology.yaml --propose examples/incident/proposal.json"
echo
exec node bin/epicenter.js demo "$@"
