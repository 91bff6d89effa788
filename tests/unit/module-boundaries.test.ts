import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

const root = path.resolve(import.meta.dirname, '../..');
// What the healer README allows the healer to share with the hub.
const shared = ['server/healer/', 'server/client/', 'server/webhooks/', 'server/process/', 'contracts/'];

/** Every repository file the module imports, directly or not (packages and node: modules aside). */
function reach(start: string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...start];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(path.join(root, file), 'utf8');
    for (const [, specifier] of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
      queue.push(path.relative(root, path.resolve(path.dirname(path.join(root, file)), specifier!)));
    }
  }
  return seen;
}

describe('the healer process', () => {
  test('imports nothing of the hub but the client, the webhook signature, the process helpers and the contracts', () => {
    const healer = readdirSync(path.join(root, 'server/healer')).filter((f) => f.endsWith('.ts')).map((f) => `server/healer/${f}`);
    const reached = reach(healer);
    // The walk must see through to the shared modules, or an empty answer would prove nothing.
    assert.ok(reached.has('server/webhooks/signature.ts') && reached.has('server/client/hub-request.ts'));
    assert.deepEqual([...reached].filter((file) => !shared.some((prefix) => file.startsWith(prefix))), []);
  });
});

describe('the MCP tool list', () => {
  test('which mc mcp runs too, knows the hub only through the client and the contracts', () => {
    const reached = reach(['server/mcp/tools.ts']);
    // The walk must see through to the client, or an empty answer would prove nothing.
    assert.ok(reached.has('server/client/hub-request.ts') && reached.has('server/mcp/decision-tool.ts'));
    const beyond = [...reached].filter((file) => !['server/mcp/', 'server/client/', 'contracts/'].some((prefix) => file.startsWith(prefix)));
    assert.deepEqual(beyond, []);
    assert.ok(!reached.has('server/mcp/routes.ts'), 'the tools do not reach the route that serves them in the hub');
  });
});

describe('the dashboard', () => {
  test('reaches for browser storage and the EventSource only in its composition root, browser.ts', () => {
    const files = readdirSync(path.join(root, 'dashboard/src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    // Comments may name them; code may not.
    const code = (file: string) => readFileSync(path.join(root, 'dashboard/src', file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    // browser.ts itself must be found, or an empty answer would prove nothing.
    assert.deepEqual(files.filter((file) => /\b(?:localStorage|sessionStorage)\b|new EventSource\b/.test(code(file))), ['browser.ts']);
  });
});
