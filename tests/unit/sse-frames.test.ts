import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type SseFrame, SseFrameParser } from '../../server/client/sse-frames.ts';

/** Every frame the parser completes from `chunks`, fed in that order. */
function parse(chunks: readonly string[], parser = new SseFrameParser()): SseFrame[] {
  return chunks.flatMap((chunk) => parser.push(chunk));
}

/** The same text cut at every position into two chunks, and into single characters. */
function everyCut(text: string): string[][] {
  const cuts = Array.from({ length: text.length + 1 }, (_, i) => [text.slice(0, i), text.slice(i)]);
  return [...cuts, [...text]];
}

describe('SseFrameParser', () => {
  test('a frame is its id, event and data lines, dispatched by a blank line; one space after the colon is dropped', () => {
    assert.deepEqual(parse(['id: 7\nevent: agent.output\ndata: {"seq":7}\n\n']), [{ id: '7', event: 'agent.output', data: '{"seq":7}' }]);
  });

  test('a frame without an event line is a message; data lines join with LF; a second space is kept', () => {
    assert.deepEqual(parse(['id: 1\ndata: a\ndata:  b\ndata:c\n\n']), [{ id: '1', event: 'message', data: 'a\n b\nc' }]);
  });

  test('the id carries over to later frames; an id holding NUL is ignored', () => {
    assert.deepEqual(parse(['id: 4\ndata: x\n\ndata: y\n\nid: 5\u0000\ndata: z\n\n']), [
      { id: '4', event: 'message', data: 'x' },
      { id: '4', event: 'message', data: 'y' },
      { id: '4', event: 'message', data: 'z' },
    ]);
  });

  test('comments, unknown fields and a blank line with no data dispatch nothing; event resets after each frame', () => {
    assert.deepEqual(parse([': heartbeat\n\nevent: log\n\nfoo: bar\ndata: a\n\ndata: b\n\n']), [
      { id: undefined, event: 'message', data: 'a' },
      { id: undefined, event: 'message', data: 'b' },
    ]);
  });

  test('a line with no colon is a field with an empty value', () => {
    assert.deepEqual(parse(['data\n\n']), [{ id: undefined, event: 'message', data: '' }]);
  });

  test('retry takes only digits', () => {
    const parser = new SseFrameParser();
    parse(['retry: 2000\n\n'], parser);
    assert.equal(parser.retryMs, 2000);
    parse(['retry: 5s\n\nretry: -1\n\n'], parser);
    assert.equal(parser.retryMs, 2000);
  });

  test('lines end in LF, CRLF or CR, wherever the chunks are cut', () => {
    const expected = [
      { id: '1', event: 'x', data: 'a\nb' },
      { id: '2', event: 'message', data: 'c' },
      { id: '2', event: 'message', data: '' },
    ];
    for (const text of ['id: 1\nevent: x\ndata: a\ndata: b\n\nid: 2\ndata: c\n\ndata:\n\n', 'id: 1\r\nevent: x\r\ndata: a\r\ndata: b\r\n\r\nid: 2\r\ndata: c\r\n\r\ndata:\r\n\r\n', 'id: 1\revent: x\rdata: a\rdata: b\r\rid: 2\rdata: c\r\rdata:\r\r', 'id: 1\r\nevent: x\rdata: a\ndata: b\r\n\rid: 2\ndata: c\r\r\ndata:\n\r\n']) {
      for (const chunks of everyCut(text)) assert.deepEqual(parse(chunks), expected, JSON.stringify(chunks));
    }
  });

  test('a frame not yet ended by a blank line waits for the next chunk', () => {
    const parser = new SseFrameParser();
    assert.deepEqual(parser.push('id: 3\ndata: {"a"'), []);
    assert.deepEqual(parser.push(':1}\n'), []);
    assert.deepEqual(parser.push('\n'), [{ id: '3', event: 'message', data: '{"a":1}' }]);
  });
});
