import type { Command } from 'commander';
import { keepVerdict, loadProposal, loadSnapshot } from '../../app/whatif';
import { predict, type Prediction, type Snapshot } from '../../whatif';
import { storedVerdict, type VerdictStore } from '../../whatif/store';
import { predictionJson, predictionReport } from '../../whatif/report';
import { whatIfBlocks } from '../../slack/whatif';
import { parseDurationArg } from '../args';
import { EXIT_REJECTED, reportRejected } from '../io';
import type { Register } from './index';
import { historyOptions, snapshotFrom, type SnapshotSourceOptions } from './snapshot';

interface WhatIfOptions extends SnapshotSourceOptions {
  propose: string;
  snapshot?: string;
  horizon?: string;
  json?: boolean;
  slack?: boolean;
}

/** Exit status on a predicted breach, so a deploy pipeline can gate on it. */
export const EXIT_BREACH = 1;

export const registerWhatIf: Register = (program: Command) => {
  historyOptions(
    program
      .command('whatif')
      .description('Predict what a proposed change (a CloudEvent with quantities) would do to production before it ships; exit 1 on a predicted breach'),
  )
    .requiredOption('--propose <file>', 'the proposed change: one CloudEvent with data.settings/replicas/traffic/version/effects')
    .option('--snapshot <file>', 'a snapshot from `epicenter snapshot` instead of --metrics/--source')
    .option('--horizon <duration>', 'how far ahead to look, e.g. 24h (default 24h: includes the daily peak)')
    .option('--json', 'print {"verdict","breaches","effects","blind","assumptions"}')
    .option('--slack', 'print the Slack Block Kit message for the verdict instead')
    .action(async (opts: WhatIfOptions) => {
      const proposal = loadProposal(opts.propose);
      const horizonMs = opts.horizon === undefined ? undefined : parseDurationArg(opts.horizon, 'horizon');
      const run = (snap: Snapshot): Prediction => predict(snap, proposal, horizonMs === undefined ? {} : { horizonMs });
      let kept: Prediction | undefined;
      // With ClickHouse the verdict is kept there too (Grafana's recent what-if verdicts).
      const keep = async (store: VerdictStore, snap: Snapshot): Promise<void> => {
        kept = run(snap);
        await keepVerdict(store, storedVerdict(proposal, kept, Date.now(), 'cli'));
      };
      // Without --until, history stops at the proposal's time: what was known before it would ship.
      const { snapshot, rejected } = opts.snapshot !== undefined ? { snapshot: loadSnapshot(opts.snapshot), rejected: [] } : await snapshotFrom(opts, proposal.time, keep);
      reportRejected(rejected);
      const pred = kept ?? run(snapshot);
      if (opts.slack === true) process.stdout.write(`${JSON.stringify(whatIfBlocks(pred, proposal))}\n`);
      else process.stdout.write(opts.json === true ? `${predictionJson(pred)}\n` : predictionReport(pred, proposal, snapshot));
      process.exitCode = pred.verdict === 'breach' ? EXIT_BREACH : rejected.length > 0 ? EXIT_REJECTED : 0;
    });
};
