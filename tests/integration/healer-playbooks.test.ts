import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { EventEnvelope } from '../../contracts/index.ts';
import { newEvent } from '../../server/log/new-event.ts';
import { registeredAgent } from '../helpers/agents.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { testHealerSecret } from '../helpers/hub.ts';
import { type ServiceProcess, startHealerProcess } from '../helpers/hub-process.ts';
import { until } from '../helpers/until.ts';

// The healer's `resume` and `retry_task` playbooks, run by its own process against a real hub.

const dir = mkdtempSync(path.join(tmpdir(), 'mc-healer-playbooks-'));
const configFile = path.join(dir, 'config.yaml');
const suite = hubSuite();
let healer: ServiceProcess;

before(async () => {
  await suite.ready();
  writeFileSync(
    configFile,
    [
      'healer:',
      '  playbooks:',
      '    - { name: lift-the-pause, match: { type: agent.paused }, action: resume, maxAttempts: 1, backoffMs: 0 }',
      '    - { name: retry-the-task, match: { type: agent.failed }, action: retry_task, maxAttempts: 1, backoffMs: 0 }',
      '',
    ].join('\n'),
  );
  healer = await startHealerProcess({ MC_HUB_URL: suite.hub.url, MC_HEALER_TOKEN: await suite.hub.mint('healer'), MC_HEALER_SECRET: testHealerSecret, MC_CONFIG: configFile, MC_HEALER_STATE: path.join(dir, 'state.json') });
});
after(async () => {
  await healer?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The healer's callback about the failure event `failureEventId`, once the hub has logged it. */
function callbackAbout(type: 'heal.completed' | 'heal.escalated', failureEventId: string): Promise<EventEnvelope> {
  return until(`${type} about ${failureEventId}`, async () => ((await suite.hub.get(`/events?types=${type}&limit=1000`)).body.events as EventEnvelope[]).find((e) => e.data.failureEventId === failureEventId));
}

/** The id of the newest event of `type` about `agentId`. */
async function lastEventOf(type: string, agentId: string): Promise<string> {
  const events = (await suite.hub.get(`/events?types=${type}&agent=${agentId}&limit=1000`)).body.events as EventEnvelope[];
  assert.ok(events.length > 0, `a ${type} about ${agentId}`);
  return events.at(-1)!.id;
}

describe('the healer\'s resume playbook', () => {
  test('resumes an agent a decision paused, logged with reason healer', async () => {
    await registeredAgent(suite.hub, 'agt_heal_resume');
    await suite.hub.appender.append([newEvent({ type: 'agent.paused', data: { reason: 'decision', by: 'hub' }, actor: 'hub', agentId: 'agt_heal_resume' })]);
    const heal = await callbackAbout('heal.completed', await lastEventOf('agent.paused', 'agt_heal_resume'));
    assert.deepEqual([heal.data.playbook, heal.data.action, heal.data.attempts], ['lift-the-pause', 'resume', 1]);
    const resumed = (await suite.hub.get('/events?types=agent.resumed&agent=agt_heal_resume')).body.events as EventEnvelope[];
    assert.deepEqual(resumed.map((e) => [e.actor, e.data.reason]), [['healer', 'healer']]);
    assert.equal((await suite.hub.get('/agents/agt_heal_resume')).body.status, 'running');
  });

  test('never lifts an operator\'s pause: the hub refuses, and the healer escalates to a person', async () => {
    await registeredAgent(suite.hub, 'agt_heal_held');
    assert.equal((await suite.hub.post('/agents/agt_heal_held/pause', {})).status, 200);
    const escalation = await callbackAbout('heal.escalated', await lastEventOf('agent.paused', 'agt_heal_held'));
    assert.equal((await suite.hub.get(`/decisions/${escalation.data.decisionId}`)).body.status, 'pending');
    const agent = (await suite.hub.get('/agents/agt_heal_held')).body;
    assert.deepEqual([agent.status, agent.pausedReason], ['paused', 'operator']);
  });
});

describe('the healer\'s retry_task playbook', () => {
  test('sends the failed agent\'s task back to todo', async () => {
    const agent = await registeredAgent(suite.hub, 'agt_heal_task');
    const task = await suite.hub.post('/tasks', { title: 'a task its agent fails', priority: 'normal', labels: [] });
    assert.equal(task.status, 201, JSON.stringify(task.body));
    const started = await suite.hub.post(`/tasks/${task.body.id}/transition`, { to: 'in_progress', agentId: 'agt_heal_task' });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    const failed = await suite.hub.post('/events', { type: 'agent.failed', taskId: task.body.id, data: { code: 1, error: 'the tests failed' } }, agent);
    assert.equal(failed.status, 201, JSON.stringify(failed.body));
    const heal = await callbackAbout('heal.completed', failed.body.id);
    assert.deepEqual([heal.data.playbook, heal.data.action, heal.data.attempts], ['retry-the-task', 'retry_task', 1]);
    assert.equal((await suite.hub.get(`/tasks/${task.body.id}`)).body.status, 'todo');
  });
});
