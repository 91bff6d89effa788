import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runProcess } from '../helpers/child-process.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const redocly = createRequire(import.meta.url).resolve('@redocly/cli/bin/cli.js');

interface LintReport {
  problems: Array<{ ruleId: string; severity: string; message: string; location: Array<{ source: { ref: string }; pointer: string }> }>;
}

test('contracts/openapi.yaml passes redocly lint with no error and no warning', async () => {
  const run = await runProcess(process.execPath, [redocly, 'lint', 'contracts/openapi.yaml', '--format=json'], {
    cwd: root,
    // redocly.yaml turns telemetry off too; neither must reach the network while tests run.
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  });
  const report = JSON.parse(run.stdout || 'null') as LintReport | null;
  assert.ok(report, `redocly wrote no report (exit ${run.code}): ${run.stderr}`);
  const problems = report.problems.map((p) => `${p.severity} ${p.ruleId} at ${p.location.map((l) => `${l.source.ref}${l.pointer}`).join(', ')}: ${p.message}`);
  assert.deepEqual(problems, []);
  assert.equal(run.code, 0, run.stderr);
});
