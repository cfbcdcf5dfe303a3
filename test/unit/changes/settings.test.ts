import { strict as assert } from 'node:assert';
import { settingsFromDiff, settingsFromText } from '../../../src/changes/settings';

describe('changes: settings read from text', () => {
  const cases: [string, { key: string; from?: string; to?: string }[]][] = [
    ['order-sync: set http.client.pool.min_idle 28 → 224', [{ key: 'http.client.pool.min_idle', from: '28', to: '224' }]],
    ['pool.size: 10 -> 80', [{ key: 'pool.size', from: '10', to: '80' }]],
    ['raise max_connections from 100 to 400.', [{ key: 'max_connections', from: '100', to: '400' }]],
    ['spring.datasource.hikari.maximum-pool-size = 10 => 50, timeout.ms 500 ⇒ 2000', [
      { key: 'spring.datasource.hikari.maximum-pool-size', from: '10', to: '50' },
      { key: 'timeout.ms', from: '500', to: '2000' },
    ]],
    ['set cache.ttl to 30s', [{ key: 'cache.ttl', to: '30s' }]],
    ['set replicas: 3 -> 12', [{ key: 'replicas', from: '3', to: '12' }]],
    ['retry.policy: "linear" -> "exponential"', [{ key: 'retry.policy', from: 'linear', to: 'exponential' }]],
    ['catalog: replicas 4 → 5', [{ key: 'replicas', from: '4', to: '5' }]],
    ['scale checkout 3 → 5 replicas', [{ key: 'replicas', from: '3', to: '5' }]],
    ['scaled web from 3 to 6 instances', [{ key: 'replicas', from: '3', to: '6' }]],
    ['HPA shop/cart: minReplicas 2 → 4', [{ key: 'minReplicas', from: '2', to: '4' }]],
  ];
  for (const [text, want] of cases) {
    it(JSON.stringify(text), () => {
      const got = settingsFromText(text);
      assert.deepEqual(got.settings, want);
      assert.deepEqual(got.keys, want.map((s) => s.key));
    });
  }

  it('reads nothing where no key is named: versions, prose, plain words', () => {
    for (const t of ['deployed v1.2.3 -> v1.2.4 to prod', 'moved from staging to production', 'Build Success: Increase snapshot create timeout to 30 seconds', 'batch size 50 -> 500', '']) {
      assert.deepEqual(settingsFromText(t), { keys: [], settings: [] }, t);
    }
  });

  it('an unchanged value is not a setting change', () => {
    assert.deepEqual(settingsFromText('pool.size: 10 -> 10').settings, []);
  });
});

describe('changes: settings read from a unified diff', () => {
  it('follows YAML nesting through context lines', () => {
    const diff = [
      'diff --git a/order-sync/app.yaml b/order-sync/app.yaml',
      '--- a/order-sync/app.yaml',
      '+++ b/order-sync/app.yaml',
      '@@ -3,7 +3,7 @@ http:',
      ' http:',
      '   client:',
      '     pool:',
      '-      min_idle: 28',
      '+      min_idle: 224',
      '       max: 512',
      '   timeout: 5s',
      '-  retries: 3  # per call',
      '+  retries: 5  # per call',
    ].join('\n');
    assert.deepEqual(settingsFromDiff(diff), [
      { key: 'http.client.pool.min_idle', from: '28', to: '224' },
      { key: 'http.retries', from: '3', to: '5' },
    ]);
  });

  it('reads properties files, additions and removals', () => {
    const diff = ['--- a/app.properties', '+++ b/app.properties', '@@ -1,3 +1,3 @@', '-db.pool.size=10', '+db.pool.size=80', '+feature.batching=true', '-legacy.mode=on', ' server.port=8080'].join('\n');
    assert.deepEqual(settingsFromDiff(diff), [
      { key: 'db.pool.size', from: '10', to: '80' },
      { key: 'legacy.mode', from: 'on' },
      { key: 'feature.batching', to: 'true' },
    ]);
  });

  it('settingsFromText reads a diff pasted into a summary', () => {
    const text = 'bump the pool\n@@ -1,2 +1,2 @@\n pool:\n-  size: 10\n+  size: 80';
    assert.deepEqual(settingsFromText(text).settings, [{ key: 'pool.size', from: '10', to: '80' }]);
  });
});
