import type { Command } from 'commander';
import { loadConfig } from '../../config/load';
import { runDemo, type DemoResult } from '../../app/demo';
import { bundled } from '../../app/paths';
import type { HttpHandle } from '../../app/http';
import { EpicenterError } from '../../errors';
import { analysisReport } from './analyze';
import type { Register } from './index';

interface DemoOptions {
  /** @default the bundled examples/incident */
  dir?: string;
  serve: boolean;
  port?: string;
  config?: string[];
}

/** Serve after the report is out; a port in use is one line naming it (exit 2), not a stack trace. */
async function serveOrExplain(r: DemoResult, where: string): Promise<HttpHandle> {
  try {
    return await r.serve();
  } catch (e) {
    await r.close();
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      throw new EpicenterError('BAD_CONFIG', `${where} cannot be served (${code}); choose another port with --port or http.port`, { origin: { field: '--port' } });
    }
    throw e;
  }
}

export const registerDemo: Register = (program: Command) => {
  program
    .command('demo')
    .description('Embedded default (npm start): replay the bundled incident in-process, print the suspects, then serve the HTTP API')
    .option('--dir <folder>', 'incident folder (metrics.ndjson, changes.ndjson, topology.yaml, truth.json), e.g. one `simulate` wrote (default: the bundled examples/incident)')
    .option('--no-serve', 'exit after printing the analysis')
    .option('--port <n>', 'HTTP port (default: config http.port); timeline links follow it unless http.publicUrl is set')
    .option('--config <file...>', 'config YAML files (default: config/default.yaml)')
    .action(async (o: DemoOptions) => {
      if (o.port !== undefined && !(/^\d{1,5}$/.test(o.port) && Number(o.port) <= 65535)) throw new EpicenterError('BAD_REQUEST', `'${o.port}' is not a port number (0–65535)`, { origin: { field: '--port' } });
      const env = o.port === undefined ? process.env : { ...process.env, EPICENTER_HTTP_PORT: o.port };
      const cfg = loadConfig(o.config, env);
      const started = Date.now();
      const r = await runDemo({ cfg, dir: o.dir ?? bundled('examples', 'incident') });
      const s = r.summary;
      const out = process.stdout;
      out.write(`Replayed ${o.dir ?? 'examples/incident'} through the embedded pipeline: ${s.points} points, ${s.changes} changes, ${s.breakpoints} breakpoints, ${s.deadLetters.length} dead letters (${((Date.now() - started) / 1000).toFixed(1)} s).\n`);
      if (r.incident.alert !== undefined) out.write(`Paged: ${r.incident.alert} on ${r.incident.service} at ${new Date(r.incident.at).toISOString()}\n`);
      out.write('\n');
      const series = await r.store.queryPoints({ from: r.analysis.from, to: r.analysis.to, services: [r.incident.service] });
      const changes = await r.store.queryChanges({ from: r.analysis.from - 6 * 3600_000, to: r.analysis.to });
      out.write(analysisReport(r.analysis, series, changes));
      const cause = r.incident.cause;
      if (cause !== undefined) {
        const rank = r.analysis.suspects.findIndex((x) => x.id === cause.id) + 1;
        out.write(`\n${o.dir === undefined ? 'Bundled ground truth' : `Ground truth (${o.dir}/truth.json)`}: ${cause.type} of ${cause.service} (team ${cause.team}) [${cause.id}] — ${rank === 0 ? `not among the ${r.analysis.suspects.length} suspects` : `ranked #${rank}`}.\n`);
      }
      if (!o.serve) {
        await r.close();
        return;
      }
      const http = await serveOrExplain(r, `${cfg.http.host}:${cfg.http.port}`);
      const base = http.publicUrl.replace(/\/+$/, '');
      const at = new Date(r.incident.at).toISOString();
      out.write(`\nHTTP API on http://${http.address} (Ctrl-C to stop). Try:\n`);
      out.write(`  curl -s -X POST ${base}/v1/analyze -H 'content-type: application/json' -d '{"service":"${r.incident.service}","at":"${at}"}'\n`);
      out.write(`  curl -s '${base}/v1/timeline?service=${r.incident.service}&at=${at}' > timeline.html\n`);
      const stop = (): void => {
        r.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
};
