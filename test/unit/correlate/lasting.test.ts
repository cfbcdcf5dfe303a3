import assert from 'node:assert/strict';
import { contextEvidence } from '../../../src/correlate';
import { explain } from '../../../src/correlate/explain';
import { troubleFirst } from '../../../src/correlate/features/lasting';
import { at, bp, change, ctxOf, series, step } from './helpers';

// checkout-api calls payments. payments gets slow for good at 13:30; checkout-api, which released
// at 13:29, gets slow with it a minute later: its slowness is payments', not its release's.
const LAT = 'http.server.request.duration.p99';
const dep = change('dep', 'checkout-api', 'deploy', at('13:29'), { version: '2.0' });
const checkout = series('checkout-api', LAT, {}, step(200, 900, at('13:31')));

describe('evidence: trouble below that came first', () => {
  it('a dependency that moved to a worse level before the changed service did explains its trouble', () => {
    const payments = series('payments', LAT, {}, step(100, 800, at('13:30')));
    const ctx = ctxOf([checkout, payments], [dep], [bp(checkout, at('13:31')), bp(payments, at('13:30'))]);
    const f = troubleFirst(ctx, dep, undefined);
    assert.ok(f.value > 0.5, String(f.value));
    assert.equal(f.signal?.service, 'payments');
  });
  it('a dependency that moved later is no explanation', () => {
    const payments = series('payments', LAT, {}, step(100, 800, at('13:45')));
    const ctx = ctxOf([checkout, payments], [dep], [bp(checkout, at('13:31')), bp(payments, at('13:45'))]);
    assert.equal(troubleFirst(ctx, dep, undefined).value, 0);
  });
  it('a dependency worse for good since forty minutes before, the changed service well in between, is no explanation', () => {
    const payments = series('payments', LAT, {}, step(100, 800, at('12:50')));
    const ctx = ctxOf([checkout, payments], [dep], [bp(checkout, at('13:31')), bp(payments, at('12:50'))]);
    assert.equal(troubleFirst(ctx, dep, undefined).value, 0);
    // Settled in minutes before it, the same move explains it.
    const close = series('payments', LAT, {}, step(100, 800, at('13:24')));
    assert.ok(troubleFirst(ctxOf([checkout, close], [dep], [bp(checkout, at('13:31')), bp(close, at('13:24'))]), dep, undefined).value > 0.5);
  });
  it('a dependency whose earlier trouble had recovered is no explanation', () => {
    const pulse = (t: number): number => (t >= at('12:40') && t < at('13:00') ? 800 : 100);
    const payments = series('payments', LAT, {}, pulse);
    const ctx = ctxOf([checkout, payments], [dep], [bp(checkout, at('13:31')), bp(payments, at('12:40'))]);
    assert.equal(troubleFirst(ctx, dep, undefined).value, 0);
  });
  it('a service that calls the changed one is not below it', () => {
    const web = series('web', LAT, {}, step(100, 800, at('13:30')));
    const ctx = ctxOf([checkout, web], [dep], [bp(checkout, at('13:31')), bp(web, at('13:30'))]);
    assert.equal(troubleFirst(ctx, dep, undefined).value, 0);
  });
});

describe('explanation: trouble below that came first', () => {
  it('says why a burst right after the change does not count for it', () => {
    const payments = series('payments', LAT, {}, step(100, 800, at('13:30')));
    const opts = { at: at('13:35'), windowMs: 60 * 60_000, afterMs: 0 };
    const ctx = ctxOf([checkout, payments], [dep], [bp(payments, at('13:30'))], opts);
    const [e] = contextEvidence(ctx);
    assert.ok(e !== undefined && e.acute.self > 0.5, `a burst right after the deploy: ${e?.acute.self}`);
    assert.ok(e.a.acuteSelf < 0.2 * e.acute.self, `discounted: ${e.a.acuteSelf}`);
    const text = explain(ctx, e).join('\n');
    assert.match(text, /lasting move below checkout-api: .*payments/);
  });
});
