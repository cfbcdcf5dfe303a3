import assert from 'node:assert/strict';
import { checkService, closestNames, editDistance } from '../../../src/cli/service';
import { isEpicenterError } from '../../../src/errors';

describe('cli: --service must be a known service', () => {
  const known = ['checkout-api', 'checkout-db', 'order-sync', 'payments', 'catalog'];

  it('edit distance counts inserts, deletes and substitutions', () => {
    assert.equal(editDistance('checkout-apu', 'checkout-api'), 1);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('kitten', 'sitting'), 3);
  });

  it('a typo (checkout-apu) was analysed silently; now refused naming the closest known names', () => {
    assert.deepEqual(closestNames('checkout-apu', known), ['checkout-api', 'checkout-db']);
    assert.throws(
      () => checkService('checkout-apu', known, 'the inputs'),
      (e) => isEpicenterError(e) && e.code === 'NOT_FOUND' && /'checkout-apu' is not a service in the inputs; did you mean checkout-api, checkout-db\?/.test(e.describe()),
    );
  });

  it('with nothing close, the known names are listed; an empty --service is refused', () => {
    assert.throws(() => checkService('zzzzzzzz', known, 'the inputs'), /known: catalog, checkout-api, checkout-db, order-sync, payments/);
    assert.throws(() => checkService('', known, 'the inputs'), (e) => isEpicenterError(e) && e.code === 'BAD_REQUEST' && /--service: is empty/.test(e.describe()));
    assert.throws(() => checkService('  ', known, 'the inputs'), /is empty/);
    checkService('order-sync', known, 'the inputs');
  });
});
