import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NewEvent } from '../../server/log/event.ts';
import { OutputPump } from '../../server/spawn/output.ts';

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

test('a private key block opened by a dropped line is still redacted when lines are logged again', async () => {
  const logged: unknown[] = [];
  // 20 lines a second: a line comes back 50 ms after the burst is spent, far more than the pump takes between lines.
  const pump = new OutputPump('agent-1', { linesPerSecond: 20, burst: 3, maxLineChars: 100, stderrTail: 5 }, async (events) => {
    logged.push(...events.map((e) => e.data.line));
  });
  for (const line of ['starting', 'reading', 'the key:']) pump.line('stdout', line);
  // The burst is spent: this line, in the same instant, is dropped; 200 ms refill the burst.
  pump.line('stdout', '-----BEGIN RSA PRIVATE KEY-----');
  await new Promise((r) => setTimeout(r, 200));
  pump.line('stdout', 'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun');
  pump.line('stdout', '-----END RSA PRIVATE KEY-----');
  pump.line('stdout', 'done');
  await pump.flush();
  assert.deepEqual(logged.filter((line) => !String(line).startsWith('[mission-control]')), ['starting', 'reading', 'the key:', '[redacted]', '[redacted]', 'done']);
});
