/**
 * Writes the fd-exhaustion story from the simulator with a fixed seed, as examples/incident/ was
 * made, and checks that `analyze` names the planted config change first.
 *
 *   npx tsx bench/correlate/make-incident.ts [DIR]   (default out/incident)
 *
 * examples/incident/ itself is kept as it was generated (docs and tests quote its numbers and
 * change ids); the simulator has grown since, so today's output differs in details (background
 * change ids, a few samples) while telling the same story. Pass examples/incident to replace it.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../src/correlate';
import { scenarioSeries, simulate, writeCloudEventsNdjson, writeOtlpNdjson, writeTopologyYaml, writeTruthJson } from '../../src/sim';

export const INCIDENT_SEED = 1;
const dir = process.argv[2] ?? join(__dirname, '../../out/incident');
const sc = simulate({ seed: INCIDENT_SEED, story: 'fd-exhaustion' });
const t = sc.truth;
mkdirSync(dir, { recursive: true });
// A batch of 30 samples per request keeps the file small (< 5 MB) while staying valid OTLP/JSON.
writeFileSync(join(dir, 'metrics.ndjson'), writeOtlpNdjson(sc, 30));
writeFileSync(join(dir, 'changes.ndjson'), writeCloudEventsNdjson(sc.changes));
writeFileSync(join(dir, 'topology.yaml'), writeTopologyYaml(sc.topology));
writeFileSync(join(dir, 'truth.json'), writeTruthJson(t, 'CheckoutApiFileDescriptorsNearLimit'));

const a = analyze({ series: scenarioSeries(sc), changes: sc.changes, topology: sc.topology, service: t.victim, at: t.at, windowMs: 6 * 3600_000, afterMs: 3600_000 });
const top = a.suspects[0];
process.stdout.write(`wrote ${dir}: page at ${new Date(t.at).toISOString()}, cause ${t.cause.id} (${t.cause.type} of ${t.cause.service}); top suspect ${top?.id ?? 'none'} ${((top?.score ?? 0) * 100).toFixed(0)}%\n`);
if (top?.id !== t.cause.id) {
  process.stderr.write('analyze does NOT name the planted cause first\n');
  process.exitCode = 1;
}
