import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as load from '../../../src/config/load';
import { EpicenterError, isEpicenterError } from '../../../src/errors';

const ROOT = resolve(__dirname, '..', '..', '..');
const { loadConfig } = load;

/** The BAD_CONFIG error `fn` throws, as printed (`where: key: message`). */
function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isEpicenterError(e) && e.code === 'BAD_CONFIG') return e.describe();
    throw e;
  }
  assert.fail('the configuration was accepted');
}

describe('config: loadConfig', () => {
  let dir = '';
  const file = (name: string, text: string): string => {
    const f = join(dir, name);
    writeFileSync(f, text);
    return f;
  };
  before(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'epicenter-config-')));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts the bundled defaults, the test variables, and freezes the result deeply', () => {
    const c = loadConfig([], { EPICENTER_TEST_ECHO: '1', EPICENTER_SIM_CACHE: '/tmp/x', PATH: '/bin' });
    assert.equal(c.clickhouse.url, 'http://127.0.0.1:8123');
    assert.ok(Object.isFrozen(c) && Object.isFrozen(c.kafka.topics) && Object.isFrozen(c.kafka.brokers));
  });

  it('a --config file that does not exist is refused, naming the file (it used to run on defaults)', () => {
    assert.match(refusal(() => loadConfig(['/tmp/does-not-exist.yaml'], {})), /^\/tmp\/does-not-exist\.yaml: config file does not exist/);
  });

  it('finds config/default.yaml in the package folder, not the working directory', () => {
    assert.equal(load.bundledConfigFile(), join(ROOT, 'config', 'default.yaml'));
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      assert.equal(load.bundledConfigFile(), join(ROOT, 'config', 'default.yaml'));
      // The CLI's default name means the bundled file wherever it runs.
      assert.equal(loadConfig(['config/default.yaml'], {}).http.port, 8080);
    } finally {
      process.chdir(cwd);
    }
  });

  it('missing bundled defaults are reported, not skipped', () => {
    assert.match(refusal(() => loadConfig([], {}, join(dir, 'config', 'default.yaml'))), /default\.yaml: the bundled default configuration is missing/);
    const own = file('defaults.yaml', 'http:\n  port: 1234\n');
    assert.equal(loadConfig([], {}, own).http.port, 1234);
  });

  it('later files override earlier ones key by key, below the top level too', () => {
    const a = file('a.yaml', 'kafka:\n  topics:\n    metrics: m1\n    changes: c1\n');
    const b = file('b.yaml', 'kafka:\n  topics:\n    metrics: m2\n');
    const c = loadConfig(['config/default.yaml', a, b], {});
    assert.deepEqual([c.kafka.topics.metrics, c.kafka.topics.changes, c.kafka.topics.deadLetter], ['m2', 'c1', 'epicenter.dlq']);
  });

  it('an unknown key below the top level is refused with its file and line (clickhouse.databse was dropped)', () => {
    const f = file('typo.yaml', 'clickhouse:\n  url: http://127.0.0.1:8123\n  databse: prod\n');
    const msg = refusal(() => loadConfig([f], {}));
    assert.match(msg, new RegExp(`^${f}:3: clickhouse\\.databse: unknown key; known here: url, database`));
  });

  it('a URL key is validated as an http URL and the refusal names the key and line ("localhost:8123x" passed)', () => {
    const f = file('url.yaml', 'http:\n  port: 9000\nclickhouse:\n  url: "localhost:8123x"\n');
    assert.match(refusal(() => loadConfig([f], {})), new RegExp(`^${f}:4: clickhouse\\.url: must be an http:// or https:// URL`));
    assert.match(refusal(() => loadConfig([], { EPICENTER_SLACK_WEBHOOK_URL: 'hooks.slack.com/x' })), /^environment variable EPICENTER_SLACK_WEBHOOK_URL: slack\.webhookUrl: /);
    assert.match(refusal(() => loadConfig([], { EPICENTER_KAFKA_BROKERS: 'a:9092,http://b:9092' })), /^environment variable EPICENTER_KAFKA_BROKERS: kafka\.brokers\.1: must be host:port/);
    assert.deepEqual(loadConfig([], { EPICENTER_KAFKA_BROKERS: 'kafka-0.svc:9092,[::1]:9093' }).kafka.brokers, ['kafka-0.svc:9092', '[::1]:9093']);
  });

  it('an unknown EPICENTER_ variable is refused, listing the known ones (it was ignored)', () => {
    const msg = refusal(() => loadConfig([], { EPICENTER_CLICKHOSE_URL: 'http://x:8123' }));
    assert.match(msg, /^environment variable EPICENTER_CLICKHOSE_URL: unknown configuration variable; known: EPICENTER_KAFKA_BROKERS, /);
    assert.match(msg, /EPICENTER_CLICKHOUSE_URL, /);
    assert.match(msg, /EPICENTER_TOPOLOGY_FILE/);
  });

  it('a bad value from the environment is blamed on the variable, not on config/default.yaml', () => {
    const msg = refusal(() => loadConfig(['config/default.yaml'], { EPICENTER_HTTP_PORT: 'eighty' }));
    assert.match(msg, /^environment variable EPICENTER_HTTP_PORT: http\.port: /);
    assert.doesNotMatch(msg, /default\.yaml/);
  });

  it('environment variables reach every key: nested, lists, numbers, top-level', () => {
    const c = loadConfig([], {
      EPICENTER_KAFKA_TOPICS_DEAD_LETTER: 'dlq', EPICENTER_KAFKA_BROKERS: 'a:1, b:2', EPICENTER_CLICKHOUSE_PASSWORD: '1234',
      EPICENTER_PIPELINE_MAX_SERIES: '10', EPICENTER_TOPOLOGY_FILE: '/etc/topo.yaml',
    });
    assert.deepEqual([c.kafka.topics.deadLetter, c.kafka.brokers, c.clickhouse.password, c.pipeline.maxSeries, c.topologyFile], ['dlq', ['a:1', 'b:2'], '1234', 10, '/etc/topo.yaml']);
  });

  it('YAML syntax errors and cross-field checks name the line', () => {
    const f = file('broken.yaml', 'http:\n  port: [\n');
    assert.match(refusal(() => loadConfig([f], {})), new RegExp(`^${f}:\\d+: not valid YAML`));
    const g = file('beat.yaml', 'kafka:\n  sessionTimeoutMs: 6000\n  heartbeatIntervalMs: 3000\n');
    assert.match(refusal(() => loadConfig([g], {})), new RegExp(`^${g}:3: kafka\\.heartbeatIntervalMs: must be at most a third`));
  });

  it('the CLI stops at start with exit status 2 naming the file or the variable', function () {
    this.timeout(60_000);
    // Calls main() as the launcher does, from another working directory.
    const script = `require(${JSON.stringify(join(ROOT, 'src', 'cli', 'main.ts'))}).main(['node', 'epicenter', ...process.argv.slice(1)])`;
    const cli = (args: string[], env: Record<string, string> = {}) =>
      spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', script, ...args], { cwd: dir, env: { PATH: process.env['PATH'] ?? '', ...env }, encoding: 'utf8', timeout: 30_000 });
    const missing = cli(['run', '--config', '/tmp/does-not-exist.yaml']);
    assert.equal(missing.status, 2, missing.stderr);
    assert.match(missing.stderr, /BAD_CONFIG: \/tmp\/does-not-exist\.yaml: config file does not exist/);
    const unknown = cli(['run'], { EPICENTER_CLICKHOUSE_DATABSE: 'x' });
    assert.equal(unknown.status, 2, unknown.stderr);
    assert.match(unknown.stderr, /EPICENTER_CLICKHOUSE_DATABSE: unknown configuration variable/);
  });

  it('a YAML key __proto__ is refused as an unknown key and pollutes nothing (it wrote into Object.prototype)', () => {
    const f = file('proto.yaml', 'http:\n  __proto__:\n    polluted: 1\n');
    assert.match(refusal(() => loadConfig([f], {})), new RegExp(`^${f}:2: http\\.__proto__: unknown key`));
    assert.equal((({}) as Record<string, unknown>)['polluted'], undefined);
  });

  it('parseConfig refuses unknown nested keys too', () => {
    assert.throws(() => load.parseConfig({ http: { prot: 1 } }), (e: unknown) => e instanceof EpicenterError && /http\.prot: unknown key/.test(e.describe()));
  });
});
