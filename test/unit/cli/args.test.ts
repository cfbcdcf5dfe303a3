import assert from 'node:assert/strict';
import { parseDurationArg, parseTimeArg } from '../../../src/cli/args';
import { isEpicenterError } from '../../../src/errors';

describe('cli: time and duration options', () => {
  const now = Date.UTC(2026, 2, 12, 13, 19);
  const none = (): void => assert.fail('no warning expected');

  it('--at now and times before now (-15m, now-2h30m) were refused as not ISO 8601', () => {
    assert.equal(parseTimeArg('now', 'at', now, none), now);
    assert.equal(parseTimeArg('-15m', 'at', now, none), now - 15 * 60_000);
    assert.equal(parseTimeArg('now-2h30m', 'at', now, none), now - 150 * 60_000);
    assert.equal(parseTimeArg('now - 90s', 'at', now, none), now - 90_000);
  });

  it('a time without a zone is UTC and says so on the warning channel; with a zone or as epoch, silently', () => {
    const warnings: string[] = [];
    assert.equal(parseTimeArg('2026-03-12 13:19', 'at', now, (w) => warnings.push(w)), now);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /--at: '2026-03-12 13:19' has no time zone; taken as UTC \(2026-03-12T13:19:00\.000Z\)/);
    assert.equal(parseTimeArg('2026-03-12T14:19:00+01:00', 'at', now, none), now);
    assert.equal(parseTimeArg(String(now / 1000), 'at', now, none), now);
  });

  it('refuses nonsense with the option named (BAD_REQUEST, exit 2)', () => {
    for (const bad of ['yesterday', '-', '-15', 'now+5m', '']) {
      assert.throws(() => parseTimeArg(bad, 'at', now, none), (e) => isEpicenterError(e) && e.code === 'BAD_REQUEST' && e.message.startsWith('--at: '), bad);
    }
  });

  it('--window -5h and 0 are refused: a window is a positive duration', () => {
    assert.throws(() => parseDurationArg('-5h', 'window'), /--window: '-5h' is not a positive duration/);
    assert.throws(() => parseDurationArg('0m', 'window'), /--window: '0m'/);
    assert.equal(parseDurationArg('5h30m', 'window'), 19_800_000);
  });
});
