import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { HealerStateStore, readStateFile, writeStateFile } from '../../server/healer/state-file.ts';
import { defaultHealerConfig } from '../../server/healer/config.ts';
import { healed, nextStep } from '../../server/healer/rules.ts';
import { type HealerState, acknowledge, applyEffect, emptyState, startOver } from '../../server/healer/state.ts';

const dir = await mkdtemp(path.join(tmpdir(), 'healer-state-'));
after(() => rm(dir, { recursive: true, force: true }));

describe('the state file', () => {
  test('none yet: a fresh state from the start of the log, written at once (creating its folder)', async () => {
    const file = path.join(dir, 'fresh', 'healer-state.json');
    const store = await HealerStateStore.open(file);
    assert.deepEqual(store.state, emptyState());
    assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), emptyState());
  });

  test('a write replaces the file whole and leaves no temp file behind', async () => {
    const file = path.join(dir, 'roundtrip.json');
    const state = { ...emptyState(), cursor: 42, logId: 'log_1', lineages: { agt_2: 'ev_1' } };
    await writeStateFile(file, state);
    assert.deepEqual(await readStateFile(file), state);
    assert.deepEqual(await readdir(dir).then((names) => names.filter((n) => n.includes('.tmp'))), []);
  });

  test('a file that is not a healer state is refused, not overwritten', async () => {
    const file = path.join(dir, 'broken.json');
    await writeFile(file, '{"cursor": ');
    await assert.rejects(HealerStateStore.open(file), /is not JSON/);
    await writeFile(file, '{"hello": 1}');
    await assert.rejects(HealerStateStore.open(file), /not a healer state file/);
    assert.equal(await readFile(file, 'utf8'), '{"hello": 1}');
  });

  test('a logId that is not a string is refused', async () => {
    const file = path.join(dir, 'bad-log-id.json');
    await writeFile(file, JSON.stringify({ ...emptyState(), logId: 7 }));
    await assert.rejects(readStateFile(file), /not a healer state file/);
  });

  test('starting over keeps what the healer learnt, but forgets the cursor and its log', () => {
    const state = { ...emptyState(), cursor: 42, logId: 'log_1', lineages: { agt_2: 'ev_1' } };
    assert.deepEqual(startOver(state), { ...emptyState(), lineages: { agt_2: 'ev_1' } });
  });

  test('saves in a burst land the latest state', async () => {
    const file = path.join(dir, 'burst.json');
    const store = await HealerStateStore.open(file);
    const saves: Array<Promise<void>> = [];
    for (let seq = 1; seq <= 50; seq++) {
      store.update((state) => ({ ...state, cursor: seq }));
      saves.push(store.save());
    }
    await Promise.all(saves);
    assert.equal((await readStateFile(file)).cursor, 50);
  });
});

describe('the state file over a long run', () => {
  test('10,000 failures over five weeks leave only the last day\'s lineages in a small file', async () => {
    const { playbooks, forgetAfterMs } = defaultHealerConfig;
    const start = Date.parse('2026-01-01T00:00:00.000Z');
    const everyMs = 5 * 60_000;
    let state: HealerState = emptyState();
    let seq = 0;
    for (let i = 0; i < 10_000; i++) {
      const now = new Date(start + i * everyMs);
      // Every third failure is the agent respawned for the one before, so lineages grow too.
      const agentId = i % 3 === 2 ? `agt_r${i - 1}` : `agt_${i}`;
      const error = i % 7 === 0 ? 'disk full' : 'read ECONNRESET';
      const failure = { eventId: `ev_${i}`, seq: ++seq, type: 'agent.failed', agentId, error, stderrTail: [], code: 1 };
      const step = nextStep(state, playbooks, failure);
      const outcome = step.kind === 'act' ? healed(step.target, step.playbook.name, step.playbook.action, step.attempt, `agt_r${i}`) : step.outcome;
      state = applyEffect(state, { outcome }, seq, now, forgetAfterMs);
      for (const entry of state.outbox) state = acknowledge(state, entry.webhookId, entry.escalation ? `dec_${i}` : undefined);
      // An operator abandons every escalation within the hour.
      if (step.kind === 'escalate') state = applyEffect(state, { closes: `dec_${i}` }, ++seq, new Date(now.getTime() + 60_000), forgetAfterMs);
    }
    const perDay = forgetAfterMs / everyMs;
    assert.ok(Object.keys(state.attempts).length <= perDay, `${Object.keys(state.attempts).length} lineages with attempts`);
    assert.ok(Object.keys(state.lastActiveAt).length <= perDay);
    assert.ok(Object.keys(state.lineages).length <= 2 * perDay, `${Object.keys(state.lineages).length} agents remembered`);
    assert.deepEqual(state.escalations, {});
    const file = path.join(dir, 'long-run.json');
    await writeStateFile(file, state);
    const { size } = await stat(file);
    assert.ok(size < 64 * 1024, `the state file holds ${size} bytes`);
  });
});
