import assert from 'node:assert/strict';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, test } from 'node:test';
import { eachLine } from '../../server/spawn/output.ts';

/** The lines `eachLine` gives for `chunks` written one after another. */
async function linesOf(chunks: Array<string | Buffer>, maxChars?: number): Promise<string[]> {
  const input = new PassThrough();
  const lines: string[] = [];
  eachLine(input, (line) => lines.push(line), maxChars);
  for (const chunk of chunks) input.write(chunk);
  input.end();
  await once(input, 'end');
  return lines;
}

describe('an agent output stream read line by line', () => {
  test('gives each line, across chunks, without its newline or a trailing CR, and the last one without a newline', async () => {
    assert.deepEqual(await linesOf(['one\ntw', 'o\r\n', '\nthree']), ['one', 'two', '', 'three']);
  });

  test('keeps a character whose bytes are split between chunks', async () => {
    const bytes = Buffer.from('é\n');
    assert.deepEqual(await linesOf([bytes.subarray(0, 1), bytes.subarray(1)]), ['é']);
  });

  test('holds at most the cap of a line that never ends: it passes it on cut, just over the cap, and drops the rest', async () => {
    const endless = Array.from({ length: 100 }, () => 'x'.repeat(1000));
    assert.deepEqual(await linesOf([...endless, '\nnext\n'], 2500), ['x'.repeat(2501), 'next']);
  });

  test('a line of exactly the cap is passed on whole', async () => {
    assert.deepEqual(await linesOf(['y'.repeat(10), '\n'], 10), ['y'.repeat(10)]);
  });
});
