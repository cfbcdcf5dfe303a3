import assert from 'node:assert/strict';
import { createProcessor } from '../../../src/pipeline/processor';
import { SeriesTable } from '../../../src/pipeline/series-table';
import type { BusBatch, SeriesSpan } from '../../../src/pipeline/types';
import { makeSeries } from '../../../src/domain/series';
import type { DetectorSlots } from '../../../src/detect';
import { otlpGauges } from './otlp';

const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);
const EVERY = 300_000;

function batch(points: { metric: string; t: number; v: number }[], offset = 0): BusBatch {
  const value = Buffer.from(otlpGauges('a', points));
  return { kind: 'otlp', topic: 'metrics', partition: 0, messages: [{ offset: String(offset), key: null, value, timestamp: T0 }] };
}

/** The spans of one batch as metric → [first, last]. */
function spans(series: readonly SeriesSpan[] | undefined): Record<string, [number, number]> {
  return Object.fromEntries((series ?? []).map((s) => [s.series.metric, [s.first, s.last]]));
}

describe('pipeline: series rows (clickhouse.seriesEveryMs)', () => {
  it('a series first seen gets one row carrying its first and last sample time in the batch', () => {
    const p = createProcessor({ now: () => T0, seriesEveryMs: EVERY, detect: false });
    const rows = p.process(batch([{ metric: 'fds', t: T0 - 3000, v: 1 }, { metric: 'fds', t: T0 - 1000, v: 2 }, { metric: 'fds', t: T0 - 5000, v: 3 }, { metric: 'conns', t: T0 - 2000, v: 4 }]));
    assert.deepEqual(spans(rows.series), { fds: [T0 - 5000, T0 - 1000], conns: [T0 - 2000, T0 - 2000] });
    assert.equal(rows.series?.[0]?.series, rows.samples[0]?.series, 'the row names the canonical SeriesRef');
  });

  it('no second row within seriesEveryMs, another once it has passed', () => {
    let now = T0;
    const p = createProcessor({ now: () => now, seriesEveryMs: EVERY, detect: false });
    assert.deepEqual(spans(p.process(batch([{ metric: 'fds', t: now - 1000, v: 1 }])).series), { fds: [T0 - 1000, T0 - 1000] });
    for (const dt of [1000, 60_000, EVERY - 1]) {
      now = T0 + dt;
      const rows = p.process(batch([{ metric: 'fds', t: now - 1000, v: 1 }, { metric: 'new', t: now - 500, v: 1 }]));
      assert.deepEqual(spans(rows.series), dt === 1000 ? { new: [now - 500, now - 500] } : {}, `at +${dt} ms`);
    }
    now = T0 + EVERY + EVERY / 8;
    assert.deepEqual(spans(p.process(batch([{ metric: 'fds', t: now - 1000, v: 1 }])).series), { fds: [now - 1000, now - 1000] });
  });

  it('a series forgotten for idleness gets a row again when it comes back', () => {
    let now = T0;
    const p = createProcessor({ now: () => now, seriesEveryMs: 3_600_000, seriesIdleMs: 60_000, detect: false });
    p.process(batch([{ metric: 'fds', t: now - 1000, v: 1 }]));
    now = T0 + 120_000;
    p.process(batch([{ metric: 'other', t: now - 1000, v: 1 }]));
    assert.equal(p.stats().evictedSeries, 1);
    assert.deepEqual(spans(p.process(batch([{ metric: 'fds', t: now - 10, v: 1 }])).series), { fds: [now - 10, now - 10] });
  });
});

describe('SeriesTable.rowDue', () => {
  const detector: DetectorSlots = { create: () => 0, release: () => undefined };
  const ref = makeSeries('fds', { 'service.name': 'a' });

  it('rows are never closer than rowEveryMs and at most rowEveryMs + 1/8 apart', () => {
    const every = 16_000;
    const t = new SeriesTable(detector, { rowEveryMs: every });
    const written: number[] = [];
    for (let now = T0; now < T0 + 10 * every; now += 250) {
      const e = t.touch(ref, now);
      if (t.rowDue(e, t.rowTick(now))) written.push(now);
    }
    assert.equal(written[0], T0);
    for (let i = 1; i < written.length; i++) {
      const gap = (written[i] as number) - (written[i - 1] as number);
      assert.ok(gap >= every && gap <= every + every / 8, `gap ${gap}`);
    }
    assert.ok(written.length >= 9);
  });

  it('refuses a rowEveryMs that is not a positive number', () => {
    assert.throws(() => new SeriesTable(detector, { rowEveryMs: 0 }), /rowEveryMs/);
  });
});
