import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { detectSeries } from '../../../src/detect';
import { segmentLines } from '../../../src/detect/segment';
import { indexOf, rng, series } from './gen';

const DAY = 86_400_000;
const ROOT = resolve(__dirname, '..', '..', '..');

// Short inputs (15–200 samples: yearly economics, daily sensors, counts). Before the retrospective
// segmentation at flush a series shorter than 2·warmup = 32 samples never got a verdict, and a
// change in the first 32 samples of any series was never reported.
describe('detect: short series get a verdict at the end of the input', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`a 20-point series with one mean shift (5σ at 11) is found there (seed ${seed})`, () => {
      const r = rng(seed);
      const pts = series(20, DAY, (i) => 10 + r.normal() + (i >= 11 ? 5 : 0));
      const bs = detectSeries(pts);
      assert.equal(bs.length, 1, JSON.stringify(bs));
      assert.ok(Math.abs(indexOf(pts, bs[0]!.time) - 11) <= 1, String(indexOf(pts, bs[0]!.time)));
      assert.equal(bs[0]!.kind, 'level_up');
    });
    it(`a 15-point series: a shift is found, plain noise gives nothing (seed ${seed})`, () => {
      const r = rng(seed + 10);
      const shifted = series(15, DAY, (i) => 100 + 2 * r.normal() + (i >= 7 ? -12 : 0));
      const bs = detectSeries(shifted);
      assert.equal(bs.length, 1);
      assert.equal(bs[0]!.kind, 'level_down');
      assert.deepEqual(detectSeries(series(15, DAY, () => 100 + 2 * r.normal())), []);
    });
    it(`a change in the first 30 samples of a 150-sample series is found (seed ${seed})`, () => {
      const r = rng(seed + 20);
      const pts = series(150, DAY, (i) => 50 + r.normal() + (i >= 18 ? 4 : 0));
      const bs = detectSeries(pts);
      assert.ok(bs.some((b) => Math.abs(indexOf(pts, b.time) - 18) <= 3), JSON.stringify(bs.map((b) => indexOf(pts, b.time))));
    });
  }

  it('short noise and a steady trend give no cuts; AR(1) noise (φ = 0.6) rarely does', () => {
    let wandering = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const r = rng(seed);
      let ar = 0;
      const noise = Array.from({ length: 60 }, () => r.normal());
      const wander = Array.from({ length: 60 }, () => (ar = 0.6 * ar + 0.8 * r.normal()));
      const trend = Array.from({ length: 60 }, (_, i) => 0.3 * i + r.normal());
      if (seed <= 10) for (const x of [noise, trend]) assert.deepEqual(segmentLines(x, x.length).cuts, [], `seed ${seed}`);
      if (segmentLines(wander, wander.length).cuts.length > 0) wandering++;
    }
    // 60 samples of φ = 0.6 wander look like shifts to a 60-sample judge: about one in five does
    assert.ok(wandering <= 12, `${wandering} of 40`);
  });

  it('the CLI reaches it: `node bin/epicenter.js detect --input x.csv --json` on a 20-line CSV', () => {
    assert.ok(existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js')), 'needs `npm run build` first (npm test builds before testing)');
    const dir = mkdtempSync(join(tmpdir(), 'epicenter-short-'));
    try {
      const r = rng(9);
      const rows = series(20, DAY, (i) => 10 + r.normal() + (i >= 11 ? 5 : 0)).map((p) => `${new Date(p.t).toISOString()},${p.v.toFixed(3)}`);
      writeFileSync(join(dir, 'x.csv'), `timestamp,value\n${rows.join('\n')}\n`);
      const p = spawnSync(process.execPath, [join(ROOT, 'bin', 'epicenter.js'), 'detect', '--input', join(dir, 'x.csv'), '--json'], { encoding: 'utf8', timeout: 20_000 });
      assert.equal(p.status, 0, p.stderr);
      const doc = JSON.parse(p.stdout) as { breakpoints: { time: string; kind: string }[] };
      assert.equal(doc.breakpoints.length, 1, p.stdout);
      assert.equal(doc.breakpoints[0]!.kind, 'level_up');
      assert.equal(doc.breakpoints[0]!.time, rows[11]!.split(',')[0]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// The ring kept times as int32 ms offsets (±24.8 days): over 32 yearly or monthly samples the
// older times were pinned, and a change in yearly data was dated 2013-12-07 instead of 2007.
describe('detect: coarse sampling keeps exact times', () => {
  it('a shift in a 15-point yearly series is dated at its year', () => {
    const years = Array.from({ length: 15 }, (_, i) => ({ t: Date.UTC(2000 + i, 0, 1), v: (i >= 7 ? 112 : 100) + ((i * 7) % 5) - 2 }));
    const bs = detectSeries(years);
    assert.equal(bs.length, 1);
    assert.equal(new Date(bs[0]!.time).toISOString(), '2007-01-01T00:00:00.000Z');
  });
  it('a shift in 200 monthly samples found by the streaming model is dated at its month', () => {
    const r = rng(3);
    const months = Array.from({ length: 200 }, (_, i) => ({ t: Date.UTC(2000, i, 1), v: 50 + r.normal() + (i >= 120 ? 6 : 0) }));
    const bs = detectSeries(months);
    assert.ok(bs.some((b) => Math.abs(b.time - Date.UTC(2000, 120, 1)) <= 2 * 31 * DAY), JSON.stringify(bs.map((b) => new Date(b.time).toISOString())));
  });
});
