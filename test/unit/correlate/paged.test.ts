import assert from 'node:assert/strict';
import { analyze, buildContext } from '../../../src/correlate';
import { acuteView } from '../../../src/correlate/features';
import { pagedLater } from '../../../src/correlate/features/paged';
import type { SeriesData } from '../../../src/ports';
import { at, change, MIN, ramp, series, step, TOPO } from './helpers';

// web → checkout-api → payments (TOPO); the page is on checkout-api at 14:00.
const PAGE = at('14:00');
const opts = { from: at('12:30'), to: PAGE + MIN, int: false, noise: 0.01 };
const flat = (level: number) => (): number => level;
const CHANGES = [change('own-deploy', 'checkout-api', 'deploy', at('13:30')), change('web-config', 'web', 'config', at('13:55'))];
const ask = (s: SeriesData[]) => ({ series: s, changes: CHANGES, topology: TOPO, service: 'checkout-api', at: PAGE, windowMs: 90 * MIN, afterMs: 0 });

interface Story {
  /** What checkout-api's release did to its latency: a step that settled (default) or growth still going. */
  readonly release?: 'step' | 'growth';
  /** What burst from 13:56: its errors (default) or its latency again. */
  readonly burst?: 'errors' | 'latency';
}

/** checkout-api's release moves its latency at 13:31; web changes its config at 13:55; checkout-api bursts from 13:56. */
function story(st: Story = {}): SeriesData[] {
  const latency = st.release === 'growth' ? ramp(0.05, 0.2, at('13:31')) : step(0.05, 0.2, at('13:31'));
  const burst = at('13:56');
  return [
    series('web', 'http.server.request.count', {}, flat(100), opts),
    series('checkout-api', 'http.server.request.count', {}, flat(200), opts),
    series('checkout-api', 'http.server.request.duration', {}, st.burst === 'latency' ? (t) => (t < burst ? latency(t) : 0.6) : latency, opts),
    series('checkout-api', 'http.server.error.ratio', {}, st.burst === 'latency' ? flat(0.005) : step(0.005, 0.2, burst), opts),
    series('payments', 'http.server.request.duration', {}, flat(0.04), opts),
  ];
}

const later = (s: SeriesData[]): number => {
  const ctx = buildContext(ask(s));
  return pagedLater(ctx, CHANGES[0]!, acuteView(ctx)).value;
};

describe('correlate: what paged began after a later change (pagedLater)', () => {
  it("the paged service's release that stepped its latency up and ran half an hour without paging is not sure of the error burst right after its caller's change, and says why (was: 0.98 sure)", () => {
    assert.ok(later(story()) > 0.5, `later ${later(story())}`);
    const a = analyze(ask(story()));
    const own = a.suspects.find((s) => s.id === 'own-deploy');
    assert.ok((own?.score ?? 1) < 0.5, a.suspects.map((s) => `${s.id} ${s.score.toFixed(2)}`).join(', '));
    assert.ok(own?.evidence.some((t) => /^what paged began after a later change: errors .* of checkout-api: burst .* from 13:56, 1 min after config of web \(web-config\)/.test(t)), own?.evidence.join('\n'));
    assert.ok(!own?.evidence.some((t) => t.startsWith('evidence missing')), own?.evidence.join('\n'));
  });

  it('more of what the release moved (latency again) is that move going on', () => {
    assert.equal(later(story({ burst: 'latency' })), 0);
  });

  it('a release whose move is still growing (a leak) keeps what bursts on top of it', () => {
    assert.equal(later(story({ release: 'growth' })), 0);
  });
});
