import assert from 'node:assert/strict';
import { epochAutoToMs, nanosToMs, parseIsoTime, parseRfc3339 } from '../../../src/formats/time';

describe('formats/time', () => {
  it('ISO 8601: zone-less is UTC (regression: Date.parse reads "2014-02-14 14:30:00" as local time)', () => {
    assert.equal(parseIsoTime('2014-02-14 14:30:00'), Date.UTC(2014, 1, 14, 14, 30));
    assert.equal(parseIsoTime('2014-02-14T14:30'), Date.UTC(2014, 1, 14, 14, 30));
    assert.equal(parseIsoTime('2014-02-14'), Date.UTC(2014, 1, 14));
  });

  it('offsets, fractions (truncated to ms), comma decimal, lower-case z', () => {
    assert.equal(parseIsoTime('2024-05-01T12:00:00.123456789-05:30'), Date.UTC(2024, 4, 1, 17, 30, 0, 123));
    assert.equal(parseIsoTime('2024-05-01T12:00:00,5+0100'), Date.UTC(2024, 4, 1, 11, 0, 0, 500));
    assert.equal(parseIsoTime('2024-05-01t12:00:00z'), Date.UTC(2024, 4, 1, 12));
  });

  it('rejects impossible dates and junk', () => {
    for (const s of ['2023-02-29T00:00:00Z', '2024-13-01', '2024-05-01T24:00:00Z', 'yesterday', '1714564800', '2024-5-1']) {
      assert.equal(parseIsoTime(s), undefined, s);
    }
    assert.equal(parseIsoTime('2024-02-29T00:00:00Z'), Date.UTC(2024, 1, 29));
  });

  it('RFC 3339 requires a zone', () => {
    assert.equal(parseRfc3339('2024-05-01T12:00:00'), undefined);
    assert.equal(parseRfc3339('2024-05-01'), undefined);
    assert.equal(parseRfc3339('2024-05-01T12:00:00Z'), Date.UTC(2024, 4, 1, 12));
  });

  it('nanoseconds: strings cut exactly, numbers accepted, junk refused', () => {
    assert.equal(nanosToMs('1714564800123999999'), 1714564800123);
    assert.equal(nanosToMs(1714564800123000000), 1714564800123);
    assert.equal(nanosToMs('12'), 0);
    for (const x of ['-1', '1.5e18', '', 1.5, -3, null, undefined, {}]) assert.equal(nanosToMs(x), undefined, JSON.stringify(x));
  });

  it('epoch seconds vs ms', () => {
    assert.equal(epochAutoToMs(1714564800), 1714564800000);
    assert.equal(epochAutoToMs(1714564800000), 1714564800000);
  });
});
