import assert from 'node:assert/strict';
import { analyze, buildContext, contextEvidence } from '../../../src/correlate';
import { burstLag, preempted } from '../../../src/correlate/features/timing';
import type { ChangeEvent, Topology } from '../../../src/domain/types';
import type { SeriesData } from '../../../src/ports';
import { at, change, MIN, series } from './helpers';

// web → payments, scraped every 5 minutes (CloudWatch basic monitoring, Prometheus federation).
const TOPO: Topology = {
  services: [
    { name: 'web', team: 'storefront', dependsOn: ['payments'], limits: {} },
    { name: 'payments', team: 'payments', dependsOn: [], limits: {} },
  ],
};
const FIVE = 5 * MIN;
const PAGE = at('14:00');
/** A series sampled every 5 minutes from 13:00 up to the page, `f` of the time. */
const five = (service: string, metric: string, f: (t: number) => number): SeriesData => {
  const s = series(service, metric, {}, f, { from: at('13:00'), to: PAGE, int: false, noise: 0.01 });
  return { ...s, points: s.points.filter((p) => (p.t - at('13:00')) % FIVE === 0) };
};
const from = (t0: number, level: number, high: number) => (t: number): number => (t >= t0 ? high : level);
const evidence = (s: SeriesData[], changes: ChangeEvent[]) => {
  const ev = contextEvidence(buildContext({ series: s, changes, topology: TOPO, service: 'web', at: PAGE, windowMs: 60 * MIN, afterMs: 0 }));
  return (id: string) => ev.find((e) => e.change.id === id);
};

describe('correlate: coarse steps — what the samples can and cannot tell apart', () => {
  it('burstLag: every change between the last normal sample and the first far one gets the same lag, a quarter of the interval', () => {
    const b = { since: at('13:50'), start: at('13:55') };
    assert.equal(burstLag(b, at('13:51')), 1.25 * MIN);
    assert.equal(burstLag(b, at('13:54')), 1.25 * MIN);
    assert.equal(burstLag(b, at('13:47')), 4.25 * MIN, 'an earlier change counts from the last normal sample on top');
    assert.equal(burstLag(b, at('13:57')), -2 * MIN, 'a later one came after the burst was measured');
  });

  it('two changes 4 minutes and 1 minute before a 5-minute sample share its burst instead of the later one taking it', () => {
    const get = evidence(
      [five('payments', 'http.server.request.duration', from(at('13:45'), 0.05, 1)), five('web', 'http.server.request.duration', from(at('13:45'), 0.3, 1.2))],
      [change('early', 'payments', 'config', at('13:41')), change('late', 'payments', 'deploy', at('13:44'))],
    );
    const early = get('early')?.a.acuteSelf ?? 0;
    const late = get('late')?.a.acuteSelf ?? 0;
    assert.ok(early > 0.5, `early ${early}`);
    assert.ok(Math.abs(early - late) < 1e-9, `early ${early}, late ${late} (old code: 0.26 vs 0.72 of the burst)`);
  });

  it('the page one sample after the cause: that sample alone is evidence, at a discount, shared by the changes in its interval', () => {
    const get = evidence(
      [five('payments', 'http.server.request.duration', from(at('13:55'), 0.05, 1)), five('web', 'http.server.request.duration', from(at('13:55'), 0.3, 1.2))],
      [change('cause', 'payments', 'config', at('13:50')), change('other', 'payments', 'flag', at('13:53')), change('after', 'payments', 'deploy', at('13:57'))],
    );
    const cause = get('cause')?.a.acuteSelf ?? 0;
    assert.ok(cause > 0.2 && cause < 0.6, `one sample is evidence, not proof: ${cause}`);
    assert.equal(get('other')?.a.acuteSelf, cause);
    assert.equal(get('after')?.a.acuteSelf, 0, 'a change after the last sample has no sample after it');
  });

  it("with the CLI's hour of look-ahead and no data after the page, the last sample is still where the data ends", () => {
    const s = [five('payments', 'http.server.request.duration', from(at('13:55'), 0.05, 1)), five('web', 'http.server.request.duration', from(at('13:55'), 0.3, 1.2))];
    const changes = [change('cause', 'payments', 'config', at('13:50'))];
    const ask = { series: s, changes, topology: TOPO, service: 'web', at: PAGE, windowMs: 60 * MIN };
    const ahead = contextEvidence(buildContext({ ...ask, afterMs: 60 * MIN }))[0]?.a.acuteSelf ?? 0;
    const none = contextEvidence(buildContext({ ...ask, afterMs: 0 }))[0]?.a.acuteSelf ?? 0;
    assert.ok(none > 0.2, `${none}`);
    assert.equal(ahead, none, 'an empty look-ahead is no later sample that could have confirmed it');
  });

  it('a leak from a release at 5-minute steps: no breakpoint yet and no sample far out at first, but a climb from the release on', () => {
    // payments' fds climb 4 % a sample from its 13:22 deploy; two hours of history, all of it the detector's warm-up.
    const three = (service: string, metric: string, f: (t: number) => number): SeriesData => {
      const s = series(service, metric, {}, f, { from: at('12:00'), to: PAGE, int: false, noise: 0.005 });
      return { ...s, points: s.points.filter((p) => (p.t - at('12:00')) % FIVE === 0) };
    };
    const leak = (t: number): number => 400 * (t < at('13:25') ? 1 : 1 + (0.04 * (t - at('13:20'))) / FIVE);
    const s = [three('payments', 'process.open_file_descriptor.count', leak), three('web', 'http.server.request.duration', () => 0.3)];
    const changes = [change('leaky', 'payments', 'deploy', at('13:22')), change('web-flag', 'web', 'flag', at('13:50')), change('payments-cfg', 'payments', 'config', at('12:40'))];
    const a = analyze({ series: s, changes, topology: TOPO, service: 'payments', at: PAGE, windowMs: 120 * MIN, afterMs: 0 });
    assert.equal(a.breakpoints.length, 0, 'no breakpoint confirmed');
    assert.equal(a.suspects[0]?.id, 'leaky', a.suspects.map((x) => `${x.id} ${x.score.toFixed(2)}`).join(', '));
    assert.match(a.suspects[0]?.evidence.join('\n') ?? '', /of payments: climbing 4\d\d→\d+ .* from 13:2\d/);
    // Timelines list it as a climb, not a burst.
    assert.deepEqual(a.suspects[0]?.bursts?.map((b) => [b.series.service, b.climb]), [['payments', true]]);
  });

  it('the report says a burst was seen in one sample only', () => {
    const a = analyze({ series: [five('payments', 'http.server.request.duration', from(at('13:55'), 0.05, 1)), five('web', 'http.server.request.duration', from(at('13:55'), 0.3, 1.2))], changes: [change('cause', 'payments', 'config', at('13:50'))], topology: TOPO, service: 'web', at: PAGE, windowMs: 60 * MIN, afterMs: 0 });
    const text = a.suspects[0]?.evidence.join('\n') ?? '';
    assert.match(text, /last sample only \(13:55\), 5 min after this change: not yet confirmed/);
  });

  it("a later change of the same service does not take a burst that followed an earlier change's first burst", () => {
    // payments saturates from 13:45 (after the 13:41 config change); its latency follows from 13:50,
    // after a 13:47 deploy that landed in between: the config change explains both.
    const get = evidence(
      [
        five('payments', 'k8s.pod.cpu_limit_utilization', from(at('13:45'), 0.1, 0.5)),
        five('payments', 'http.server.request.duration', from(at('13:50'), 0.05, 1)),
        five('web', 'http.server.request.duration', from(at('13:50'), 0.3, 1.2)),
      ],
      [change('cfg', 'payments', 'config', at('13:41')), change('deploy', 'payments', 'deploy', at('13:47'))],
    );
    assert.ok((get('cfg')?.a.acuteSelf ?? 0) > (get('deploy')?.a.acuteSelf ?? 0) + 0.1, `cfg ${get('cfg')?.a.acuteSelf}, deploy ${get('deploy')?.a.acuteSelf}`);
  });

  it('preempted: only by an earlier change of the same service right before the earlier burst', () => {
    const ctx = { stepMs: FIVE, candidates: [change('a', 'payments', 'config', at('13:41')), change('b', 'payments', 'deploy', at('13:47')), change('c', 'web', 'flag', at('13:42'))] };
    const bursts = [{ since: at('13:40'), start: at('13:45') }];
    assert.equal(preempted(ctx, ctx.candidates[1] as ChangeEvent, bursts), 1);
    assert.equal(preempted(ctx, ctx.candidates[0] as ChangeEvent, bursts), 0, 'nothing came before the first');
    assert.equal(preempted({ ...ctx, candidates: ctx.candidates.slice(1) }, ctx.candidates[1] as ChangeEvent, bursts), 0, 'a burst before any change of the service explains nothing away');
  });
});
