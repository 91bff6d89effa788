import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hubSuite } from '../helpers/hub-suite.ts';
import { getJson } from '../helpers/hub.ts';
import { registeredAgent } from '../helpers/agents.ts';
import { ask, resolve } from '../helpers/decisions.ts';

const suite = hubSuite({ budgets: { agentUsd: 3, taskUsd: 2, globalDailyUsd: 50, warnAt: 0.8 } });

/** One scrape of `/metrics` as the operator. */
async function scrape(): Promise<string> {
  const res = await getJson(`${suite.hub.url}/metrics`, suite.hub.auth);
  assert.equal(res.status, 200);
  return res.body as string;
}

/** The value of the one sample `name{labels}` (labels as written, e.g. `status="running"`), or undefined when the scrape has none. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(labels === '' ? `${name} ` : `${name}{${labels}} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('/metrics shows the process as every Node exporter names it', () => {
  const names = [
    'process_cpu_seconds_total',
    'process_resident_memory_bytes',
    'process_heap_bytes',
    'process_open_fds',
    'process_start_time_seconds',
    'nodejs_eventloop_lag_seconds',
    'nodejs_heap_size_used_bytes',
  ];
  for (const name of names) {
    test(name, async () => {
      const value = sample(await scrape(), name);
      assert.ok(value !== undefined && Number.isFinite(value) && value >= 0, `${name}: ${value}`);
    });
  }

  test('the start time is this process\'s', async () => {
    const started = sample(await scrape(), 'process_start_time_seconds')!;
    assert.ok(Math.abs(started - (Date.now() / 1000 - process.uptime())) < 5, `process_start_time_seconds ${started}`);
  });
});

describe('/metrics shows the pending decisions', () => {
  test('how many wait and how long the oldest has, then 0 and 0 once they are answered', async () => {
    const asked = Date.now();
    const decisions = [await ask(suite.hub, { title: 'first' }), await ask(suite.hub, { title: 'second' })];
    let text = await scrape();
    assert.equal(sample(text, 'mc_decisions_pending'), 2);
    const age = sample(text, 'mc_decision_oldest_pending_age_seconds')!;
    assert.ok(age >= 0 && age <= (Date.now() - asked) / 1000 + 1, `oldest pending age ${age}`);
    for (const decision of decisions) assert.equal((await resolve(suite.hub, decision.id, 'approve')).status, 200);
    text = await scrape();
    assert.equal(sample(text, 'mc_decisions_pending'), 0);
    assert.equal(sample(text, 'mc_decision_oldest_pending_age_seconds'), 0);
  });
});

describe('/metrics shows agents by status and spend against budget', () => {
  test('every status is shown, 0 when no agent is in it', async () => {
    const text = await scrape();
    for (const status of ['spawning', 'running', 'awaiting_decision', 'paused', 'stale', 'exited', 'failed']) {
      assert.notEqual(sample(text, 'mc_agents', `status="${status}"`), undefined, status);
    }
  });

  test('an agent counts in its status, and its spend and limit show until it exits', async () => {
    const before = await scrape();
    const headers = await registeredAgent(suite.hub, 'agt_gauged');
    const spent = await suite.hub.post('/events', { type: 'run.completed', data: { tokensIn: 1, tokensOut: 1, costUsd: 1.25 } }, headers);
    assert.equal(spent.status, 201, JSON.stringify(spent.body));
    let text = await scrape();
    assert.equal(sample(text, 'mc_agents', 'status="running"'), sample(before, 'mc_agents', 'status="running"')! + 1);
    assert.equal(sample(text, 'mc_budget_spent_usd', 'scope="agent",scope_id="agt_gauged"'), 1.25);
    assert.equal(sample(text, 'mc_budget_limit_usd', 'scope="agent",scope_id="agt_gauged"'), 3);
    const today = new Date().toISOString().slice(0, 10);
    assert.ok(sample(text, 'mc_budget_spent_usd', `scope="global",scope_id="${today}"`)! >= 1.25);
    assert.equal(sample(text, 'mc_budget_limit_usd', `scope="global",scope_id="${today}"`), 50);

    assert.equal((await suite.hub.post('/events', { type: 'agent.exited', data: { code: 0 } }, headers)).status, 201);
    text = await scrape();
    assert.equal(sample(text, 'mc_agents', 'status="exited"'), sample(before, 'mc_agents', 'status="exited"')! + 1);
    assert.equal(sample(text, 'mc_budget_spent_usd', 'scope="agent",scope_id="agt_gauged"'), undefined, 'a finished agent\'s budget leaves the scrape');
  });
});
