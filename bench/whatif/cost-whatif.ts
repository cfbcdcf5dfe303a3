/** Child process of cost.ts: load a snapshot, predict each proposal; prints {loadS, predictMs[] (wall), predictCpuMs[], rssMB, heapMB}. The first prediction includes indexing the snapshot. */
import { readFileSync } from 'node:fs';
import { decodeSnapshot, predict, proposalFromDoc } from '../../src/whatif';

const [file, proposals] = process.argv.slice(2) as [string, string];
const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
let t = process.hrtime.bigint();
const snap = decodeSnapshot(readFileSync(file, 'utf8'), { file });
const loadS = Number(process.hrtime.bigint() - t) / 1e9;
const predictMs: number[] = [];
const predictCpuMs: number[] = [];
let rss = process.memoryUsage().rss;
for (const doc of JSON.parse(readFileSync(proposals, 'utf8')) as unknown[]) {
  const p = proposalFromDoc(doc, { file: proposals });
  t = process.hrtime.bigint();
  const c0 = cpu();
  predict(snap, p);
  predictCpuMs.push(cpu() - c0);
  predictMs.push(Number(process.hrtime.bigint() - t) / 1e6);
  rss = Math.max(rss, process.memoryUsage().rss);
}
process.stdout.write(JSON.stringify({ loadS, predictMs, predictCpuMs, rssMB: rss / 2 ** 20, heapMB: process.memoryUsage().heapUsed / 2 ** 20 }));
