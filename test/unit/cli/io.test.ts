import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAnalyzeCommand } from '../../../src/cli/commands/analyze';
import { loadChangeFiles, loadMetricFiles } from '../../../src/cli/io';
import { isEpicenterError } from '../../../src/errors';

const INCIDENT = 'examples/incident';

describe('cli: reading input files', function () {
  this.timeout(60_000);
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'epicenter-cli-io-'));
    writeFileSync(join(dir, 'empty.ndjson'), '');
    writeFileSync(join(dir, 'binary.dat'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37 + 11) % 256)));
    writeFileSync(join(dir, 'fds.csv'), 'timestamp,value\n2026-03-12T13:00:00Z,400\n2026-03-12T13:01:00Z,401\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const nothingUsable = (file: string) => (e: unknown) => isEpicenterError(e) && e.code === 'BAD_INPUT' && e.origin.file === file && /no usable metric points/.test(e.message);

  it('an empty metrics file, a change file or a binary file given as metrics gave "#1 97%" (exit 0); now BAD_INPUT naming the file', async () => {
    for (const f of [join(dir, 'empty.ndjson'), join(INCIDENT, 'changes.ndjson'), join(dir, 'binary.dat')]) {
      assert.throws(() => loadMetricFiles([f]), nothingUsable(f), f);
      await assert.rejects(runAnalyzeCommand({ metrics: [f], changes: [join(INCIDENT, 'changes.ndjson')], service: 'checkout-api', at: '2026-03-12T13:19:00Z' }), nothingUsable(f), f);
    }
  });

  it('a change file whose every record is rejected is an error naming it, not exit 3', () => {
    const f = join(INCIDENT, 'topology.yaml');
    assert.throws(() => loadChangeFiles([f]), (e) => isEpicenterError(e) && e.origin.file === f && /no usable change events \(all \d+ records were rejected/.test(e.message));
    assert.deepEqual(loadChangeFiles([join(dir, 'empty.ndjson')]).changes, []);
  });

  it('the same change file twice listed every suspect twice; (source, id) now identifies one change', async () => {
    const f = join(INCIDENT, 'changes.ndjson');
    assert.equal(loadChangeFiles([f, f]).changes.length, loadChangeFiles([f]).changes.length);
    const ask = (changes: string[]) => runAnalyzeCommand({ metrics: [join(INCIDENT, 'metrics.ndjson')], changes, topology: join(INCIDENT, 'topology.yaml'), service: 'checkout-api', at: '2026-03-12T13:19:00Z' });
    const [once, twice] = [await ask([f]), await ask([f, f])];
    assert.deepEqual(twice.analysis.suspects.map((s) => [s.id, s.score]), once.analysis.suspects.map((s) => [s.id, s.score]));
  });

  it('a metrics file longer than one string can hold (simulate --services 1000: 630 MB) was refused; it is read in line-aligned pieces, errors naming its own lines', () => {
    const lines = readFileSync(join(INCIDENT, 'metrics.ndjson'), 'utf8').split('\n');
    lines.splice(200, 0, '{"resourceMetrics": 7}');
    const f = join(dir, 'long.ndjson');
    writeFileSync(f, lines.join('\n'));
    const whole = loadMetricFiles([f]);
    const pieces = loadMetricFiles([f], {}, { oneText: 1000, piece: 64 * 1024 });
    assert.equal(pieces.samples.length, whole.samples.length);
    assert.deepEqual(pieces.samples.map((x) => [x.series.id, x.t, x.v]), whole.samples.map((x) => [x.series.id, x.t, x.v]));
    assert.deepEqual(pieces.rejected.map((e) => e.describe()), whole.rejected.map((e) => e.describe()));
    assert.equal(pieces.rejected[0]?.origin.line, 201);
    assert.throws(() => loadMetricFiles([f], {}, { oneText: 1000, piece: 1000 }), (e) => isEpicenterError(e) && e.code === 'BAD_INPUT' && e.origin.line === 1 && /longer than 1000 bytes/.test(e.message));
  });

  it('a CSV series belongs to the service given (detect --service/--metric; analyze: the service asked about)', () => {
    const s = loadMetricFiles([join(dir, 'fds.csv')], { service: 'checkout-api', metric: 'process.open_file_descriptor.count' }).samples;
    assert.equal(s.length, 2);
    assert.equal(s[0]!.series.service, 'checkout-api');
    assert.equal(s[0]!.series.metric, 'process.open_file_descriptor.count');
  });
});
