import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bearer } from '../helpers/hub.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { assertProblem, send } from '../helpers/problem.ts';

const suite = hubSuite();

const get = (path: string, headers: Record<string, string> = suite.hub.auth) => send(`${suite.hub.url}${path}`, { headers: { accept: 'application/json', ...headers } });

describe('GET /events/:id', () => {
  test('answers the envelope a page holds for that event', async () => {
    const appended = await suite.hub.post('/events', { type: 'x.by_id', data: { colour: 'teal' }, agentId: 'agt_by_id' });
    const one = await get(`/events/${appended.body.id}`);
    assert.equal(one.status, 200);
    assert.match(one.contentType, /^application\/json/);
    const page = await get(`/events?after=${appended.body.seq - 1}&limit=1`);
    assert.deepEqual(one.body, page.body.events[0]);
  });

  test('an id the log does not hold is a 404 not_found problem', async () => {
    assertProblem(await get('/events/evt_nobody'), 404, 'not_found', /no event "evt_nobody"/);
  });

  test('takes no query parameter', async () => {
    const appended = await suite.hub.post('/events', { type: 'x.by_id', data: {} });
    assertProblem(await get(`/events/${appended.body.id}?after=0`), 400, 'validation_failed', /"after": this endpoint takes none/);
  });

  test('without a token, or with an unknown one, it is a 401 like GET /events', async () => {
    const appended = await suite.hub.post('/events', { type: 'x.by_id', data: {} });
    assertProblem(await get(`/events/${appended.body.id}`, {}), 401, 'unauthorized', /./);
    assertProblem(await get(`/events/${appended.body.id}`, bearer('mc_not_a_token')), 401, 'unauthorized', /./);
  });

  test('every role that may read the log may read one event, a viewer too', async () => {
    const appended = await suite.hub.post('/events', { type: 'x.by_id', data: {} });
    const viewer = bearer(await suite.hub.mint('viewer'));
    assert.equal((await get(`/events/${appended.body.id}`, viewer)).status, 200);
  });
});
