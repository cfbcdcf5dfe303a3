/**
 * `npm run bench:otel`: the correlator on incidents from a second generator, independent of the
 * simulator (./world.ts, ./telemetry.ts): telemetry as OTel instrumentations record it (duration
 * histograms in four namings, outcomes as status codes, cumulative or delta), Kubernetes pods
 * replaced by new ones, 2–4 releases within two minutes of the cause, full, sparse or no declared
 * topology, steps of 10 s to 5 min, 30 min to 3 h of history, the page on the entry service.
 * Each incident is written as files and analysed through the CLI's own path (`runAnalyzeCommand`,
 * what `npx epicenter analyze` runs). Writes bench/results/otel.md.
 *
 *   node dist/bench/otel/run.js [FIRST_SEED [COUNT]]     (default 100000 200; seeds 1–200 and the first draft's 1–80 were used while developing)
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { runAnalyzeCommand } from '../../src/cli/commands/analyze';
import { writeIncident, type Truth } from './generate';
import { MECHANISMS, STYLES } from './world';

const ROOT = __dirname.includes(`${sep}dist${sep}`) ? join(__dirname, '../../..') : join(__dirname, '../..');

interface Result { readonly truth: Truth; readonly rank: number; readonly top: number; readonly recent: number; readonly ms: number; readonly rejected: number }

async function one(seed: number, dir: string): Promise<Result> {
  const truth = writeIncident(seed, dir);
  const t0 = process.hrtime.bigint();
  const r = await runAnalyzeCommand({ metrics: [join(truth.dir, 'metrics.ndjson')], changes: [join(truth.dir, 'changes.ndjson')], topology: join(truth.dir, 'topology.yaml'), service: truth.service, at: truth.at, config: [] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const s = r.analysis.suspects;
  const byTime = [...s].sort((a, b) => b.time - a.time);
  return { truth, rank: s.findIndex((x) => x.id === truth.cause), top: s[0]?.score ?? 0, recent: byTime.findIndex((x) => x.id === truth.cause), ms, rejected: r.rejected.length };
}

const pct = (a: number, n: number): string => (n === 0 ? '–' : (a / n).toFixed(3));
function row(name: string, rs: readonly Result[]): string {
  const n = rs.length;
  const top1 = rs.filter((r) => r.rank === 0).length;
  const top3 = rs.filter((r) => r.rank >= 0 && r.rank < 3).length;
  const mrr = rs.reduce((s, r) => s + (r.rank >= 0 ? 1 / (r.rank + 1) : 0), 0);
  const recent = rs.filter((r) => r.recent === 0).length;
  const sure = rs.filter((r) => r.top >= 0.5 && r.rank !== 0).length;
  return `| ${name} | ${n} | ${pct(top1, n)} | ${pct(top3, n)} | ${pct(mrr, n)} | ${pct(recent, n)} | ${sure} |`;
}

async function main(): Promise<void> {
  const first = Number(process.argv[2] ?? 100000);
  const count = Number(process.argv[3] ?? 200);
  const dir = mkdtempSync(join(tmpdir(), 'epicenter-bench-otel-'));
  const results: Result[] = [];
  try {
    for (let seed = first; seed < first + count; seed++) results.push(await one(seed, dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const head = ['| group | n | top-1 | top-3 | MRR | most recent change top-1 | wrong with score ≥ 0.5 |', '|---|---:|---:|---:|---:|---:|---:|'];
  const group = (name: string, p: (t: Truth) => boolean): string => row(name, results.filter((r) => p(r.truth)));
  const lines = ['# Second generator: OTel-shaped incidents', '', `Command: \`npm run bench:otel\` (= \`node dist/bench/otel/run.js ${first} ${count}\`): seeds ${first}–${first + count - 1}, each written as files and analysed through the CLI's path. While developing, the correlator was looked at on seeds 1–200 (and the first draft's 1–80), never on these. Run on ${new Date().toISOString().slice(0, 10)}.`, ''];
  lines.push(...head, row('all', results), ...MECHANISMS.map((m) => group(`mechanism ${m}`, (t) => t.mechanism === m)), ...STYLES.map((s) => group(`naming ${s}`, (t) => t.style === s)), group('naming prom: Spring Boot (Micrometer) through the Prometheus receiver', (t) => t.micrometer), group('naming prom: Go (client_golang), failures in http_requests_total only', (t) => t.counter));
  lines.push(...(['full', 'sparse', 'none'] as const).map((k) => group(`declared topology ${k}`, (t) => t.topology === k)), group('client series (server.address)', (t) => t.clientSide), group('no client series', (t) => !t.clientSide));
  lines.push(group('resource labels from the SDK', (t) => t.labels === 'sdk'), group('resource labels from the k8sattributes processor too', (t) => t.labels === 'k8s'), group('no version on any pod (no service.version, no image tag)', (t) => t.versionless));
  lines.push(...[10, 15, 30, 60, 300].map((s) => group(`step ${s} s`, (t) => t.step === s)), ...[0, 1, 2, 3].map((d) => group(d === 3 ? 'broken 3+ hops below the page' : `broken ${d} hops below the page`, (t) => (d === 3 ? t.depth >= 3 : t.depth === d))));
  lines.push('', '### Reliability of the top score', '', '| top score | n | right |', '|---|---:|---:|');
  for (const [lo, hi] of [[0, 0.1], [0.1, 0.3], [0.3, 0.5], [0.5, 0.7], [0.7, 0.9], [0.9, 1.01]] as const) {
    const b = results.filter((r) => r.top >= lo && r.top < hi);
    lines.push(`| ${lo.toFixed(1)}–${Math.min(1, hi).toFixed(1)} | ${b.length} | ${pct(b.filter((r) => r.rank === 0).length, b.length)} |`);
  }
  const ms = results.map((r) => r.ms).sort((a, b) => a - b);
  lines.push('', `Time per analysis (reading the files, detection and correlation): mean ${Math.round(ms.reduce((s, x) => s + x, 0) / Math.max(1, ms.length))} ms, max ${Math.round(ms[ms.length - 1] ?? 0)} ms. Records rejected: ${results.reduce((s, r) => s + r.rejected, 0)}.`, '');
  const md = `${lines.join('\n')}\n`;
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/results/otel.md'), md);
  process.stdout.write(md);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exitCode = 1;
});
