import assert from 'node:assert/strict';
import { nezhaDir } from '../../../bench/real/dataset';

/** `EPICENTER_NEZHA_DIR=/abs/path npx tsx bench/real/export.ts …` read <repo>/abs/path: path.join does not restart at an absolute part. */
describe('bench real: where the Nezha data set is read from', () => {
  it('an absolute EPICENTER_NEZHA_DIR is used as it is (it was joined under the checkout)', () => {
    assert.equal(nezhaDir('/tmp/fresh', { EPICENTER_NEZHA_DIR: '/work/shared/data/nezha' }), '/work/shared/data/nezha');
  });
  it('a relative one, and the default, are relative to the repository root', () => {
    assert.equal(nezhaDir('/work/main', { EPICENTER_NEZHA_DIR: 'data/nezha' }), '/work/main/data/nezha');
    assert.equal(nezhaDir('/work/main', {}), '/work/shared/data/nezha');
  });
});
