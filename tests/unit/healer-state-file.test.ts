import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { HealerStateStore, readStateFile, writeStateFile } from '../../server/healer/state-file.ts';
import { emptyState, startOver } from '../../server/healer/state.ts';

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
