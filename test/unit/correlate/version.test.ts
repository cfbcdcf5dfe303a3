import assert from 'node:assert/strict';
import type { SeriesData } from '../../../src/ports';
import { stitchVersions } from '../../../src/correlate';
import { instanceOrder, versionDifferential } from '../../../src/correlate/features/version';
import { at, bp, change, ctxOf, FD, MIN, series } from './helpers';

/** One instance's fds, split into per-version series as OTLP resource attributes make them. */
function instance(id: string, switchAt: number | undefined, f: (t: number) => number): SeriesData[] {
  const whole = series('checkout-api', FD, { 'service.instance.id': id }, f);
  const tag = (v: string, pts: SeriesData['points']): SeriesData => ({ series: { ...whole.series, id: `${whole.series.id}/${v}`, labels: { ...whole.series.labels, 'service.version': v } }, points: pts });
  if (switchAt === undefined) return [tag('1.0.0', whole.points)];
  return [tag('1.0.0', whole.points.filter((p) => p.t < switchAt)), tag('2.0.0', whole.points.filter((p) => p.t >= switchAt))];
}

const deploy = change('dep', 'checkout-api', 'deploy', at('12:00'), { version: '2.0.0' });

describe('evidence: version differential', () => {
  it('incriminates a deploy when only instances on the new version leak (canary)', () => {
    const leak = (t: number): number => (t < at('12:00') ? 500 : 500 + (t - at('12:00')) / 20_000);
    const parts = [...instance('a', at('12:00'), leak), ...instance('b', undefined, () => 500), ...instance('c', undefined, () => 505)];
    const st = stitchVersions(parts);
    // The context stitches the raw fragments itself; the breakpoint names the stitched series.
    const ctx = ctxOf(parts, [deploy], [bp(st.find((s) => s.series.labels['service.instance.id'] === 'a')!, at('12:02'), 'slope_change')]);
    const v = versionDifferential(ctx, deploy);
    assert.ok(v.value > 0.9, JSON.stringify(v));
    assert.equal(v.oldVersion, '1.0.0');
  });

  it('exonerates it when instances still on the old version move as much', () => {
    const up = (t: number): number => (t < at('12:05') ? 500 : 900);
    const parts = [...instance('a', at('12:00'), up), ...instance('b', undefined, up), ...instance('c', undefined, up)];
    const v = versionDifferential(ctxOf(parts, [deploy], []), deploy);
    assert.equal(v.value, -1, JSON.stringify(v));
  });

  it('judges a release only while the instance ran it: a later release on it is another change (a decoy got the blame)', () => {
    const next = change('dep3', 'checkout-api', 'deploy', at('12:15'), { version: '3.0.0' });
    const leak = (t: number): number => (t < at('12:15') ? 500 : 500 + (t - at('12:15')) / 20_000);
    const whole = instance('a', undefined, leak)[0]!;
    const on = (v: string, from: number, to: number): SeriesData => ({ ...whole, series: { ...whole.series, id: `${whole.series.id}/${v}`, labels: { ...whole.series.labels, 'service.version': v } }, points: whole.points.filter((p) => p.t >= from && p.t < to) });
    const a = [on('1.0.0', 0, at('12:00')), on('2.0.0', at('12:00'), at('12:15')), on('3.0.0', at('12:15'), Infinity)];
    const parts = [...a, ...instance('b', undefined, () => 500), ...instance('c', undefined, () => 505)];
    const ctx = ctxOf(parts, [deploy, next], []);
    assert.ok(versionDifferential(ctx, deploy).value <= 0, JSON.stringify(versionDifferential(ctx, deploy)));
    assert.ok(versionDifferential(ctx, next).value > 0.9, JSON.stringify(versionDifferential(ctx, next)));
  });

  it('says nothing without version labels or when every instance switched at once', () => {
    const plain = [series('checkout-api', FD, { 'service.instance.id': 'a' }, () => 500)];
    assert.equal(versionDifferential(ctxOf(plain, [deploy], []), deploy).value, 0);
    const all = [...instance('a', at('12:00'), () => 500), ...instance('b', at('12:00'), () => 500)];
    assert.equal(versionDifferential(ctxOf(all, [deploy], []), deploy).value, 0);
  });
});

describe('evidence: per-instance order of a rolling deploy', () => {
  const stepAt = (t1: number) => (t: number): number => (t < t1 ? 500 : 900);
  const ctxFor = (parts: SeriesData[], moves: Record<string, number>) => {
    const st = stitchVersions(parts);
    const bps = Object.entries(moves).map(([id, t]) => bp(st.find((s) => s.series.labels['service.instance.id'] === id)!, t));
    return ctxOf(parts, [deploy], bps);
  };

  it('incriminates a deploy when each instance moved right after its own switch', () => {
    const parts = [...instance('a', at('12:00'), stepAt(at('12:01'))), ...instance('b', at('12:10'), stepAt(at('12:11')))];
    assert.equal(instanceOrder(ctxFor(parts, { a: at('12:01'), b: at('12:11') }), deploy), 1);
  });

  it('exonerates it when the instances had moved before they switched', () => {
    const parts = [...instance('a', at('12:00'), stepAt(at('11:45'))), ...instance('b', at('12:10'), stepAt(at('11:46')))];
    assert.equal(instanceOrder(ctxFor(parts, { a: at('11:45'), b: at('11:46') }), deploy), -1);
  });

  it('regression: a pod a later release brought up says nothing of an earlier one (was: its move exonerated the earlier release)', () => {
    // Pod c came up with 3.0.0 at 13:00, long after the 12:00 release, and moved at 13:30; a and b ran 1.0.0 throughout.
    const later = series('checkout-api', FD, { 'service.instance.id': 'c', 'service.version': '3.0.0' }, stepAt(at('13:30')), { from: at('13:00') });
    const parts = [...instance('a', undefined, () => 500), ...instance('b', undefined, () => 505), later];
    const st = stitchVersions(parts);
    const ctx = ctxOf(parts, [deploy], [bp(st.find((s) => s.series.labels['service.instance.id'] === 'c')!, at('13:30'))]);
    assert.equal(instanceOrder(ctx, deploy), 0);
    // An instance that ran when the release landed and never switched still exonerates it.
    const stayed = [...instance('a', undefined, stepAt(at('12:30'))), ...instance('b', at('12:05'), () => 500)];
    assert.equal(instanceOrder(ctxFor(stayed, { a: at('12:30') }), deploy), -1);
  });
});

describe('stitchVersions', () => {
  it('joins the fragments of one instance across a deploy and its rollback, remembering versions', () => {
    const f = (): number => 500;
    const [a, b] = instance('a', at('12:00'), f);
    const back: SeriesData = { series: a!.series, points: b!.points.filter((p) => p.t >= at('13:00')) };
    const mid: SeriesData = { series: b!.series, points: b!.points.filter((p) => p.t < at('13:00')) };
    const early: SeriesData = { series: a!.series, points: a!.points };
    const st = stitchVersions([early, mid, back]);
    assert.equal(st.length, 1);
    assert.equal(st[0]?.series.labels['service.version'], undefined);
    assert.deepEqual(st[0]?.versions.map((v) => v.version), ['1.0.0', '2.0.0', '1.0.0']);
    assert.equal(st[0]?.versions[1]?.from, at('12:00'));
    assert.equal(st[0]?.points.length, a!.points.length + b!.points.length);
  });

  it('reads the container image tag as the version where no service.version is set, and joins fragments that carry both', () => {
    const whole = series('checkout-api', FD, { 'k8s.pod.name': 'checkout-a' }, () => 500);
    const tag = (labels: Record<string, string>, pts: SeriesData['points']): SeriesData => ({ series: { ...whole.series, id: `${whole.series.id}/${JSON.stringify(labels)}`, labels: { ...whole.series.labels, ...labels } }, points: pts });
    const before = whole.points.filter((p) => p.t < at('12:00'));
    const after = whole.points.filter((p) => p.t >= at('12:00'));
    const byTag = stitchVersions([tag({ 'container.image.tag': '1.0.0' }, before), tag({ 'container.image.tag': '2.0.0' }, after)]);
    assert.deepEqual(byTag.map((s) => s.versions.map((v) => v.version)), [['1.0.0', '2.0.0']]);
    assert.equal(byTag[0]?.series.labels['container.image.tag'], undefined);
    const both = stitchVersions([tag({ 'service.version': '1.0.0', 'container.image.tag': 'sha-1' }, before), tag({ 'service.version': '2.0.0', 'container.image.tag': 'sha-2' }, after)]);
    assert.deepEqual(both.map((s) => s.versions.map((v) => v.version)), [['1.0.0', '2.0.0']], 'service.version first; the tag changes too');
  });

  it('leaves fragments apart when they collide in time (instances without an id)', () => {
    const x = series('checkout-api', FD, { 'service.version': '1' }, () => 1);
    const y = { ...series('checkout-api', FD, { 'service.version': '2' }, () => 2) };
    const st = stitchVersions([x, y]);
    assert.equal(st.length, 2);
    assert.ok(st.every((s) => s.versions.length === 0));
  });

  it('passes series without a version label through', () => {
    const s = series('checkout-api', FD, {}, () => 1, { to: at('10:10') });
    assert.deepEqual(stitchVersions([s])[0]?.points, s.points);
    assert.equal(s.points.length, 10);
    assert.equal(MIN, 60_000);
  });
});
