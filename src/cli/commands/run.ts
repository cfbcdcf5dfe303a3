import type { Command } from 'commander';
import { createLogger, newInstanceId } from '../../app/logger';
import { startService } from '../../app/service';
import { loadConfig } from '../../config/load';
import { startTelemetrySdk } from '../../telemetry/sdk';
import type { Register } from './index';

/**
 * `epicenter run [--config FILE…]`: the long-running service. Consumes the metric topics (one
 * consumer group shared by all instances) and the changes topic (every instance reads it all),
 * detects breakpoints, stores to ClickHouse, serves the HTTP API. JSON logs on stdout.
 * SIGTERM/SIGINT stop it in order (stop consuming, flush, commit, disconnect, close); a second
 * signal exits at once. Exit status: 0 clean stop, 1 fatal error or unflushed data, 2 bad config.
 */
export interface RunOptions {
  config?: string[];
}

export async function runCommand(opts: RunOptions): Promise<void> {
  const cfg = loadConfig(opts.config ?? ['config/default.yaml']);
  const instanceId = newInstanceId();
  // The SDK (only when telemetry.otlpEndpoint is set) registers its providers before anything
  // starts; library code obtains meters and tracers lazily, on first use, so they bind to it.
  const sdk = await startTelemetrySdk({ ...cfg.telemetry, instanceId });
  const log = createLogger(cfg.log.level, instanceId);
  const service = await startService(cfg, log, instanceId);

  let signals = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    signals++;
    if (signals > 1) {
      log.warn({ signal: sig }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    void service.stop(sig);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  const code = await service.stopped.then(undefined, () => 1);
  await sdk.shutdown().catch(() => undefined);
  // Exit explicitly: after an orderly shutdown nothing is left to do, and a kafkajs restart timer
  // racing with disconnect() (seen after a broker restart) must not keep a zombie consumer alive.
  process.exit(code);
}

export const registerRun: Register = (program: Command) => {
  program
    .command('run')
    .description('Run the streaming service: Kafka → decode → detect → ClickHouse, plus the HTTP API')
    .option('-c, --config <file...>', 'YAML config files, later ones override earlier ones (default: config/default.yaml)')
    .action(async (opts: RunOptions) => {
      await runCommand(opts);
    });
};
