import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAnalyzeCommand } from '../../../src/cli/commands/analyze';

describe('analyze command: a large metrics file', () => {
  it('a file of 400 000 samples no longer overflows the stack (they were spread as arguments)', async function () {
    this.timeout(120_000);
    const dir = mkdtempSync(join(tmpdir(), 'epicenter-large-'));
    try {
      const t0 = Date.UTC(2026, 2, 12, 0, 0);
      const lines: string[] = [];
      for (let s = 0; s < 400; s++) {
        const dataPoints = Array.from({ length: 1000 }, (_, i) => ({ timeUnixNano: `${t0 + i * 10_000}000000`, asDouble: 1 + (i % 7) }));
        const resource = { attributes: [{ key: 'service.name', value: { stringValue: `svc-${s % 20}` } }, { key: 'service.instance.id', value: { stringValue: `pod-${s}` } }] };
        lines.push(JSON.stringify({ resourceMetrics: [{ resource, scopeMetrics: [{ metrics: [{ name: 'k8s.pod.cpu_limit_utilization', unit: '1', gauge: { dataPoints } }] }] }] }));
      }
      const file = join(dir, 'metrics.ndjson');
      writeFileSync(file, `${lines.join('\n')}\n`);
      const r = await runAnalyzeCommand({ metrics: [file], service: 'svc-0', at: String(t0 + 10_000_000), window: '1h', after: '0s', config: [] });
      assert.equal(r.rejected.length, 0);
      assert.equal(r.series.length, 400);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
