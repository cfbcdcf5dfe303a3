import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';

/**
 * src/formats/otlp/proto-descriptor.json is the protobufjs JSON form of the vendored official
 * opentelemetry-proto files (vendor/opentelemetry-proto), so the pure decoder reads no files.
 * After updating the .proto files, regenerate it with
 *   UPDATE_OTLP_DESCRIPTOR=1 npx mocha test/unit/formats/otlp-descriptor.test.ts
 */
const ROOT = join(__dirname, '..', '..', '..');
const OUT = join(ROOT, 'src', 'formats', 'otlp', 'proto-descriptor.json');

function generate(): string {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(ROOT, 'vendor', 'opentelemetry-proto', target);
  root.loadSync('opentelemetry/proto/collector/metrics/v1/metrics_service.proto');
  root.resolveAll();
  return `${JSON.stringify(root.toJSON(), null, 1)}\n`;
}

describe('formats/otlp: the protobuf descriptor', () => {
  it('is the vendored opentelemetry-proto files, compiled', () => {
    const fresh = generate();
    if (process.env['UPDATE_OTLP_DESCRIPTOR'] === '1') writeFileSync(OUT, fresh);
    assert.equal(readFileSync(OUT, 'utf8'), fresh, 'stale: regenerate with UPDATE_OTLP_DESCRIPTOR=1 (see this file)');
  });
});
