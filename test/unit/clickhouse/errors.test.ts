import assert from 'node:assert/strict';
import { serverErrorCode, toStoreError } from '../../../src/clickhouse/errors';
import { EpicenterError } from '../../../src/errors';

/** What @clickhouse/client throws for an 18.16 server exception: a plain Error with the server text. */
const old = (code: number, text: string) => new Error(`Code: ${code}, e.displayText() = DB::Exception: ${text}, e.what() = DB::Exception\n`);
/** What it throws for a 24.8 server exception: an Error with a numeric string `code`. */
const modern = (code: number, text: string, type: string) => Object.assign(new Error(text), { code: String(code), type });
const sys = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('clickhouse errors', () => {
  it('reads the server code from 18.16 text and from a modern error', () => {
    assert.equal(serverErrorCode(old(62, 'Syntax error')), 62);
    assert.equal(serverErrorCode(modern(252, 'Too many parts', 'TOO_MANY_PARTS')), 252);
    assert.equal(serverErrorCode(sys('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:8123')), undefined);
  });

  it('maps SQL errors to STORE_FAILED, not retriable, with the operation and first line', () => {
    const e = toStoreError(old(62, 'Syntax error: failed at position 1'), 'SELEC 1');
    assert.equal(e.code, 'STORE_FAILED');
    assert.equal(e.retriable, false);
    assert.equal(e.message, 'clickhouse: SELEC 1: Code: 62, e.displayText() = DB::Exception: Syntax error: failed at position 1');
  });

  for (const [code, name] of [
    [252, 'TOO_MANY_PARTS'],
    [241, 'MEMORY_LIMIT_EXCEEDED'],
    [159, 'TIMEOUT_EXCEEDED'],
    [202, 'TOO_MANY_SIMULTANEOUS_QUERIES'],
  ] as const) {
    it(`maps ${name} to STORE_UNAVAILABLE, retriable (old and new servers)`, () => {
      for (const raw of [old(code, name), modern(code, name, name)]) {
        const e = toStoreError(raw, 'insert');
        assert.equal(e.code, 'STORE_UNAVAILABLE');
        assert.equal(e.retriable, true);
      }
    });
  }

  for (const code of ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']) {
    it(`maps ${code} to STORE_UNAVAILABLE`, () => {
      const e = toStoreError(sys(code, `connect ${code} 127.0.0.1:8123`), 'ping');
      assert.equal(e.code, 'STORE_UNAVAILABLE');
      assert.equal(e.retriable, true);
    });
  }

  it("maps the client's request timeout and socket hang up to STORE_UNAVAILABLE", () => {
    assert.equal(toStoreError(new Error('Timeout error.'), 'q').code, 'STORE_UNAVAILABLE');
    assert.equal(toStoreError(new Error('socket hang up'), 'q').code, 'STORE_UNAVAILABLE');
    assert.equal(toStoreError(new Error('wrapped', { cause: sys('ECONNRESET', 'read ECONNRESET') }), 'q').code, 'STORE_UNAVAILABLE');
  });

  it('maps a proxy 502/503 page (no ClickHouse code) to STORE_UNAVAILABLE', () => {
    assert.equal(toStoreError(new Error('<html>503 Service Unavailable</html>'), 'q').code, 'STORE_UNAVAILABLE');
  });

  it('passes EpicenterError through and wraps non-errors as STORE_FAILED', () => {
    const mine = new EpicenterError('BAD_REQUEST', 'x');
    assert.equal(toStoreError(mine, 'q'), mine);
    assert.equal(toStoreError('boom', 'q').code, 'STORE_FAILED');
  });
});
