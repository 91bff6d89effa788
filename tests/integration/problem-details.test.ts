import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hubSuite } from '../helpers/hub-suite.ts';
import { bearer, postJson } from '../helpers/hub.ts';
import { assertHubProblem } from '../helpers/problem.ts';

const suite = hubSuite({ limits: { bodyBytes: 1024 } });

/** One request with fetch, the body parsed when it is JSON. */
async function call(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  const res = await fetch(`${suite.hub.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }), signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

describe('every problem names its occurrence', () => {
  test('a route refusal carries instance (the path) and requestId (the X-Request-Id)', async () => {
    const res = await call('GET', '/decisions/dec_missing', { ...suite.hub.auth, 'x-request-id': 'problem-route-1' });
    const problem = assertHubProblem(res, 404, 'not_found', /dec_missing/);
    assert.equal(problem.instance, '/decisions/dec_missing');
    assert.equal(problem.requestId, 'problem-route-1');
    assert.equal(res.headers.get('x-request-id'), 'problem-route-1');
  });

  test('the hub names the occurrence with the id it made when the client sent none', async () => {
    const res = await call('GET', '/no/such/endpoint');
    const problem = assertHubProblem(res, 404, 'not_found', /no such endpoint/);
    assert.equal(problem.instance, '/no/such/endpoint');
    assert.match(problem.requestId, /^[A-Za-z0-9]{20}$/);
    assert.equal(problem.requestId, res.headers.get('x-request-id'));
  });

  test('the authentication middleware refusal carries them, and never the query string (it may hold a token)', async () => {
    const res = await call('GET', '/events?access_token=mc_not_a_token', { accept: 'text/event-stream', 'x-request-id': 'problem-auth-1' });
    const problem = assertHubProblem(res, 401, 'unauthorized', /unknown/);
    assert.equal(problem.instance, '/events');
    assert.equal(problem.requestId, 'problem-auth-1');
    assert.doesNotMatch(JSON.stringify(problem), /mc_not_a_token/);
  });

  test('the body limit refusal carries them', async () => {
    const res = await call('POST', '/events', { ...suite.hub.auth, 'content-type': 'application/json', 'x-request-id': 'problem-413' }, JSON.stringify({ type: 'x.big', data: { pad: 'x'.repeat(2048) } }));
    const problem = assertHubProblem(res, 413, 'payload_too_large', /1024 bytes/);
    assert.deepEqual([problem.instance, problem.requestId], ['/events', 'problem-413']);
  });

  test('the instance is the path as sent, percent-encoding kept', async () => {
    const problem = (await call('GET', '/tasks/a%20b', suite.hub.auth)).body;
    assert.equal(problem.instance, '/tasks/a%20b');
  });
});

describe('a 401 carries its Bearer challenge (RFC 6750)', () => {
  const plain = 'Bearer realm="mission-control"';
  const invalidToken = 'Bearer realm="mission-control", error="invalid_token"';

  test('no token: the plain challenge', async () => {
    const res = await call('GET', '/agents');
    assertHubProblem(res, 401, 'unauthorized', /needs a token/);
    assert.equal(res.headers.get('www-authenticate'), plain);
  });

  test('an Authorization header that is not Bearer: the plain challenge, no error (no token was given)', async () => {
    const res = await call('GET', '/agents', { authorization: 'Basic dXNlcjpwYXNz' });
    assertHubProblem(res, 401, 'unauthorized', /Bearer/);
    assert.equal(res.headers.get('www-authenticate'), plain);
  });

  test('an unknown token: error="invalid_token"', async () => {
    const res = await call('GET', '/agents', bearer('mc_unknown_token'));
    assertHubProblem(res, 401, 'unauthorized', /unknown/);
    assert.equal(res.headers.get('www-authenticate'), invalidToken);
  });

  test('a revoked token: error="invalid_token"', async () => {
    const minted = await postJson(`${suite.hub.url}/tokens`, { role: 'viewer' }, bearer(suite.hub.adminToken));
    assert.equal((await call('DELETE', `/tokens/${minted.body.id}`, bearer(suite.hub.adminToken))).status, 200);
    const res = await call('GET', '/agents', bearer(minted.body.token));
    assertHubProblem(res, 401, 'token_revoked', /revoked/);
    assert.equal(res.headers.get('www-authenticate'), invalidToken);
  });

  test('a refused healer callback (no token involved) still names a scheme', async () => {
    const res = await call('POST', '/healer/callbacks', { 'content-type': 'application/json' }, '{}');
    assertHubProblem(res, 401, 'unauthorized', /.+/);
    assert.equal(res.headers.get('www-authenticate'), plain);
  });

  test('a 403 has no challenge: the token is good, its role is not', async () => {
    const res = await call('GET', '/metrics', bearer(await suite.hub.mint('agent', 'agt_challenge')));
    assertHubProblem(res, 403, 'forbidden', /may not/);
    assert.equal(res.headers.get('www-authenticate'), null);
  });
});

describe('a known path with a method it does not take is a 405 with Allow', () => {
  const cases: Array<[string, string, string]> = [
    ['DELETE', '/events', 'GET, HEAD, POST'],
    ['PUT', '/decisions/dec_any/resolve', 'POST'],
    ['POST', '/healthz', 'GET, HEAD'],
    ['PATCH', '/tokens/tok_any', 'DELETE'],
  ];
  for (const [method, path, allow] of cases) {
    test(`${method} ${path}: Allow: ${allow}`, async () => {
      const res = await call(method, path, { ...suite.hub.auth, 'x-request-id': 'problem-405' });
      const problem = assertHubProblem(res, 405, 'method_not_allowed', new RegExp(`${method} is not allowed here; this path takes ${allow}`));
      assert.equal(res.headers.get('allow'), allow);
      assert.deepEqual([problem.instance, problem.requestId], [path, 'problem-405']);
    });
  }

  test('without a token too: the method is wrong whoever asks', async () => {
    const res = await call('DELETE', '/agents');
    assertHubProblem(res, 405, 'method_not_allowed', /takes GET, HEAD/);
    assert.equal(res.headers.get('allow'), 'GET, HEAD');
  });

  test('an unknown path stays a 404, whatever the method', async () => {
    for (const method of ['GET', 'POST', 'DELETE']) {
      const res = await call(method, '/no-such-thing', suite.hub.auth);
      assertHubProblem(res, 404, 'not_found', /no such endpoint/);
      assert.equal(res.headers.get('allow'), null);
    }
  });
});
