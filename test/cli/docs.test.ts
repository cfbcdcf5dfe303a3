import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, sh } from './helpers';

/** Every `$ npx epicenter …` transcript in docs/: the command and, up to the fence, what it prints. */
function transcripts(): { file: string; cmd: string; expected: string }[] {
  const out: { file: string; cmd: string; expected: string }[] = [];
  for (const name of readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md'))) {
    const text = readFileSync(join(ROOT, 'docs', name), 'utf8');
    for (const m of text.matchAll(/```\n\$ (npx epicenter [^\n]+)\n([\s\S]*?)```/g)) out.push({ file: `docs/${name}`, cmd: m[1]!, expected: m[2]! });
  }
  return out;
}

describe('the docs\' transcripts, exactly as written', () => {
  it('there is at least one', () => assert.ok(transcripts().length >= 1));
  for (const t of transcripts()) {
    it(`${t.file}: ${t.cmd}`, function () {
      this.timeout(120_000);
      const r = sh(t.cmd, ROOT);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, t.expected);
    });
  }
});
