#!/usr/bin/env bash
# Builds an OpenTelemetry Collector with the OpenTelemetry Collector Builder
# (ocb, go.opentelemetry.io/collector/cmd/builder) from the Go module proxy and
# caches it in ${EPICENTER_CACHE:-~/.cache/epicenter}/otelcol-<version>/, once
# per manifest content (like the Kafka jars in scripts/lib/kafka.sh).
# Prints the binary's path on stdout. Needs Go (1.24+) and the network to the
# module proxy on the first run; later runs are a cache hit.
#
#   EPICENTER_COLLECTOR_HOSTMETRICS=0  build without the hostmetrics receiver
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
log() { printf '[collector] %s\n' "$*" >&2; }
die() { printf '[collector] ERROR: %s\n' "$*" >&2; exit 1; }

MANIFEST="$HERE/manifest.yaml"
VERSION=$(sed -n 's/^  version: *//p' "$MANIFEST" | head -n1)
BUILDER_VERSION=v0.165.0
[[ -n $VERSION ]] || die "cannot read dist.version from $MANIFEST"
CACHE="${EPICENTER_CACHE:-$HOME/.cache/epicenter}/otelcol-$VERSION"
BIN="$CACHE/otelcol-epicenter"
MARKER="$CACHE/.complete"

command -v go >/dev/null 2>&1 || die "go is not on PATH (the builder needs Go 1.24+)"

mkdir -p "$CACHE"
manifest="$CACHE/manifest.yaml"
if [[ ${EPICENTER_COLLECTOR_HOSTMETRICS:-1} == 0 ]]; then
  grep -v 'hostmetricsreceiver' "$MANIFEST" >"$manifest.tmp"
else
  cp "$MANIFEST" "$manifest.tmp"
fi
want=$(sha256sum "$manifest.tmp" | cut -d' ' -f1)
if [[ -x $BIN && -f $MARKER && $(cat "$MARKER") == "$want" ]]; then
  rm -f "$manifest.tmp"
  printf '%s\n' "$BIN"
  exit 0
fi
mv "$manifest.tmp" "$manifest"

builder="$CACHE/bin/builder"
if [[ ! -x $builder ]]; then
  log "installing the collector builder $BUILDER_VERSION into $CACHE/bin"
  GOBIN="$CACHE/bin" go install "go.opentelemetry.io/collector/cmd/builder@$BUILDER_VERSION" \
    || die "go install go.opentelemetry.io/collector/cmd/builder@$BUILDER_VERSION failed"
fi

log "building otelcol-epicenter $VERSION in $CACHE/src (several minutes on 2 cores)"
rm -rf "$CACHE/src" "$MARKER"
t0=$(date +%s)
# nice: the build shares a small machine with running services and tests.
if ! nice -n 10 "$builder" --config "$manifest" --output-path "$CACHE/src" >"$CACHE/build.log" 2>&1; then
  tail -n 40 "$CACHE/build.log" >&2
  die "the collector build failed (full log: $CACHE/build.log)"
fi
mv -f "$CACHE/src/otelcol-epicenter" "$BIN"
echo "$want" >"$MARKER"
log "built $BIN in $(($(date +%s) - t0)) s"
printf '%s\n' "$BIN"
