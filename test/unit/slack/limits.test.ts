import assert from 'node:assert/strict';
import { enforceLimits, escapeTruncate, slackLimitViolations, SLACK_LIMITS, truncate, type Block } from '../../../src/slack/limits';

describe('slack limits', () => {
  it('truncate keeps short text and cuts long text to the limit with an ellipsis', () => {
    assert.equal(truncate('abc', 3), 'abc');
    assert.equal(truncate('abcdef', 4), 'abc…');
    assert.equal(truncate('abcdef', 4).length, 4);
    assert.equal(truncate('abc', 0), '');
  });

  it('truncate never splits a surrogate pair (an emoji at the cut)', () => {
    const s = `ab${'😀'}cd`; // 😀 is two UTF-16 units at index 2..3
    const t = truncate(s, 4);
    assert.equal(t, 'ab…');
    assert.ok(t.length <= 4);
  });

  it('escapeTruncate escapes & < > and never leaves half an entity', () => {
    assert.equal(escapeTruncate('a<b>&c', 100), 'a&lt;b&gt;&amp;c');
    const t = escapeTruncate('xx&&&&', 6); // "xx&amp;&amp;…" cut inside an entity
    assert.doesNotMatch(t, /&[a-z]*…$/);
    assert.ok(t.length <= 6);
  });

  it('enforceLimits keeps at most 50 blocks and says how many were left out', () => {
    const blocks: Block[] = Array.from({ length: 60 }, (_, i) => ({ type: 'section', text: { type: 'mrkdwn', text: `block ${i}` } }));
    const out = enforceLimits({ text: 'x', blocks });
    assert.equal(out.blocks.length, 50);
    assert.match(JSON.stringify(out.blocks[49]), /11 more blocks left out/);
    assert.deepEqual(slackLimitViolations(out), []);
  });

  it('enforceLimits clamps header and section texts, and the payload size', () => {
    const big = 'y'.repeat(5000);
    const out = enforceLimits({
      text: big,
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: big } },
        ...Array.from({ length: 10 }, (): Block => ({ type: 'section', text: { type: 'mrkdwn', text: big } })),
      ],
    });
    const before = slackLimitViolations({ text: 'x', blocks: [{ type: 'header', text: { type: 'plain_text', text: big } }] });
    assert.ok(before.some((v) => /header 5000 chars > 150/.test(v)), 'the checker sees the violation');
    assert.deepEqual(slackLimitViolations(out), []);
    assert.ok(JSON.stringify(out).length <= SLACK_LIMITS.maxPayloadChars);
    assert.equal(out.blocks[0]?.type, 'header', 'the first block is never dropped');
  });
});
