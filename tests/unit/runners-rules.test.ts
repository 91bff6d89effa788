import assert from 'node:assert/strict';
import { agentRow } from '../helpers/agent-rows.ts';
import { describe, test } from 'node:test';
import type { Agent } from '../../server/agents/model.ts';
import type { Runner, RunnerLoad } from '../../server/runners/model.ts';
import { chooseRunner, decideAssignments, decideOffline, decideRegistration, satisfies, waitingReason } from '../../server/runners/rules.ts';

function runner(id: string, extra: Partial<Runner> = {}): Runner {
  return { id, name: id.replace('rnr_', ''), labels: { os: 'linux', arch: 'x64' }, capacity: 2, templates: ['fixer'], status: 'online', registeredAt: '2026-11-30T10:00:00.000Z', lastSeq: 1, ...extra };
}

function agent(id: string, extra: Partial<Agent> = {}): Agent {
  return agentRow({ id, name: id, template: 'fixer', status: 'spawning', createdAt: '2026-11-30T10:00:00.000Z', ...extra });
}

const loads = (...entries: Array<[Runner, number]>): RunnerLoad[] => entries.map(([r, load]) => ({ runner: r, load }));

describe('labels', () => {
  test('a runner satisfies runsOn when it has every label asked, each with the same value', () => {
    assert.equal(satisfies({ os: 'linux', gpu: 'true' }, { gpu: 'true' }), true);
    assert.equal(satisfies({ os: 'linux' }, undefined), true);
    assert.equal(satisfies({ os: 'linux' }, { gpu: 'true' }), false);
    assert.equal(satisfies({ gpu: 'false' }, { gpu: 'true' }), false);
    assert.equal(satisfies({}, { constructor: 'x' }), false, 'an inherited name is no label');
  });
});

describe('choosing a runner', () => {
  test('only an online runner that allows the template, has the labels and has room; the least loaded for its capacity first', () => {
    const full = runner('rnr_full', { capacity: 1 });
    const busy = runner('rnr_busy', { capacity: 4 });
    const idle = runner('rnr_idle', { capacity: 4 });
    assert.equal(chooseRunner(loads([full, 1], [busy, 3], [idle, 1]), 'fixer', undefined)?.runner.id, 'rnr_idle');
    assert.equal(chooseRunner(loads([full, 1]), 'fixer', undefined), undefined, 'full');
    assert.equal(chooseRunner(loads([runner('rnr_off', { status: 'offline' }), 0]), 'fixer', undefined), undefined, 'offline');
    assert.equal(chooseRunner(loads([runner('rnr_other', { templates: ['sample'] }), 0]), 'fixer', undefined), undefined, 'another template');
    assert.equal(chooseRunner(loads([idle, 0]), 'fixer', { gpu: 'true' }), undefined, 'without the label');
    assert.equal(chooseRunner(loads([idle, 0], [runner('rnr_gpu', { labels: { gpu: 'true' } }), 1]), 'fixer', { gpu: 'true' })?.runner.id, 'rnr_gpu');
  });

  test('waiting agents are placed oldest first, each counted against the capacity as it is placed', () => {
    const changes = decideAssignments([agent('agt_1'), agent('agt_2'), agent('agt_3')], loads([runner('rnr_a', { capacity: 1 }), 0], [runner('rnr_b', { capacity: 1 }), 0]), { fixer: { command: 'x' } });
    assert.deepEqual(changes, [
      { type: 'agent.assigned', agentId: 'agt_1', data: { runnerId: 'rnr_a' }, idempotencyKey: 'agent:agt_1:assigned' },
      { type: 'agent.assigned', agentId: 'agt_2', data: { runnerId: 'rnr_b' }, idempotencyKey: 'agent:agt_2:assigned' },
    ]);
  });

  test("an agent whose template is no longer configured is left waiting, and says so", () => {
    assert.deepEqual(decideAssignments([agent('agt_1', { template: 'gone' })], loads([runner('rnr_a'), 0]), { fixer: { command: 'x' } }), []);
  });

  test('why an agent waits names the first thing no runner offers', () => {
    assert.equal(waitingReason([], 'fixer', undefined), 'no runner has registered yet');
    assert.equal(waitingReason(loads([runner('rnr_a', { templates: ['sample'] }), 0]), 'fixer', undefined), `no runner's configuration allows the template "fixer"`);
    assert.equal(waitingReason(loads([runner('rnr_a'), 0]), 'fixer', { gpu: 'true' }), 'no runner that allows "fixer" has the labels gpu=true');
    assert.equal(waitingReason(loads([runner('rnr_a', { status: 'offline' }), 0]), 'fixer', undefined), 'every runner that can run it is offline (a)');
    assert.equal(waitingReason(loads([runner('rnr_a'), 2]), 'fixer', undefined), 'every runner that can run it is full (a 2/2)');
  });
});

describe('registration', () => {
  const said = { name: 'a', labels: { os: 'linux', arch: 'x64' }, capacity: 2, templates: ['fixer'] };
  const now = new Date('2026-11-30T11:00:00.000Z');

  test('a new runner, a changed one or one back from offline is logged; the same one again is not', () => {
    assert.equal(decideRegistration('rnr_a', undefined, { ...said, agents: [] }, [], now)[0]?.type, 'runner.registered');
    assert.deepEqual(decideRegistration('rnr_a', runner('rnr_a'), { ...said, agents: [] }, [], now), []);
    assert.equal(decideRegistration('rnr_a', runner('rnr_a'), { ...said, capacity: 3, agents: [] }, [], now).length, 1);
    assert.equal(decideRegistration('rnr_a', runner('rnr_a', { status: 'offline' }), { ...said, agents: [] }, [], now).length, 1);
  });

  test('a lost agent the runner still runs is live again; a started one it came back without has failed; one not started yet waits', () => {
    const placed = [agent('agt_lost', { status: 'lost', runnerId: 'rnr_a' }), agent('agt_gone', { status: 'running', runnerId: 'rnr_a' }), agent('agt_new', { runnerId: 'rnr_a' })];
    const changes = decideRegistration('rnr_a', runner('rnr_a'), { ...said, agents: ['agt_lost'] }, placed, now);
    assert.deepEqual(
      changes.map((c) => [c.type, c.agentId]),
      [
        ['agent.recovered', 'agt_lost'],
        ['agent.failed', 'agt_gone'],
      ],
    );
    assert.match(String(changes[1]!.data.error), /came back without it/);
    assert.equal(changes[1]!.idempotencyKey, 'agent:agt_gone:ended');
  });
});

describe('going offline', () => {
  const now = new Date('2026-11-30T11:00:00.000Z');
  test('a runner silent past the deadline goes offline once, and its running agents are lost, not failed', () => {
    const placed = [agent('agt_run', { status: 'running', runnerId: 'rnr_a' }), agent('agt_wait', { status: 'spawning', runnerId: 'rnr_a' }), agent('agt_paused', { status: 'paused', runnerId: 'rnr_a' })];
    const changes = decideOffline(runner('rnr_a', { lastSeq: 7 }), '2026-11-30T10:59:00.000Z', placed, now, 30_000);
    assert.deepEqual(
      changes.map((c) => [c.type, c.agentId ?? null, c.idempotencyKey ?? null]),
      [
        ['runner.offline', null, 'runner:rnr_a:offline:7'],
        ['agent.lost', 'agt_run', null],
      ],
    );
    assert.deepEqual(decideOffline(runner('rnr_a'), '2026-11-30T10:59:31.000Z', placed, now, 30_000), [], 'heard from within the deadline');
    assert.deepEqual(decideOffline(runner('rnr_a'), '2026-11-30T10:59:30.000Z', placed, now, 30_000), [], 'silent for exactly the deadline: not yet');
    assert.equal(decideOffline(runner('rnr_a'), '2026-11-30T10:59:29.999Z', placed, now, 30_000).length, 2, 'a millisecond past it');
    assert.deepEqual(decideOffline(runner('rnr_a', { status: 'offline' }), '2026-11-30T10:00:00.000Z', placed, now, 30_000), [], 'offline already');
  });
});
