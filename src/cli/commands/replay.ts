import type { Command } from 'commander';
import { metricRulesOf } from '../../app/metric-names';
import { loadHistory, loadProposal, replayWindow } from '../../app/whatif';
import { loadConfig } from '../../config/load';
import { EpicenterError } from '../../errors';
import type { ReplayResult } from '../../whatif/replay';
import { parseTimeArg } from '../args';
import { EXIT_REJECTED, reportRejected } from '../io';
import type { Register } from './index';
import { historyOptions, type SnapshotSourceOptions } from './snapshot';
import { writePage } from './timeline';

interface ReplayOptions extends SnapshotSourceOptions {
  from: string;
  to: string;
  propose: string;
  out: string;
  json?: boolean;
}

function report(r: ReplayResult, what: string): string {
  const p = r.page;
  if (p === undefined) return `${what}: no limit reached, no page.\n`;
  const rank = r.rank > 0 ? `  epicenter ranks the proposal #${r.rank} (${Math.round(r.score * 100)} %)` : '  epicenter does not rank the proposal among its suspects';
  return `${what}:\n  page: ${p.service} ${p.metric} reaches ${Math.round(p.value)} (limit ${p.limit}) at ${new Date(p.at).toISOString()}\n${rank}\n`;
}

export const registerReplay: Register = (program: Command) => {
  historyOptions(
    program
      .command('replay')
      .description('Re-run a recorded window with a proposal\'s predicted effect injected: would it have paged, and would epicenter have named the change? Writes a timeline page (Markdown + HTML)'),
  )
    .requiredOption('--from <time>', 'start of the recorded window')
    .requiredOption('--to <time>', 'end of the recorded window')
    .requiredOption('--propose <file>', 'the proposed change (CloudEvent with quantities); its time must fall in the window')
    .option('--out <dir>', 'folder for the timeline page replay-<proposal id>-<stamp>.md and .html', 'out')
    .option('--json', 'print {page, rank, score, suspects, timeline: {markdown, html}}')
    .action((opts: ReplayOptions) => {
      // The replay re-runs recorded points through the detectors: it reads files, not the store.
      if (opts.source !== undefined && opts.source !== 'files') throw new EpicenterError('BAD_REQUEST', `--source: replay reads files only (--metrics FILE… --changes FILE --topology FILE), not '${opts.source}'`, { origin: { field: 'source' } });
      if (opts.metrics === undefined || opts.metrics.length === 0) throw new EpicenterError('BAD_REQUEST', '--metrics FILE… is required', { origin: { field: 'metrics' } });
      const from = parseTimeArg(opts.from, 'from');
      const to = parseTimeArg(opts.to, 'to');
      const proposal = loadProposal(opts.propose);
      const h = loadHistory(opts);
      reportRejected(h.rejected);
      const { prediction, result: r, page } = replayWindow(h, proposal, from, to, metricRulesOf(loadConfig(opts.config)));
      const base = writePage(opts.out, 'replay', proposal.id, proposal.time, page);
      const files = { markdown: `${base}.md`, html: `${base}.html` };
      if (opts.json === true) process.stdout.write(`${JSON.stringify({ page: r.page === undefined ? null : { ...r.page, at: new Date(r.page.at).toISOString() }, rank: r.rank, score: r.score, suspects: r.suspects, timeline: files })}\n`);
      else process.stdout.write(`${report(r, `Replayed ${opts.from} – ${opts.to} with ${proposal.id} injected (verdict ${prediction.verdict})`)}  timeline: ${files.markdown}\n            ${files.html}\n`);
      if (h.rejected.length > 0) process.exitCode = EXIT_REJECTED;
    });
};
