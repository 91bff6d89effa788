import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EventAppend } from '../../server/client/views.ts';
import { type OutputOffsets, OutputPump } from '../../server/runner/output.ts';

const limits = { linesPerSecond: 100, burst: 100, maxLineChars: 100, stderrTail: 5 };

/** Feeds `lines` to `pump` as consecutive lines of one file, 10 bytes each. */
function feed(pump: OutputPump, stream: 'stdout' | 'stderr', lines: string[], from = 0): void {
  lines.forEach((line, i) => pump.line(stream, line, from + i * 10, from + (i + 1) * 10));
}

test('a batch the log refuses is retried line by line, so one refused line costs no other', async () => {
  const logged: unknown[] = [];
  // Refuses any append that holds the line "refused", as the log would refuse an unstorable event.
  const append = async (events: EventAppend[]) => {
    if (events.some((e) => e.data.line === 'refused')) throw new Error('refused by the log');
    logged.push(...events.map((e) => e.data.line));
  };
  const pump = new OutputPump('agent-1', limits, { stdout: 0, stderr: 0 }, append, () => undefined);
  feed(pump, 'stdout', ['one', 'refused', 'two']);
  await pump.flush();
  assert.deepEqual(logged, ['one', 'two']);
});

test("each line's key is its place in its file, so a line read again after a restart is stored once; the offsets delivered follow the batches", async () => {
  const keys: string[] = [];
  const delivered: OutputOffsets[] = [];
  const pump = new OutputPump('agt_1', limits, { stdout: 40, stderr: 7 }, async (events) => void keys.push(...events.map((e) => e.idempotencyKey!)), (o) => delivered.push(o));
  feed(pump, 'stdout', ['a', 'b'], 40);
  feed(pump, 'stderr', ['oops'], 7);
  await pump.flush();
  assert.deepEqual(keys, ['agent:agt_1:stdout:40', 'agent:agt_1:stdout:50', 'agent:agt_1:stderr:7']);
  assert.deepEqual(delivered, [{ stdout: 60, stderr: 17 }]);
});

test('lines dropped over the rate still move the offsets on, and one keyed event says how many', async () => {
  const logged: EventAppend[] = [];
  const delivered: OutputOffsets[] = [];
  const pump = new OutputPump('agt_1', { ...limits, linesPerSecond: 1, burst: 2 }, { stdout: 0, stderr: 0 }, async (events) => void logged.push(...events), (o) => delivered.push(o));
  feed(pump, 'stdout', ['1', '2', '3', '4', '5']);
  await pump.flush();
  assert.deepEqual(logged.map((e) => e.data.line), ['1', '2', '[mission-control] 3 output lines dropped (over 1 lines/s)']);
  assert.equal(logged[2]!.idempotencyKey, 'agent:agt_1:stdout:40:dropped');
  assert.deepEqual(delivered.at(-1), { stdout: 50, stderr: 0 });
});

test('a private key block opened by a dropped line is still redacted when lines are logged again', async () => {
  const logged: unknown[] = [];
  // 20 lines a second: a line comes back 50 ms after the burst is spent, far more than the pump takes between lines.
  const pump = new OutputPump('agent-1', { linesPerSecond: 20, burst: 3, maxLineChars: 100, stderrTail: 5 }, { stdout: 0, stderr: 0 }, async (events) => {
    logged.push(...events.map((e) => e.data.line));
  }, () => undefined);
  feed(pump, 'stdout', ['starting', 'reading', 'the key:']);
  // The burst is spent: this line, in the same instant, is dropped; 200 ms refill the burst.
  feed(pump, 'stdout', ['-----BEGIN RSA PRIVATE KEY-----'], 30);
  await new Promise((r) => setTimeout(r, 200));
  feed(pump, 'stdout', ['MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun', '-----END RSA PRIVATE KEY-----', 'done'], 40);
  await pump.flush();
  assert.deepEqual(logged.filter((line) => !String(line).startsWith('[mission-control]')), ['starting', 'reading', 'the key:', '[redacted]', '[redacted]', 'done']);
});
