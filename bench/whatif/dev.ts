/** Development loop on the tuning seeds (never the bench's): npx tsx bench/whatif/dev.ts [from] [count] */
import { simulateWhatIf } from '../../src/sim/whatif';
import { evaluate, snapshotOf } from './evaluate';

const from = Number(process.argv[2] ?? 1);
const count = Number(process.argv[3] ?? 20);
for (let seed = from; seed < from + count; seed++) {
  const c = simulateWhatIf(seed);
  const snap = snapshotOf(c);
  for (const p of c.proposals) {
    const o = evaluate(c, snap, p);
    const flag = o.trueBreach !== (o.verdict === 'breach') || (o.trueBreach && !o.named) ? ' <<<' : '';
    process.stdout.write(`${seed} ${c.mechanism.padEnd(18)} ${p.role.padEnd(8)} ${o.kind.padEnd(18)} truth=${o.trueBreach ? 'BREACH' : 'ok    '} verdict=${o.verdict.padEnd(6)} named=${o.named} err=${o.peakError?.toFixed(3) ?? '-'}${flag}\n`);
  }
}
