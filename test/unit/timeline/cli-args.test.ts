import assert from 'node:assert/strict';
import { parseDurationArg, parseTimeArg } from '../../../src/cli/commands/timeline';
import { isEpicenterError } from '../../../src/errors';

describe('timeline CLI arguments', () => {
  it('parseTimeArg takes ISO 8601 (UTC without a zone) and epoch seconds or ms', () => {
    const t = Date.UTC(2024, 4, 1, 14, 30);
    assert.equal(parseTimeArg('2024-05-01T14:30:00Z', 'at'), t);
    assert.equal(parseTimeArg('2024-05-01 14:30', 'at'), t);
    assert.equal(parseTimeArg('2024-05-01T16:30:00+02:00', 'at'), t);
    assert.equal(parseTimeArg(String(t / 1000), 'at'), t);
    assert.equal(parseTimeArg(String(t), 'at'), t);
    assert.throws(() => parseTimeArg('yesterday', 'at'), (e) => isEpicenterError(e) && e.code === 'BAD_REQUEST' && /--at: 'yesterday'/.test(e.message));
  });

  it('parseDurationArg takes 90s, 15m, 6h, 2d, 500ms and compounds like 5h22m', () => {
    assert.equal(parseDurationArg('90s', 'window'), 90_000);
    assert.equal(parseDurationArg('6h', 'window'), 21_600_000);
    assert.equal(parseDurationArg('5h22m', 'window'), 19_320_000);
    assert.equal(parseDurationArg('1.5h', 'window'), 5_400_000);
    assert.throws(() => parseDurationArg('6 hours', 'window'), /--window: '6 hours'/);
  });
});
