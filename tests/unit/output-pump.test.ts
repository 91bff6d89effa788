import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NewEvent } from '../../server/log/event.ts';
import { OutputPump } from '../../server/spawn/output-pump.ts';

test('a batch the log refuses is retried line by line, so one refused line costs no other', async () => {
  const logged: unknown[] = [];
  // Refuses any append that holds the line "refused", as the log would refuse an unstorable event.
  const append = async (events: NewEvent[]) => {
    if (events.some((e) => e.data.line === 'refused')) throw new Error('refused by the log');
    logged.push(...events.map((e) => e.data.line));
  };
  const pump = new OutputPump('agent-1', { linesPerSecond: 100, burst: 100, maxLineChars: 100, stderrTail: 5 }, append);
  for (const line of ['one', 'refused', 'two']) pump.line('stdout', line);
  await pump.flush();
  assert.deepEqual(logged, ['one', 'two']);
});
