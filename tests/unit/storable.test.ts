import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { newEvent } from '../../server/log/new-event.ts';
import { maxJsonDepth, unstorableAt } from '../../server/log/storable.ts';

const nested = (levels: number): unknown => (levels === 0 ? 'leaf' : { inner: nested(levels - 1) });

describe('an event the hub makes itself', () => {
  test('has NUL characters and unpaired surrogates, in values and property names, replaced with U+FFFD', () => {
    const event = newEvent({ type: 'agent.failed', actor: 'hub', data: { error: 'bad \u0000 byte', stderrTail: ['lone \ud800 half', 'pair \ud83d\ude00 kept'], ['k\u0000']: 1 } });
    assert.deepEqual(event.data, { error: 'bad \ufffd byte', stderrTail: ['lone \ufffd half', 'pair \ud83d\ude00 kept'], ['k\ufffd']: 1 });
    assert.ok(!event.dataJson.includes('\\u0000') && !/\\ud8/.test(event.dataJson), event.dataJson);
  });

  test(`nested deeper than ${maxJsonDepth} levels is refused rather than written`, () => {
    assert.throws(() => newEvent({ type: 'x.deep', actor: 'hub', data: nested(maxJsonDepth + 1) as Record<string, unknown> }), /deeper than 32 levels/);
  });
});

describe('unstorableAt', () => {
  test('names the JSON pointer of the first value the log cannot store, escaping ~ and /', () => {
    assert.deepEqual(unstorableAt({ ok: 'fine', 'a/b~c': [1, 'x\u0000'] }), { path: '/a~1b~0c/1', message: 'contains a NUL character (\\u0000) or an unpaired UTF-16 surrogate, which the log cannot store' });
  });

  test('refuses a number too large to be finite, which JSON would store as null', () => {
    assert.deepEqual(unstorableAt(JSON.parse('{"x": {"cost": [1, 1e400]}}')), { path: '/x/cost/1', message: 'is a number too large to store (it parses as infinity)' });
    assert.equal(unstorableAt(JSON.parse('{"x": 1.7976931348623157e308, "y": -1e-400}')), undefined);
  });

  test(`accepts ${maxJsonDepth} levels of nesting and refuses one more`, () => {
    assert.equal(unstorableAt(nested(maxJsonDepth)), undefined);
    assert.match(unstorableAt(nested(maxJsonDepth + 1))!.message, /nested deeper than 32 levels/);
  });
});
