import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LineSplitter } from '../../server/runner/output.ts';

/** The lines, with where each starts and where the next does, for `chunks` read one after another from `offset`. */
function linesOf(chunks: Array<string | Buffer>, maxBytes?: number, offset = 0): Array<[string, number, number]> {
  const lines: Array<[string, number, number]> = [];
  const splitter = new LineSplitter(offset, (line, at, next) => lines.push([line, at, next]), maxBytes);
  for (const chunk of chunks) splitter.push(Buffer.from(chunk));
  splitter.end();
  return lines;
}

describe("an agent's output file read line by line", () => {
  test('gives each line, across chunks, without its newline or a trailing CR, and the last one without a newline', () => {
    assert.deepEqual(
      linesOf(['one\ntw', 'o\r\n', '\nthree']).map(([line]) => line),
      ['one', 'two', '', 'three'],
    );
  });

  test("gives each line's byte offset and the next line's, from where the reading started", () => {
    assert.deepEqual(linesOf(['ab\n', 'é\nc'], undefined, 100), [
      ['ab', 100, 103],
      ['é', 103, 106],
      ['c', 106, 107],
    ]);
  });

  test('keeps a character whose bytes are split between chunks', () => {
    const bytes = Buffer.from('é\n');
    assert.deepEqual(linesOf([bytes.subarray(0, 1), bytes.subarray(1)]).map(([line]) => line), ['é']);
  });

  test('holds at most the cap of a line that never ends: it passes it on cut, just over the cap, and drops the rest', () => {
    const endless = Array.from({ length: 100 }, () => 'x'.repeat(1000));
    const lines = linesOf([...endless, '\nnext\n'], 2500);
    assert.deepEqual(lines.map(([line]) => line), ['x'.repeat(2501), 'next']);
    assert.deepEqual(lines[1]!.slice(1), [100_001, 100_006], 'the line after a cut one still knows its place');
  });

  test('a line of exactly the cap is passed on whole', () => {
    assert.deepEqual(linesOf(['y'.repeat(10), '\n'], 10).map(([line]) => line), ['y'.repeat(10)]);
  });
});
