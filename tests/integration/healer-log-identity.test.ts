import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { EventEnvelope } from '../../contracts/index.ts';
import { emptyState } from '../../server/healer/state.ts';
import { fixtureTemplate as fixture } from '../helpers/fixture-agents.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { testHealerSecret } from '../helpers/hub.ts';
import { startHealerProcess } from '../helpers/hub-process.ts';
import { until } from '../helpers/until.ts';

// A healer whose state file belongs to another log (the hub was pointed at a fresh database, or
// its log was wiped) must not follow "after seq N" of this one: every failure up to N would go
// unhealed and unescalated, with no sign. It says so and starts over from the beginning.

const dir = mkdtempSync(path.join(tmpdir(), 'mc-healer-log-'));
const suite = hubSuite({ templates: { crasher: fixture('crasher') } });
let healerToken: string;
before(async () => {
  await suite.ready();
  healerToken = await suite.hub.mint('healer');
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A failure in the log, handled by no healer yet, and the head of the log after it. */
async function unhandledFailure(): Promise<{ failure: EventEnvelope; head: number }> {
  const spawned = await suite.hub.post('/spawn', { template: 'crasher' });
  assert.equal(spawned.status, 202);
  const failure = await until('the failure', async () => (await suite.hub.get(`/events?types=agent.failed&agent=${spawned.body.agentId}`)).body.events[0] as EventEnvelope | undefined);
  return { failure, head: (await suite.hub.get('/events?order=desc&limit=1')).body.head };
}

async function escalationOf(failure: EventEnvelope): Promise<EventEnvelope> {
  const escalated = async () => ((await suite.hub.get('/events?types=heal.escalated&limit=1000')).body.events as EventEnvelope[]).find((e) => e.data.failureEventId === failure.id);
  return until(`heal.escalated for ${failure.id}`, escalated, 30_000);
}

function healerWithState(name: string, state: object) {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify({ ...emptyState(), ...state }));
  return startHealerProcess({ MC_HUB_URL: suite.hub.url, MC_HEALER_TOKEN: healerToken, MC_HEALER_SECRET: testHealerSecret, MC_HEALER_STATE: file });
}

describe('a healer state file from another log', () => {
  test('a cursor past the head: the healer says so, starts over and escalates the failure before it', async () => {
    const { failure, head } = await unhandledFailure();
    const service = await healerWithState('past-head.json', { cursor: head + 500 });
    try {
      const line = await service.waitForLog((l) => l.code === 'cursor_past_head');
      assert.equal(line.level, 50);
      assert.match(String(line.msg), new RegExp(`the log ends at seq ${head}, before your cursor ${head + 500}.*starts over`));
      await escalationOf(failure);
    } finally {
      assert.equal(await service.stop(), 0);
    }
  });

  test("another log's id: the healer names both, starts over and escalates the failure before its cursor", async () => {
    const { failure, head } = await unhandledFailure();
    const { logId } = (await suite.hub.get('/versionz')).body;
    const service = await healerWithState('other-log.json', { cursor: head, logId: 'log_of_a_wiped_database' });
    try {
      const line = await service.waitForLog((l) => l.code === 'log_changed');
      assert.match(String(line.msg), new RegExp(`serves log ${logId} .*not log log_of_a_wiped_database.*starts over`));
      await escalationOf(failure);
    } finally {
      assert.equal(await service.stop(), 0);
    }
  });
});
