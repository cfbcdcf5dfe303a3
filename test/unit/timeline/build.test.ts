import assert from 'node:assert/strict';
import { makeSeries } from '../../../src/domain/series';
import { buildTimeline } from '../../../src/timeline/build';
import { analysis, AT, bMem, bp, breakpoints, changes, conns, fds, input, min, series } from './fixture';

describe('timeline/buildTimeline', () => {
  it('orders changes, breakpoints, the alert, rollbacks and recoveries by time, cause first on ties', () => {
    const t = buildTimeline(input());
    const times = t.events.map((e) => e.time);
    assert.deepEqual(times, [...times].sort((a, b) => a - b));
    const kinds = new Set(t.events.map((e) => e.kind));
    for (const k of ['change', 'rollback', 'breakpoint', 'alert', 'recovery'] as const) assert.ok(kinds.has(k), `missing ${k}`);
    const tie = buildTimeline(input({ breakpoints: [bp(conns, -40, 'level_up', 20, 400)] }));
    const at40 = tie.events.filter((e) => e.time === min(-40)).map((e) => e.kind);
    assert.deepEqual(at40, ['change', 'breakpoint']);
  });

  it('marks the suspects on their change events with rank and score', () => {
    const t = buildTimeline(input());
    const top = t.events.find((e) => e.ref === 'cfg-b-1');
    assert.equal(top?.suspectRank, 1);
    assert.equal(top?.score, 0.87);
    assert.equal(top?.team, 'team-b');
    assert.equal(t.events.find((e) => e.ref === 'dep-a-7')?.suspectRank, 2);
    assert.equal(t.suspects[0]?.id, 'cfg-b-1');
  });

  it("lists and charts the bursts behind a suspect's acute evidence, though no breakpoint marks them", () => {
    const burst = { series: bMem, role: 'own' as const, signal: 'saturation', start: min(-39), end: min(-36), baseline: 5e8, value: 2e9 };
    const withBurst = { ...analysis, suspects: analysis.suspects.map((s, i) => (i === 0 ? { ...s, bursts: [burst] } : s)) };
    const t = buildTimeline(input({ analysis: withBurst }));
    const ev = t.events.find((e) => e.detail === 'burst');
    assert.equal(ev?.time, min(-39));
    assert.match(ev?.text ?? '', /burst of process\.memory\.usage on B: .* \(×4\) — suspect #1's own saturation/);
    assert.ok(t.keySeries.some((k) => k.metric === 'process.memory.usage' && k.role === 'suspect'), t.keySeries.map((k) => k.key).join(', '));
    assert.equal(buildTimeline(input()).events.some((e) => e.detail === 'burst'), false);
  });

  it('lists a steady climb (a leak from the change on) as a climb, not a burst', () => {
    const climb = { series: bMem, role: 'own' as const, signal: 'saturation', start: min(-39), end: min(-20), baseline: 5e8, value: 9e8, climb: true };
    const withClimb = { ...analysis, suspects: analysis.suspects.map((s, i) => (i === 0 ? { ...s, bursts: [climb] } : s)) };
    const ev = buildTimeline(input({ analysis: withClimb })).events.find((e) => e.ref === bMem.id && e.time === min(-39));
    assert.equal(ev?.detail, 'climb');
    assert.match(ev?.text ?? '', /^climb of process\.memory\.usage on B: .* — suspect #1's own saturation$/);
  });

  it('lists the requests a suspect stopped sending as a fall, not a burst', () => {
    const fall = { series: bMem, role: 'callees' as const, signal: 'traffic', start: min(-39), end: min(-36), baseline: 5e8, value: 0 };
    const withFall = { ...analysis, suspects: analysis.suspects.map((s, i) => (i === 0 ? { ...s, bursts: [fall] } : s)) };
    const ev = buildTimeline(input({ analysis: withFall })).events.find((e) => e.detail === 'burst');
    assert.equal(ev?.time, min(-39));
    assert.match(ev?.text ?? '', /^process\.memory\.usage of B all but stopped: .* → 0\b.* — suspect #1 stopped calling it$/);
  });

  it('shows only the victim neighbourhood when a topology is given, everything without one', () => {
    assert.equal(buildTimeline(input()).events.some((e) => e.service === 'far'), false);
    const { topology: _t, ...rest } = input();
    assert.equal(buildTimeline(rest).events.some((e) => e.service === 'far'), true);
  });

  it("flags the victim's return toward its pre-incident level as recovery and dates the onset", () => {
    const t = buildTimeline(input());
    const rec = t.events.filter((e) => e.kind === 'recovery').map((e) => [e.service, e.time]);
    assert.deepEqual(rec, [['A', min(12)]]);
    // The suspect's own return is a plain breakpoint: recovery is about the victim.
    assert.equal(t.events.find((e) => e.service === 'B' && e.time === min(11))?.kind, 'breakpoint');
    assert.equal(t.onset, min(-38));
  });

  it('says a rollback did not help when no recovery followed before the next change', () => {
    const t = buildTimeline(input());
    const own = t.events.find((e) => e.ref === 'rb-a-7');
    assert.equal(own?.helped, false);
    assert.match(own?.text ?? '', /reverting the deploy of 2\.3\.1 .* A did not recover afterwards/);
    const fix = t.events.find((e) => e.ref === 'rb-b-1');
    assert.equal(fix?.helped, true);
    assert.doesNotMatch(fix?.text ?? '', /did not recover/);
  });

  it('counts the alert end as a recovery', () => {
    const t = buildTimeline(input({ alert: { name: 'FdExhaustion', startsAt: min(0), endsAt: min(14) }, breakpoints: breakpoints.slice(0, 2) }));
    const end = t.events.find((e) => e.kind === 'recovery' && e.detail === 'resolved');
    assert.equal(end?.text, 'alert FdExhaustion resolved');
    assert.equal(end?.time, min(14));
  });

  it('charts the victim breakpoint series and the suspect series that points at the victim, with the limit', () => {
    const t = buildTimeline(input());
    assert.deepEqual(
      t.keySeries.map((k) => [k.title, k.role, k.lines.length]),
      [
        ['process.open_file_descriptor.count · A', 'victim', 1],
        ['http.client.open_connections{server.address=A} · B', 'suspect', 1],
      ],
    );
    assert.equal(t.keySeries[0]?.limit, 1024);
    assert.equal(t.keySeries[0]?.breakpoints.length, 2);
    assert.deepEqual(t.keySeries[0]?.recoveries, [min(12)], 'the recovery is drawn on its own chart');
  });

  it('hides small or uncertain breakpoints and counts them; early wiggles move neither the onset nor count as recovery', () => {
    const wiggle = bp(fds, -55, 'level_up', 120, 125); // 4%: below the 25% bar
    const unsure = bp(fds, -50, 'level_up', 120, 300, { confidence: 0.5 });
    const earlyUp = bp(conns, -58, 'level_up', 10, 30);
    const earlyBack = bp(conns, -56, 'level_down', 30, 10); // returns, but long before the onset
    const victimEarly = [bp(fds, -59, 'level_up', 100, 200, { confidence: 0.85 }), bp(fds, -57, 'level_down', 200, 118, { confidence: 0.85 })];
    const t = buildTimeline(input({ breakpoints: [...breakpoints, wiggle, unsure, earlyUp, earlyBack, ...victimEarly] }));
    assert.equal(t.hiddenBreakpoints, 2);
    assert.equal(t.onset, min(-38), 'the strongest burst, not the first wiggle');
    assert.deepEqual(t.events.filter((e) => e.kind === 'recovery').map((e) => e.time), [min(12)]);
  });

  it('marks only the first three suspects and those scoring at least 10% on their changes', () => {
    const many = changes.slice(0, 4).map((c, i) => ({ id: c.id, service: c.service, team: c.team ?? '', type: c.type, time: c.time, score: [0.6, 0.2, 0.05, 0.01][i]!, evidence: [] }));
    const t = buildTimeline(input({ analysis: { ...analysis, suspects: many } }));
    const ranks = t.events.filter((e) => e.suspectRank !== undefined).map((e) => e.suspectRank);
    assert.deepEqual(ranks.sort(), [1, 2, 3]);
  });

  it('draws every instance of a series in one chart, joins its versions, and lists their common break once', () => {
    const fds2 = makeSeries('process.open_file_descriptor.count', { 'service.name': 'A', 'service.instance.id': 'a-2', 'service.version': '2.3.1' }, 'A', '{file}');
    const fds2old = makeSeries('process.open_file_descriptor.count', { 'service.name': 'A', 'service.instance.id': 'a-2', 'service.version': '2.3.0' }, 'A', '{file}');
    const fdPoints = series[0]!.points;
    const t = buildTimeline(
      input({
        series: [...series, { series: fds2old, points: fdPoints.filter((p) => p.t < min(-25)) }, { series: fds2, points: fdPoints.filter((p) => p.t >= min(-25)) }],
        breakpoints: [...breakpoints, bp(fds2old, -37, 'slope_change', 121, 610)],
      }),
    );
    const fdChart = t.keySeries[0]!;
    assert.deepEqual(fdChart.lines.map((l) => [l.label, l.series.length, l.points.length]), [
      ['a-1', 1, fdPoints.length],
      ['a-2', 2, fdPoints.length],
    ]);
    const slopes = t.events.filter((e) => e.kind === 'breakpoint' && e.detail === 'slope_change');
    assert.equal(slopes.length, 1);
    assert.match(slopes[0]!.text, /on A \(2 series\): trend flat → \+10\/min at 600/);
    assert.equal(slopes[0]!.time, min(-38), 'the cluster starts at its first member');
  });

  it('merges the analysis breakpoints with the stored ones without duplicates', () => {
    const t = buildTimeline(input({ analysis: { ...analysis, breakpoints: breakpoints.slice(0, 1) } }));
    assert.equal(t.events.filter((e) => e.kind === 'breakpoint' && e.ref === conns.id && e.time === min(-39)).length, 1);
  });

  it('still builds with no suspects, no breakpoints and no alert', () => {
    const t = buildTimeline(input({ analysis: { ...analysis, suspects: [] }, breakpoints: [], alert: undefined }));
    assert.equal(t.suspects.length, 0);
    assert.equal(t.onset, undefined);
    // With no victim breakpoint, a limited victim series stands in.
    assert.deepEqual(t.keySeries.map((k) => k.lines[0]?.series[0]?.id), [fds.id]);
    assert.equal(t.at, AT);
  });

  it('drops events outside the analysis window', () => {
    const t = buildTimeline(input({ changes: [...changes, { ...changes[0]!, id: 'old', time: min(-600) }] }));
    assert.equal(t.events.some((e) => e.ref === 'old'), false);
  });
});
