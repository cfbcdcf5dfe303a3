import type { Command } from 'commander';
import { loadHistory, loadProposal, teamsOf } from '../../app/whatif';
import { buildSnapshot, predict } from '../../whatif';
import { replay } from '../../whatif/replay';
import { parseTimeArg } from '../args';
import { EXIT_REJECTED, reportRejected } from '../io';
import type { Register } from './index';
import { historyOptions, type SnapshotSourceOptions } from './snapshot';

interface ReplayOptions extends SnapshotSourceOptions {
  from: string;
  to: string;
  propose: string;
  json?: boolean;
}

export const registerReplay: Register = (program: Command) => {
  historyOptions(
    program
      .command('replay')
      .description('Re-run a recorded window with a proposal\'s predicted effect injected: would it have paged, and would epicenter have named the change?'),
  )
    .requiredOption('--from <time>', 'start of the recorded window')
    .requiredOption('--to <time>', 'end of the recorded window')
    .requiredOption('--propose <file>', 'the proposed change (CloudEvent with quantities); its time must fall in the window')
    .option('--json', 'print {page, rank, score, suspects}')
    .action((opts: ReplayOptions) => {
      const from = parseTimeArg(opts.from, 'from');
      const to = parseTimeArg(opts.to, 'to');
      const proposal = loadProposal(opts.propose);
      const h = loadHistory(opts);
      reportRejected(h.rejected);
      const snap = buildSnapshot({ series: h.series, changes: h.changes, topology: h.topology, until: proposal.time, teams: teamsOf(h.changes) });
      const prediction = predict(snap, proposal);
      const r = replay({ series: h.series, changes: h.changes.map((c) => c.change), topology: h.topology, proposal, prediction, from, to });
      if (opts.json === true) process.stdout.write(`${JSON.stringify({ page: r.page === undefined ? null : { ...r.page, at: new Date(r.page.at).toISOString() }, rank: r.rank, score: r.score, suspects: r.suspects })}\n`);
      else if (r.page === undefined) process.stdout.write(`Replayed ${opts.from} – ${opts.to} with ${proposal.id} injected (verdict ${prediction.verdict}): no limit reached, no page.\n`);
      else {
        const p = r.page;
        process.stdout.write(`Replayed ${opts.from} – ${opts.to} with ${proposal.id} injected (verdict ${prediction.verdict}):\n`);
        process.stdout.write(`  page: ${p.service} ${p.metric} reaches ${Math.round(p.value)} (limit ${p.limit}) at ${new Date(p.at).toISOString()}\n`);
        process.stdout.write(r.rank > 0 ? `  epicenter ranks the proposal #${r.rank} (${Math.round(r.score * 100)} %)\n` : '  epicenter does not rank the proposal among its suspects\n');
      }
      if (h.rejected.length > 0) process.exitCode = EXIT_REJECTED;
    });
};
