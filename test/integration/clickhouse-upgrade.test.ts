/**
 * Upgrading a database made by schema v1 (before change settings, origins and webhook counts)
 * on the REAL server (scripts/services.sh; 18.16 here). Uses its own database and drops it.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { openConnection } from '../../src/clickhouse/connection';
import { migrate } from '../../src/clickhouse/migrate';
import { MIGRATIONS, TABLES } from '../../src/clickhouse/schema';
import { ident, sql } from '../../src/clickhouse/sql';
import { createClickHouseStore } from '../../src/clickhouse/store';
import { parseConfig } from '../../src/config/load';
import type { ChangeEvent } from '../../src/domain/types';
import { makeV1 } from './helpers/schema-v1';

const DB = `epicenter_upgrade_${randomBytes(4).toString('hex')}`;
const cfg = parseConfig({ clickhouse: { database: DB, retentionDays: 3 } }).clickhouse;
const T0 = Math.floor(Date.now() / 3600_000) * 3600_000 - 3600_000;

describe('clickhouse schema upgrade from v1 (real server)', function () {
  this.timeout(120_000);
  const conn = openConnection(cfg);

  after(async () => {
    await conn.command(sql`DROP DATABASE IF EXISTS ${ident(DB)}`);
    await conn.close();
  });

  it('adds the v2 columns once, even when a half-applied run already added some (18.16 has no ADD COLUMN IF NOT EXISTS)', async () => {
    await makeV1(conn, DB, T0);
    // A run that stopped after its first ALTER: the plain ALTER would now fail with "column already exists".
    await conn.command(sql`ALTER TABLE ${ident(DB)}.${ident(TABLES.changes)} ADD COLUMN setting_keys Array(String)`);
    const first = await migrate(conn, { database: DB, retentionDays: 3 });
    // v2 and every later migration (v3: whatif_verdicts).
    assert.deepEqual(first.applied, MIGRATIONS.slice(1).map((m) => m.version));
    assert.deepEqual((await migrate(conn, { database: DB, retentionDays: 3 })).applied, []);
    const cols = await conn.query<{ table: string; name: string }>(sql`SELECT table, name FROM system.columns WHERE database = ${DB}`);
    for (const c of MIGRATIONS[1]!.columns ?? []) {
      assert.equal(cols.filter((x) => x.table === c.table && x.name === c.name).length, 1, `${c.table}.${c.name}`);
    }
    assert.ok(cols.some((x) => x.table === TABLES.whatifVerdicts && x.name === 'breach_summary'), 'v3 created whatif_verdicts');
  });

  it('reads v1 rows without settings or origins, and round-trips new ones with them', async () => {
    const store = await createClickHouseStore(cfg);
    try {
      const fresh: ChangeEvent = {
        id: 'c-v2', source: 'merged', type: 'config', rawType: 'x.change.config', service: 'svc-b', time: T0 + 1000, keys: ['pool.size'],
        settings: [{ key: 'pool.size', from: '10', to: '80' }],
        origins: [{ source: 'github/acme/cfg', id: 'push-1', kind: 'github.push' }, { source: 'k8s/prod', id: 'cm-1', kind: 'k8s.ConfigMap' }],
      };
      await store.insertChanges([fresh]);
      assert.deepEqual(await store.queryChanges({ from: T0, to: T0 + 60_000 }), [
        { id: 'c-v1', source: 'old', type: 'config', rawType: 'x.change.config', service: 'svc-b', team: 'team-b', time: T0, keys: ['pool.size'] },
        fresh,
      ]);
    } finally {
      await store.close();
    }
  });
});
