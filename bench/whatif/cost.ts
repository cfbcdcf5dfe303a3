/**
 * The size case: a simulated system of 10,000 services (about 100,000 input series, one day at
 * 30-min steps). Builds the snapshot here; the what-if runs in a fresh process (cost-whatif.ts) so
 * its memory is its own.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyEffects } from '../../src/sim/effects';
import { createRng } from '../../src/sim/prng';
import { scenarioSeries } from '../../src/sim/series';
import { generateStreams } from '../../src/sim/streams';
import { buildWorld, worldTopology } from '../../src/sim/world';
import { buildSnapshot, encodeSnapshot } from '../../src/whatif';

export interface Cost {
  readonly services: number;
  readonly series: number;
  readonly points: number;
  readonly generateS: number;
  readonly snapshotS: number;
  readonly snapshotCpuS: number;
  readonly snapshotHeapMB: number;
  readonly snapshotMB: number;
  readonly whatif: { loadS: number; predictMs: number[]; predictCpuMs: number[]; rssMB: number; heapMB: number };
}

const mb = (b: number): number => b / 2 ** 20;

export function costCase(services: number, seed: number): Cost {
  const rng = createRng(`whatif-cost-${seed}`);
  let t = Date.now();
  const w = buildWorld(rng.fork('world'), services, 12, [1, 2], { version: true, instanceId: true, environment: false, peer: 'server.address' });
  const start = Date.UTC(2026, 4, 4);
  const stepMs = 30 * 60_000;
  const streams = generateStreams(rng.fork('streams'), w, emptyEffects(), { amplitude: 0.2, peakHour: 15 }, start, stepMs, 48);
  const series = scenarioSeries({ streams, start, stepMs });
  const generateS = (Date.now() - t) / 1000;
  const points = series.reduce((a, s) => a + s.points.length, 0);
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  t = Date.now();
  const cpu0 = process.cpuUsage();
  const snap = buildSnapshot({ series, changes: [], topology: worldTopology(w), days: 7 });
  const snapshotS = (Date.now() - t) / 1000;
  const cu = process.cpuUsage(cpu0);
  const snapshotCpuS = (cu.user + cu.system) / 1e6;
  const snapshotHeapMB = mb(process.memoryUsage().heapUsed - heap0);
  const dir = mkdtempSync(join(tmpdir(), 'whatif-cost-'));
  try {
    const file = join(dir, 'snapshot.json');
    writeFileSync(file, encodeSnapshot(snap));
    // Proposals: pool changes on edges of random callers (×4–×40), traffic and replica changes.
    const edges = w.services.filter((s) => s.deps.length > 0);
    const props = Array.from({ length: 10 }, (_, i) => {
      const c = edges[(i * 997) % edges.length]!;
      const data = i % 3 === 0 ? { traffic: { factor: 2 } } : i % 3 === 1 ? { replicas: { from: c.instances, to: c.instances * 4 } } : { settings: [{ key: 'http.client.pool.min_idle', from: 5, to: 5 * (4 + 4 * i) }] };
      return { specversion: '1.0', id: `cost-${i}`, source: 'bench', type: 'x.change.config', subject: c.name, time: new Date(snap.to).toISOString(), data };
    });
    const pf = join(dir, 'proposals.json');
    writeFileSync(pf, JSON.stringify(props));
    const out = execFileSync(process.execPath, [join(__dirname, 'cost-whatif.js'), file, pf], { encoding: 'utf8' });
    return { services, series: series.length, points, generateS, snapshotS, snapshotCpuS, snapshotHeapMB, snapshotMB: mb(statSync(file).size), whatif: JSON.parse(out) as Cost['whatif'] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
