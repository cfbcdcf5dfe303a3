import assert from 'node:assert/strict';
import { canaryComparison } from '../../../src/correlate/features/canary';
import { ARRIVED_BEFORE, versionsFromArrival } from '../../../src/correlate/released';
import type { StitchedSeries } from '../../../src/correlate/stitch';
import type { SeriesData } from '../../../src/ports';
import { at, change, ctxOf, MIN, series } from './helpers';

// checkout-api releases at 13:50 with pods that name no version (no service.version, no image tag).
const LAT = 'http.server.request.duration';
const HOUR_AGO = at('13:00');
const PAGE = at('14:00');
const TOL = 3 * MIN;
const flat = (v: number) => (): number => v;
const pod = (id: string, v: number, from: number, to = PAGE, labels: Record<string, string> = { 'service.instance.id': id }): SeriesData =>
  series('checkout-api', LAT, labels, flat(v), { from, to, int: false, noise: 0.004 });
const stitched = (s: SeriesData[]): StitchedSeries[] => s.map((x) => ({ ...x, versions: [] }));
const versionOf = (out: readonly StitchedSeries[], id: string): string | undefined => out.find((s) => s.series.labels['service.instance.id'] === id)?.versions[0]?.version;
const canary = (): SeriesData[] => [pod('old-a', 0.2, HOUR_AGO), pod('old-b', 0.21, HOUR_AGO), pod('old-c', 0.19, HOUR_AGO), pod('new-d', 0.6, at('13:51'))];

describe('correlate: versions told by arrival, for pods that name none', () => {
  it("the pods first seen within minutes after a release run it (its version, else '<id> (new pods)'); those there before another", () => {
    const named = versionsFromArrival(stitched(canary()), [change('rel', 'checkout-api', 'deploy', at('13:50'), { version: 'v2.0' })], TOL);
    assert.equal(versionOf(named, 'new-d'), 'v2.0');
    assert.equal(versionOf(named, 'old-a'), ARRIVED_BEFORE);
    const nameless = versionsFromArrival(stitched(canary()), [change('rel', 'checkout-api', 'deploy', at('13:50'))], TOL);
    assert.equal(versionOf(nameless, 'new-d'), 'rel (new pods)');
  });

  it('tells nothing when a series names its version, a pod came long after the release, no pod was there before, or pods name no instance', () => {
    const rel = [change('rel', 'checkout-api', 'deploy', at('13:50'))];
    const versioned = [...canary().slice(0, 3), pod('new-d', 0.6, at('13:51'), PAGE, { 'service.instance.id': 'new-d', 'service.version': '2.0' })];
    const out = versionsFromArrival(versioned.map((s) => ({ ...s, versions: s.series.labels['service.version'] === undefined ? [] : [{ from: at('13:51'), to: PAGE, version: '2.0' }] })), rel, TOL);
    assert.equal(versionOf(out, 'old-a'), undefined);
    const late = [...canary().slice(0, 3), pod('new-d', 0.6, at('14:10'), at('14:20'))];
    assert.ok(versionsFromArrival(stitched(late), rel, TOL).every((s) => s.versions.length === 0));
    // A pod that came up between releases (a restart, an autoscaler) is not taken for an old one.
    const between = versionsFromArrival(stitched([...canary(), pod('restarted-e', 0.2, at('13:20'))]), rel, TOL);
    assert.equal(versionOf(between, 'restarted-e'), undefined);
    assert.equal(versionOf(between, 'old-a'), ARRIVED_BEFORE);
    const allNew = [pod('new-d', 0.6, at('13:51')), pod('new-e', 0.6, at('13:52'))];
    assert.ok(versionsFromArrival(stitched(allNew), rel, TOL).every((s) => s.versions.length === 0));
    const anonymous = canary().map((s) => ({ ...s, series: { ...s.series, labels: {} } }));
    assert.ok(versionsFromArrival(stitched(anonymous), rel, TOL).every((s) => s.versions.length === 0));
    // Two releases 20 s apart: which one the new pod came with is a guess.
    const twice = versionsFromArrival(stitched(canary()), [...rel, change('rel2', 'checkout-api', 'deploy', at('13:50') + 20_000)], TOL);
    assert.equal(versionOf(twice, 'new-d'), undefined);
    // A config change brings no new pods.
    assert.ok(versionsFromArrival(stitched(canary()), [change('cfg', 'checkout-api', 'config', at('13:50'))], TOL).every((s) => s.versions.length === 0));
  });

  it('regression: a new pod three times slower than the old ones incriminates a release whose pods name no version (was: no canary comparison without versions)', () => {
    const rel = change('rel', 'checkout-api', 'deploy', at('13:50'));
    const ctx = ctxOf(canary(), [rel], [], { at: PAGE, windowMs: 60 * MIN, afterMs: 0 });
    const released = ctx.changes.find((c) => c.id === 'rel');
    assert.equal(released?.version, 'rel (new pods)');
    const e = canaryComparison(ctx, released ?? rel);
    assert.ok(e.value > 0.9, JSON.stringify(e));
    // The same pods, all as fast: nothing.
    const calm = [...canary().slice(0, 3), pod('new-d', 0.2, at('13:51'))];
    const c2 = ctxOf(calm, [rel], [], { at: PAGE, windowMs: 60 * MIN, afterMs: 0 });
    assert.equal(canaryComparison(c2, c2.changes.find((c) => c.id === 'rel') ?? rel).value, 0);
  });
});
