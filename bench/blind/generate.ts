/**
 * One incident of `npm run bench:blind`, written as the files a user would hand to
 * `npx epicenter analyze`: metrics.ndjson (OTLP/JSON as the Collector's file exporter writes it),
 * changes.ndjson (CloudEvents), topology.yaml (full, sparse or none of the calls declared), and
 * truth.json.
 *
 * The generator was written independently of the correlator, by someone who had read only the
 * README and docs/inputs.md (first as one plain Node.js script; ported here to TypeScript, the
 * same scenarios, dimensions and formats). Its parts: ./world.ts (services, calls, levels,
 * telemetry shape), ./scenarios.ts (the culprit, a–e), ./changes.ts (pods, releases, the crowded
 * change log), ./model.ts (the state at any instant, the page), ./budget.ts (file size),
 * ./telemetry.ts and ./otlp.ts (what the pods export).
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fitBudget } from './budget';
import { addInitialPods, iso, planChanges, type Change } from './changes';
import { choosePage, makeModel } from './model';
import { drawPlot } from './scenarios';
import { emit } from './telemetry';
import { downDistance, drawWorld, type ProtoMode, type Scenario, type World } from './world';

export interface Truth {
  readonly seed: number;
  readonly scenario: Scenario;
  readonly notes: readonly string[];
  /** what the culprit does, by scenario */
  readonly effect: Readonly<Record<string, unknown>>;
  /** (c) retries: the load ratio reached at the victim by the page */
  readonly loadRatioAtVictim?: number;
  /** the noiseless effect at the paged service 20 s before the page */
  readonly visibleAtPaged: { readonly latRatio: number; readonly errDelta: number };
  readonly cause: string;
  readonly causeService: string;
  readonly causeType: string;
  readonly causeTime: string;
  readonly causeSummary: string;
  readonly paged: string;
  readonly page_time: string;
  /** calls from the paged service down to the changed one; negative when the paged service is below it; null when unconnected */
  readonly hops: number | null;
  readonly troubleService: string | null;
  /** seconds */
  readonly step: number;
  readonly historyMin: number;
  readonly topology: 'full' | 'sparse' | 'none';
  readonly topologyEdgesKept: string | 0;
  readonly services: number;
  readonly pods: number;
  readonly protoMode: ProtoMode;
  readonly clientFrac: number;
  readonly dbClient: boolean;
  readonly resources: boolean;
  readonly addrStyle: 'short' | 'fqdn';
  readonly instStyle: 'uuid' | 'pod';
  /** harmless changes within two minutes of the culprit */
  readonly closeChanges: readonly string[];
  readonly nChanges: number;
  /** (e): the right answer is a low top score */
  readonly expectLowScore: boolean;
}

/** An incident written to `dir`, with the size of its metrics file. */
export interface Incident { readonly truth: Truth; readonly dir: string; readonly bytes: number }

function topologyYaml(w: World): { yaml: string; kind: 'full' | 'sparse' | 'none'; kept: number; total: number } {
  const { R } = w;
  const kind = R.pick(['full', 'sparse', 'none'] as const);
  const dropFrac = kind === 'sparse' ? R.uni(0.3, 0.6) : 0;
  let yaml = 'services:\n';
  let kept = 0;
  let total = 0;
  for (const s of w.svcs) {
    yaml += `  - name: ${s.name}\n    team: ${s.team}\n`;
    if (kind !== 'none') {
      const deps = s.children.filter(() => {
        total++;
        const k = !R.chance(dropFrac);
        if (k) kept++;
        return k;
      });
      yaml += `    dependsOn: [${deps.join(', ')}]\n`;
    }
  }
  return { yaml, kind, kept, total };
}

function generate(w: World, dir: string, shrink: number): Truth {
  addInitialPods(w);
  const changes: Change[] = [];
  const plot = drawPlot(w, changes);
  const closeChanges = planChanges(w, plot, changes);
  const culprit = plot.culprit!;
  const stateAt = makeModel(w, plot.effects);
  let loadRatioAtVictim: number | undefined;
  const sat = plot.effects.sat;
  if (sat) {
    const st = stateAt(w.T_p, true);
    sat.rhoExp = st.rate.get(sat.svc)! / st.base.get(sat.svc)!;
    loadRatioAtVictim = +sat.rhoExp.toFixed(3);
  }
  const { paged, vis } = choosePage(w, plot, stateAt);
  fitBudget(w, plot, shrink);
  const H = w.T_p - w.histMin * 60000;
  // harmless changes were drawn over the planned history: drop those before the final one
  for (let i = changes.length - 1; i >= 0; i--) if (Date.parse(changes[i]!.time) < H + 30e3 && changes[i] !== culprit) changes.splice(i, 1);
  const lines = emit(w, plot.effects, H, stateAt);
  const topo = topologyYaml(w);

  changes.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  const down = downDistance(w, paged, plot.culpritSvc);
  const up = downDistance(w, plot.culpritSvc, paged);
  if (w.scenario === 'e') plot.notes.push('culprit leaves no trace in the metrics: the right answer is a LOW top score');
  const truth: Truth = {
    seed: w.seed, scenario: w.scenario, notes: plot.notes, effect: plot.effect,
    ...(loadRatioAtVictim === undefined ? {} : { loadRatioAtVictim }),
    visibleAtPaged: { latRatio: +vis.latRatio.toFixed(3), errDelta: +vis.errDelta.toFixed(4) },
    cause: culprit.id, causeService: plot.culpritSvc, causeType: culprit.type.split('.').pop()!, causeTime: culprit.time, causeSummary: culprit.data.summary,
    paged, page_time: iso(w.T_p),
    hops: down !== null ? down : up !== null ? -up : null,
    troubleService: plot.troubleSvc,
    step: w.step / 1000, historyMin: w.histMin, topology: topo.kind, topologyEdgesKept: topo.kind === 'none' ? 0 : `${topo.kept}/${topo.total}`,
    services: w.svcs.length, pods: w.pods.length, protoMode: w.protoMode, clientFrac: w.clientFrac, dbClient: w.dbClient, resources: w.resources, addrStyle: w.addrStyle, instStyle: w.instStyle,
    closeChanges, nChanges: changes.length,
    expectLowScore: w.scenario === 'e',
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'metrics.ndjson'), `${lines.join('\n')}\n`);
  writeFileSync(join(dir, 'changes.ndjson'), `${changes.map((c) => JSON.stringify(c)).join('\n')}\n`);
  writeFileSync(join(dir, 'topology.yaml'), topo.yaml);
  writeFileSync(join(dir, 'truth.json'), `${JSON.stringify(truth, null, 2)}\n`);
  return truth;
}

/**
 * Write incident `seed` to root/inc-SEED. A metrics file of 28 MB or more is drawn again with a
 * stricter size estimate (the same draws otherwise), so files stay near 30 MB — until the estimate
 * is 8× stricter, when the file is kept whatever its size (./budget.ts).
 */
export function writeIncident(seed: number, root: string): Incident {
  const dir = join(root, `inc-${seed}`);
  let shrink = 1;
  for (;;) {
    const truth = generate(drawWorld(seed), dir, shrink);
    const bytes = statSync(join(dir, 'metrics.ndjson')).size;
    if (bytes < 28e6 || shrink > 8) return { truth, dir, bytes };
    shrink *= bytes / 26e6;
  }
}
