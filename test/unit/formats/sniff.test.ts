import assert from 'node:assert/strict';
import { decodeMetricsFile } from '../../../src/formats';
import { fixture } from './helpers';

describe('formats/decodeMetricsFile', () => {
  it('sniffs OTLP NDJSON, a pretty OTLP document, collectd JSON and CSV by the first non-blank character', () => {
    const otlp = decodeMetricsFile(fixture('otlp-collector.ndjson'), { file: 'a.ndjson' });
    assert.ok(otlp.values.some((s) => s.series.metric === 'process.open_file_descriptors'));
    const pretty = decodeMetricsFile(`\n\n${fixture('otlp-pretty.json')}`, { file: 'b.json' });
    assert.deepEqual(pretty.errors, []);
    assert.equal(pretty.values.length, 2);
    const collectd = decodeMetricsFile(fixture('collectd.ndjson'), { file: 'c.json' });
    assert.ok(collectd.values.every((s) => s.series.metric.startsWith('collectd.')));
    const csv = decodeMetricsFile(fixture('nyc_taxi.csv'), { file: 'nyc_taxi.csv' });
    assert.deepEqual(csv.values.map((s) => s.series.metric), ['nyc_taxi', 'nyc_taxi', 'nyc_taxi']);
  });

  it('a UTF-8 byte-order mark does not break JSON files', () => {
    const r = decodeMetricsFile(`\ufeff${fixture('otlp-pretty.json')}`, { file: 'bom.json' });
    assert.deepEqual(r.errors, []);
    assert.equal(r.values.length, 2);
  });

  it('empty text decodes to nothing', () => {
    assert.deepEqual(decodeMetricsFile('  \n', {}), { values: [], errors: [] });
  });
});
