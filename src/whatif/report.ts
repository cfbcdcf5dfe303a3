import type { Prediction, Proposal, Snapshot } from './types';

const hhmm = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
const fmt = (x: number): string => (Math.abs(x) >= 1e6 ? `${(x / 2 ** 20).toFixed(0)} MiB` : Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3));

/** The `--json` shape: {"verdict", "breaches", "effects", "blind", "assumptions"}. */
export function predictionJson(p: Prediction): string {
  return JSON.stringify({ verdict: p.verdict, breaches: p.breaches, effects: p.effects, blind: p.blind, assumptions: p.assumptions });
}

/** Why a verdict is `unknown`: the services the change acts on that report no resource counters. */
export function blindLine(p: Prediction): string | undefined {
  if (p.blind.length === 0) return undefined;
  return `no fds, connections, threads or memory reported by ${p.blind.map((b) => `${b.service} (team ${b.team})`).join(', ')}: nothing says they would hold the change`;
}

/** One line per breach for people: by how much, when, along which path, whom to warn. */
export function breachLines(p: Prediction): string[] {
  return p.breaches.map((b) => {
    const over = b.predicted - b.limit;
    return `${b.service} ${b.metric}${b.instance === undefined ? '' : ` [${b.instance}]`}: predicted ${fmt(b.predicted)} (${fmt(b.low)}–${fmt(b.high)}) against a limit of ${fmt(b.limit)} — over by ${fmt(over)} (${((over / b.limit) * 100).toFixed(0)} %) from ${hhmm(b.at)}; path ${b.path.join(' → ')}; warn team ${b.team}`;
  });
}

/** The human report of `epicenter whatif`. */
export function predictionReport(pred: Prediction, p: Proposal, snap: Snapshot): string {
  const out: string[] = [];
  const what = p.summary ?? `${p.type} of ${p.service}`;
  out.push(`What if: ${what} [${p.id}] (team ${p.team ?? 'unknown'}, ${new Date(p.time).toISOString()})`);
  out.push(`Snapshot: ${snap.services.length} services, ${snap.series.length} series, ${snap.couplings.length} couplings, ${snap.impacts.length} past changes measured (${new Date(snap.from).toISOString()} – ${new Date(snap.to).toISOString()})`);
  out.push('');
  out.push(`Verdict: ${pred.verdict.toUpperCase()}`);
  for (const l of breachLines(pred)) out.push(`  BREACH ${l}`);
  const blind = blindLine(pred);
  if (blind !== undefined) out.push(`  ${pred.verdict === 'unknown' ? 'unknown' : 'also  '} ${blind}`);
  const risks = pred.effects.filter((e) => e.status === 'risk');
  for (const e of risks.slice(0, 10)) out.push(`  risk   ${e.service} ${e.metric}${e.peer === undefined ? '' : ` → ${e.peer}`}: ${fmt(e.baseline)} → ${fmt(e.predicted)} (${fmt(e.low)}–${fmt(e.high)})${e.limit === undefined ? '' : `, limit ${fmt(e.limit)}`}; team ${e.team}`);
  const ok = pred.effects.filter((e) => e.status === 'ok');
  if (ok.length > 0) {
    out.push('');
    out.push('Other predicted effects (peak over the horizon, without → with the change):');
    for (const e of ok.slice(0, 10)) out.push(`  ${e.service} ${e.metric}${e.peer === undefined ? '' : ` → ${e.peer}`}: ${fmt(e.baseline)} → ${fmt(e.predicted)} (${fmt(e.low)}–${fmt(e.high)})${e.headroom === undefined ? '' : `, headroom ${fmt(e.headroom)}`}`);
  }
  out.push('');
  out.push('Assumptions:');
  for (const a of pred.assumptions) out.push(`  - ${a}`);
  return `${out.join('\n')}\n`;
}
