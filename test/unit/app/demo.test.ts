import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/config/load';
import { runDemo } from '../../../src/app/demo';

describe('embedded demo (npm start)', function () {
  this.timeout(120_000);

  it('replays the bundled fd-exhaustion incident through the pipeline and names the other team\'s config change first', async () => {
    const r = await runDemo({ cfg: parseConfig({}), dir: 'examples/incident' });
    try {
      assert.equal(r.summary.deadLetters.length, 0);
      assert.ok(r.summary.points > 10_000, `points ${r.summary.points}`);
      const top = r.analysis.suspects[0];
      assert.ok(top !== undefined);
      assert.equal(top.id, r.incident.cause?.id);
      assert.equal(top.type, 'config');
      assert.notEqual(top.team, 'checkout', 'the cause is across a team boundary');
      // The victim's own deploy (a red herring) ranks below the cause.
      const deploy = r.analysis.suspects.findIndex((s) => s.service === r.incident.service && s.type === 'deploy');
      assert.ok(deploy === -1 || deploy > 0);
    } finally {
      await r.close();
    }
  });
});
