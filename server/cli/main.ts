// The composition root of `mc`: the one place that reads the environment and the command line.
import { readFileSync } from 'node:fs';
import { runCli } from './cli.ts';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const interrupt = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => interrupt.abort());

process.exitCode = await runCli(
  process.argv.slice(2),
  { hubUrl: process.env.MC_HUB_URL || 'http://localhost:8787', token: process.env.MC_TOKEN, version },
  { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`), signal: interrupt.signal },
);
