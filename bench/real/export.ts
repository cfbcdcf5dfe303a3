/**
 * Write one Nezha day as files a user passes to `epicenter analyze`: metrics.ndjson (OTLP/JSON),
 * changes.ndjson (CloudEvents), topology.yaml and incidents.json (each fault with its question).
 *
 *   npx tsx bench/real/export.ts 2022-08-22 /tmp/nezha-0822
 *   npx epicenter analyze --metrics /tmp/nezha-0822/metrics.ndjson --changes /tmp/nezha-0822/changes.ndjson \
 *     --topology /tmp/nezha-0822/topology.yaml --service frontend --at <at of an incident> --window 1h --after 0s
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDayData, nezhaDir } from './dataset';

const [day, out] = process.argv.slice(2);
if (day === undefined || out === undefined) {
  process.stderr.write('usage: npx tsx bench/real/export.ts <day, e.g. 2022-08-22> <out dir>\n');
  process.exit(2);
}
const d = loadDayData(nezhaDir(join(__dirname, '../..')), day);
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'metrics.ndjson'), d.text.metrics);
writeFileSync(join(out, 'changes.ndjson'), d.text.changes);
writeFileSync(join(out, 'topology.yaml'), d.text.topology);
const incidents = d.incidents.map((i) => ({ id: i.id, cause: i.causeId, service: i.service, at: new Date(i.at).toISOString(), fault: { ...i.fault, time: new Date(i.fault.time).toISOString() } }));
writeFileSync(join(out, 'incidents.json'), `${JSON.stringify(incidents, null, 2)}\n`);
process.stdout.write(`${incidents.length} incidents of ${day} (${d.system}) written to ${out}\n`);
