import assert from 'node:assert/strict';
import { escapeHtml, escapeMarkdown, inlineScriptSource, jsonForScript } from '../../../src/timeline/escape';
import { fmtDuration, fmtNum, fmtRelative, fmtStamp } from '../../../src/timeline/format';

describe('timeline/escape', () => {
  it('escapeHtml escapes the five specials and the backtick, nothing else', () => {
    assert.equal(escapeHtml(`<img src=x onerror="a('b')">&\`ü`), '&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;&#96;ü');
    assert.equal(escapeHtml('&amp;'), '&amp;amp;');
  });

  it('jsonForScript cannot close its script element and still parses to the same value', () => {
    const v = { s: '</script><script>alert(1)</script><!-- & \u2028 \u2029' };
    const out = jsonForScript(v);
    assert.doesNotMatch(out, /<|>|&|\u2028|\u2029/);
    assert.deepEqual(JSON.parse(out), v);
  });

  it('inlineScriptSource breaks every </script, case-insensitively, keeping the JS meaning', () => {
    const src = 'var a = "</script>"; var b = "</SCRIPT >";';
    const out = inlineScriptSource(src);
    assert.doesNotMatch(out, /<\/script/i);
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const run = new Function(`${out}; return [a, b];`) as () => string[];
    assert.deepEqual(run(), ['</script>', '</SCRIPT >']);
  });

  it('escapeMarkdown keeps a hostile summary inside one table cell', () => {
    const out = escapeMarkdown('a | b\nc <b>x</b> [link](http://e) *y* `z`');
    assert.doesNotMatch(out, /\n|<|(?<!\\)\||(?<!\\)\[|(?<!\\)`/);
    assert.match(out, /&lt;b&gt;/);
  });
});

describe('timeline/format', () => {
  it('fmtRelative reads as T−/T+ with hours, minutes and seconds', () => {
    assert.equal(fmtRelative(0, 0), 'T±0');
    assert.equal(fmtRelative(-90_000, 0), 'T−1m30s');
    assert.equal(fmtRelative(600_000, 0), 'T+10m');
    assert.equal(fmtRelative(-3_900_000, 0), 'T−1h05m');
    assert.equal(fmtRelative(5_000, 0), 'T+5s');
    assert.equal(fmtDuration(-3_900_000), '1h05m');
  });

  it('fmtNum gives 3 significant digits, grouped thousands and millions', () => {
    assert.equal(fmtNum(0.123456), '0.123');
    assert.equal(fmtNum(1024), '1,024');
    assert.equal(fmtNum(4_500_000), '4.5M');
    assert.equal(fmtNum(1_137_382_624), '1.14G');
    assert.equal(fmtNum(-12.345), '-12.3');
    assert.equal(fmtNum(0), '0');
  });

  it('fmtStamp is a compact UTC file-name stamp', () => {
    assert.equal(fmtStamp(Date.UTC(2024, 4, 1, 14, 3, 20, 999)), '20240501T140320Z');
  });
});
