// The composition root of `mc`: the one place that reads the environment and the command line.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { text } from 'node:stream/consumers';
import { runCli } from './cli.ts';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const interrupt = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => interrupt.abort());

process.exitCode = await runCli(
  process.argv.slice(2),
  { hubUrl: process.env.MC_HUB_URL || 'http://localhost:8787', token: process.env.MC_TOKEN, version, self: `${quote(process.execPath)} ${quote(fileURLToPath(new URL('./mc.mjs', import.meta.url)))}` },
  { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`), signal: interrupt.signal, stdin: () => text(process.stdin) },
);

/** `text` as one shell word. */
function quote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}
