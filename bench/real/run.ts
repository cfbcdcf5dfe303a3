/**
 * `npm run bench:real`: the correlator on REAL fault-injection telemetry (Nezha, two microservice
 * systems on Kubernetes; see ../shared/data/nezha/README.md). Each fault becomes an incident in the
 * project's input formats (convert.ts), asked about the entry service 4 minutes after the injection
 * with metrics only up to then; every other service has a decoy change within ±3 min. Reports top-1,
 * top-3 and MRR per system, fault type and day, beside the paper's published top-1 and two baselines,
 * the time per analysis and the reliability of the scores. Writes bench/results/real.md.
 *
 *   node dist/bench/real/run.js            (EPICENTER_NEZHA_DIR overrides the data folder)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { analyze } from '../../src/correlate';
import { incidentInput, loadAll, NEZHA_DIR, WINDOW_MS, type DayData } from './dataset';
import { FAULT_TYPES } from './nezha';
import { calibration, outcome, table, type Outcome } from './score';

const ROOT = __dirname.includes(`${sep}dist${sep}`) ? join(__dirname, '../../..') : join(__dirname, '../..');
const PAPER: Record<string, string> = { 'online-boutique': '0.929', 'train-ticket': '0.867' };

function evaluate(days: readonly DayData[]): Outcome[] {
  const out: Outcome[] = [];
  for (const d of days) {
    for (const inc of d.incidents) {
      const input = incidentInput(d, inc);
      const t0 = process.hrtime.bigint();
      const a = analyze(input);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      out.push(outcome(inc, a, input.changes, ms));
    }
  }
  return out;
}

const t0 = Date.now();
const days = loadAll(join(ROOT, NEZHA_DIR));
const loadS = Math.round((Date.now() - t0) / 1000);
const os = evaluate(days);
const systems = ['online-boutique', 'train-ticket'] as const;
const by = (p: (o: Outcome) => boolean): Outcome[] => os.filter(p);

const lines: string[] = ['# Real-data benchmark (Nezha fault injection)', ''];
lines.push(`Command: \`npm run bench:real\` (= \`node dist/bench/real/run.js\`). ${os.length} incidents from ${days.length} days of ${NEZHA_DIR} (loading and converting through the text formats took ${loadS} s; ${days.reduce((s, d) => s + d.rejected, 0)} records rejected). Asked about the entry service 4 min after each injection, ${WINDOW_MS / 60_000} min of history, metrics only up to the page; a decoy change on every other service within ±3 min; earlier faults of the day are in the change log. Run on ${new Date().toISOString().slice(0, 10)}.`, '');
lines.push('## Per system (all faults)', '');
lines.push(...table([['all', os], ...systems.map((s) => [s, by((o) => o.inc.system === s)] as const)]));
lines.push('', `Published service-level top-1 of the Nezha paper (metrics, logs and traces): ${systems.map((s) => `${s} ${PAPER[s]}`).join(', ')}.`, '');
lines.push('## Per system and fault type', '');
lines.push(...table(systems.flatMap((s) => FAULT_TYPES.map((f) => [`${s} / ${f}`, by((o) => o.inc.system === s && o.inc.fault.type === f)] as const)).filter(([, g]) => g.length > 0)));
lines.push('', '## Per day', '');
lines.push(...table(days.map((d) => [`${d.day} (${d.system})`, by((o) => o.inc.day === d.day)] as const)));
lines.push('', '## Reliability of the top score', '');
lines.push(...calibration(os));
const ms = os.map((o) => o.ms).sort((a, b) => a - b);
lines.push('', `Time per analysis: mean ${Math.round(ms.reduce((s, x) => s + x, 0) / ms.length)} ms, median ${Math.round(ms[Math.floor(ms.length / 2)] ?? 0)} ms, max ${Math.round(ms[ms.length - 1] ?? 0)} ms (wall, on a shared 2-core machine).`, '');
const md = `${lines.join('\n')}\n`;
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(join(ROOT, 'bench/results/real.md'), md);
process.stdout.write(md);
