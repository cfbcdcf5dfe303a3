import assert from 'node:assert/strict';
import { decodeCsvSeries } from '../../../src/formats';
import { fixture } from './helpers';

describe('formats/csv', () => {
  it('NAB-style file: header, zone-less timestamps read as UTC, empty value skipped, metric from the file name', () => {
    const r = decodeCsvSeries(fixture('nyc_taxi.csv'), { file: 'data/realKnownCause/nyc_taxi.csv' });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.values.map((s) => [s.t, s.v]), [
      [Date.UTC(2014, 6, 1, 0, 0), 10844],
      [Date.UTC(2014, 6, 1, 0, 30), 8127],
      [Date.UTC(2014, 6, 1, 1, 30), 6210],
    ]);
    const s = r.values[0]!.series;
    assert.equal(s.metric, 'nyc_taxi');
    assert.equal(s.service, 'unknown');
    assert.equal(s.id, 'nyc_taxi{service.name="unknown"}');
  });

  it('no header; epoch seconds (fractional) and epoch ms', () => {
    const r = decodeCsvSeries(fixture('epoch.csv'), { file: 'epoch.csv' }, { metric: 'fds', service: 'jobs-a' });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.values.map((s) => [s.t, s.v]), [[1714564800000, 1.5], [1714564860500, 2], [1714564920000, 3.25]]);
    assert.equal(r.values[0]!.series.service, 'jobs-a');
    assert.equal(r.values[0]!.series.metric, 'fds');
  });

  it('bad lines are reported with their line number and field; good lines still decode', () => {
    const r = decodeCsvSeries(fixture('bad.csv'), { file: 'bad.csv' });
    assert.deepEqual(r.values.map((s) => [s.t, s.v]), [[Date.UTC(2024, 4, 1, 12, 0), 1], [Date.UTC(2024, 4, 1, 10, 6), 7]]);
    assert.deepEqual(r.errors.map((e) => [e.origin.line, e.origin.field]), [
      [3, 'timestamp'],
      [4, 'value'],
      [5, 'value'],
      [6, 'timestamp'],
      [7, 'value'],
    ]);
    assert.match(r.errors[0]!.describe(), /^bad\.csv:3: timestamp: not an ISO 8601 time/);
  });

  it('a header in another order is followed by name', () => {
    const r = decodeCsvSeries('value,timestamp\n5,2024-05-01T00:00:00Z\n', {});
    assert.deepEqual(r.values.map((s) => [s.t, s.v]), [[Date.UTC(2024, 4, 1), 5]]);
    assert.equal(r.values[0]!.series.metric, 'value');
  });

  it('a stray or unclosed quote loses only its own line (regression: csv-parse garbled every later line)', () => {
    const text = '2024-05-01T00:00:00Z,1\n2024-05-01T00:01:00Z,"2"x\n\n2024-05-01T00:02:00Z,3\n"\n2024-05-01T00:04:00Z,5\n';
    const r = decodeCsvSeries(text, { file: 'q.csv' });
    assert.deepEqual(r.values.map((s) => s.v), [1, 3, 5]);
    assert.deepEqual(r.errors.map((e) => e.origin.line), [2, 5]);
    assert.match(r.errors[0]!.describe(), /^q\.csv:2: unreadable CSV: Invalid Closing Quote/);
  });

  it('Origin.line offsets the reported line numbers; a future timestamp is rejected against Origin.now', () => {
    const r = decodeCsvSeries('2024-05-01T00:00:00Z,1\n2024-05-09T00:00:00Z,2\n', { file: 'x.csv', line: 100, now: Date.UTC(2024, 4, 1) });
    assert.equal(r.values.length, 1);
    assert.equal(r.errors[0]!.origin.line, 101);
    assert.match(r.errors[0]!.message, /future/);
  });
});
