// A query parameter an endpoint does not know is a 400 that names the ones it does: a typo
// (`?stauts=pending`, `?afer=10`) must not be silently ignored and answer something else.
import { describe, test } from 'node:test';
import { hubSuite } from '../helpers/hub-suite.ts';
import { assertProblem, send } from '../helpers/problem.ts';

const suite = hubSuite();

const get = (path: string, accept = 'application/json') => send(`${suite.hub.url}${path}`, { headers: { ...suite.hub.auth, accept } });

describe('unknown query parameters', () => {
  const lists: Array<[string, RegExp]> = [
    ['/agents?sort=name', /unknown query parameter "sort"; known here: project/],
    ['/agents/agt_1?x=1', /unknown query parameter "x": this endpoint takes none/],
    ['/tasks?stauts=todo', /unknown query parameter "stauts"; known here: status, agent, label, project/],
    ['/decisions?stauts=pending', /unknown query parameter "stauts"; known here: status, limit, project/],
    ['/decisions/dec_1/wait?timout=5', /unknown query parameter "timout"; known here: timeout/],
    ['/budgets?scope=agent', /unknown query parameter "scope": this endpoint takes none/],
    ['/events?afer=10', /unknown query parameter "afer"; known here: types, agent, task, after, lastEventID, project, before, order, limit/],
  ];
  for (const [path, detail] of lists) {
    test(`GET ${path} is a 400 naming the known ones`, async () => {
      assertProblem(await get(path), 400, 'validation_failed', detail);
    });
  }

  test('GET /tokens?role=agent is a 400 for the admin too', async () => {
    const res = await send(`${suite.hub.url}/tokens?role=agent`, { headers: { authorization: `Bearer ${suite.hub.adminToken}` } });
    assertProblem(res, 400, 'validation_failed', /unknown query parameter "role": this endpoint takes none/);
  });

  test('a stream knows access_token and eventNames, and refuses limit, which only pages take', async () => {
    assertProblem(await get('/events?after=0&limit=5', 'text/event-stream'), 400, 'validation_failed', /"limit"; known here: types, agent, task, after, lastEventID, project, access_token, eventNames/);
  });

  test('a stream opened with ?access_token= and ?eventNames=off is served', async () => {
    const token = suite.hub.auth.authorization!.slice('Bearer '.length);
    const sse = await suite.hub.sse(`/events?access_token=${token}&eventNames=off&after=0`, {});
    sse.close();
    if (sse.status !== 200) throw new Error(`status ${sse.status}`);
  });

  test('a page is read after a cursor or before one, not both', async () => {
    assertProblem(await get('/events?after=1&before=5'), 400, 'validation_failed', /not both: drop after or before/);
    assertProblem(await get('/events?before=5&order=asc'), 400, 'validation_failed', /drop order=asc/);
    assertProblem(await get('/events?order=newest'), 400, 'validation_failed', /order must be asc .* or desc/);
  });
});
