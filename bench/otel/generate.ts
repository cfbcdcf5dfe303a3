/**
 * One incident of `npm run bench:otel` as files a user would hand to `npx epicenter analyze`:
 * metrics.ndjson (OTLP/JSON), changes.ndjson (CloudEvents), topology.yaml, and truth.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { telemetry } from './telemetry';
import { drawWorld, type Mechanism, type Style } from './world';

export interface Truth {
  readonly seed: number;
  readonly dir: string;
  /** The service paged (the entry service), and when (ISO). */
  readonly service: string;
  readonly at: string;
  readonly cause: string;
  readonly mechanism: Mechanism;
  readonly style: Style;
  readonly step: number;
  readonly topology: 'full' | 'sparse' | 'none';
  /** Hops from the paged service down to the service that broke. */
  readonly depth: number;
  readonly clientSide: boolean;
  /** How pods' resources are labelled (see `World.labels`). */
  readonly labels: 'sdk' | 'k8s';
  /** Spring Boot's Micrometer names and tags, through the Prometheus receiver (a `prom` world). */
  readonly micrometer: boolean;
  /** A Go service's failures counted in `http_requests_total` only (client_golang). */
  readonly counter: boolean;
  /** No pod names its version (see `World.labels`). */
  readonly versionless: boolean;
}

const iso = (s: number): string => new Date(s * 1000).toISOString().replace('.000Z', 'Z');

export function writeIncident(seed: number, root: string): Truth {
  const w = drawWorld(seed);
  const dir = join(root, String(seed));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'metrics.ndjson'), `${telemetry(w).join('\n')}\n`);
  const events = w.changes.map((c) => JSON.stringify({ specversion: '1.0', id: c.id, source: `//ci.example.com/${c.svc}`, type: `com.example.change.${c.type}`, subject: c.svc, time: iso(c.time), data: { team: `team-${c.svc}`, ...c.data } }));
  writeFileSync(join(dir, 'changes.ndjson'), `${events.join('\n')}\n`);
  const yaml = ['services:'];
  for (const s of w.svcs) {
    // sparse: each declared edge kept with even odds; none: no dependsOn at all.
    const deps = [...(w.calls.get(s)?.keys() ?? [])].filter(() => w.topology === 'full' || (w.topology === 'sparse' && w.rng.chance(0.5)));
    yaml.push(`  - name: ${s}`, `    team: team-${s}`, ...(w.topology === 'none' ? [] : [`    dependsOn: [${deps.join(', ')}]`]));
  }
  writeFileSync(join(dir, 'topology.yaml'), `${yaml.join('\n')}\n`);
  const truth: Truth = { seed, dir, service: w.entry, at: iso(w.page), cause: w.cause, mechanism: w.mechanism, style: w.style, step: w.step, topology: w.topology, depth: w.depth.get(w.broken) ?? 0, clientSide: w.clientSide, labels: w.labels.style, micrometer: w.labels.micrometer, counter: w.labels.counter, versionless: w.labels.versionless };
  writeFileSync(join(dir, 'truth.json'), `${JSON.stringify(truth)}\n`);
  return truth;
}
