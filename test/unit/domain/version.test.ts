import assert from 'node:assert/strict';
import { sameVersion, versionKey } from '../../../src/domain/version';

describe('domain: release versions as a deploy event and the pods write them', () => {
  it('reads a pipeline tag, an image reference and an SDK version as the same release', () => {
    for (const v of ['2.14.0', 'v2.14.0', 'V2.14.0', ' 2.14.0 ', 'checkout:2.14.0', 'registry:5000/shop/checkout:v2.14.0', 'checkout:2.14.0@sha256:0123abcd']) assert.equal(versionKey(v), '2.14.0', v);
  });
  it('keeps what is not a tag as it is (lower case)', () => {
    assert.equal(versionKey('vanilla'), 'vanilla');
    assert.equal(versionKey('Release-7'), 'release-7');
    assert.equal(versionKey('registry:5000/shop/checkout'), 'registry:5000/shop/checkout');
  });
  it('tells different releases apart, and a missing version matches nothing', () => {
    assert.ok(sameVersion('v2.14.0', '2.14.0'));
    assert.ok(!sameVersion('2.14.0', '2.14.1'));
    assert.ok(!sameVersion('2.14.0', '12.14.0'));
    assert.ok(!sameVersion(undefined, '2.14.0'));
    assert.ok(!sameVersion(undefined, undefined));
  });
});
