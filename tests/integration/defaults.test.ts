import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import type { EventAppend } from '../../server/client/views.ts';
import { OutputPump } from '../../server/runner/output.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { bearer } from '../helpers/hub.ts';

// A hub with nothing overridden, so a documented default that changes fails here. The expected
// values are written from the README, not read from server/config.ts.
const suite = hubSuite();

describe('a hub started with no configuration at all', () => {
  test('warns of an agent budget at 80% of 10 USD: nothing at 7.99, one budget.warning at 8', async () => {
    const headers = bearer(await suite.hub.mint('agent', 'agt_defaults'));
    const complete = async (costUsd: number) => {
      const res = await suite.hub.post('/events', { type: 'run.completed', data: { tokensIn: 1, tokensOut: 1, costUsd } }, headers);
      assert.equal(res.status, 201, JSON.stringify(res.body));
    };
    const warnings = async () => (await sql<{ data: unknown }>`select data from events where type = 'budget.warning' order by seq`.execute(suite.hub.db)).rows.map((r) => r.data);
    await complete(7.99);
    assert.deepEqual(await warnings(), []);
    await complete(0.01);
    assert.deepEqual(await warnings(), [{ scope: 'agent', scopeId: 'agt_defaults', spentUsd: 8, limitUsd: 10 }]);
  });

  test('cuts an agent\'s output line at 8 KiB and marks it truncated', async () => {
    const logged: EventAppend[] = [];
    const pump = new OutputPump('agt_defaults_output', suite.hub.config.spawn, { stdout: 0, stderr: 0 }, async (events) => void logged.push(...events), () => undefined);
    pump.line('stdout', 'x'.repeat(9000), 0, 9001);
    await pump.flush();
    assert.deepEqual(logged.map((e) => [String(e.data.line).length, e.data.truncated]), [[8192, true]]);
  });

  test('runs with every other default the README documents', () => {
    const { config } = suite.hub;
    assert.deepEqual(
      {
        limits: config.limits,
        rateLimits: config.rateLimits,
        http: { headersTimeoutMs: config.http.headersTimeoutMs, requestTimeoutMs: config.http.requestTimeoutMs },
        auth: config.auth,
        groupCommit: { maxEvents: config.groupCommit.maxEvents },
        timers: config.timers,
        agents: config.agents,
        decisions: config.decisions,
        budgets: config.budgets,
        loops: config.loops,
        spawn: { linesPerSecond: config.spawn.linesPerSecond, maxLineChars: config.spawn.maxLineChars, stopGraceMs: config.spawn.stopGraceMs },
        runners: config.runners,
        runner: { capacity: config.runner.capacity, templates: config.runner.templates, runAs: config.runner.runAs, pollWaitMs: config.runner.pollWaitMs },
        stream: {
          heartbeatMs: config.stream.heartbeatMs,
          replayPageSize: config.stream.replayPageSize,
          pageBytes: config.stream.pageBytes,
          maxBufferedBytes: config.stream.maxBufferedBytes,
          maxStreamsPerToken: config.stream.maxStreamsPerToken,
        },
        templates: Object.keys(config.templates),
      },
      {
        limits: { bodyBytes: 1024 * 1024, eventDataBytes: 64 * 1024 },
        rateLimits: { perTokenPerSecond: 1000, perTokenBurst: 2000, perAddressPerSecond: 10_000, perAddressBurst: 20_000 },
        http: { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000 },
        auth: { cacheMs: 10_000 },
        groupCommit: { maxEvents: 5000 },
        timers: { tickMs: 1000, retentionEveryMs: 600_000 },
        agents: { staleAfterMs: 60_000 },
        decisions: { defaultExpiresInSec: 3600, defaultOnTimeout: 'deny' },
        budgets: { agentUsd: 10, taskUsd: 25, globalDailyUsd: 100, warnAt: 0.8 },
        loops: { sameFailureCount: 3, handoffCount: 4, windowMs: 600_000 },
        spawn: { linesPerSecond: 50, maxLineChars: 8192, stopGraceMs: 10_000 },
        runners: { offlineAfterMs: 30_000, maxPollWaitMs: 20_000 },
        runner: { capacity: 8, templates: ['*'], runAs: 'mc-agent', pollWaitMs: 15_000 },
        stream: { heartbeatMs: 15_000, replayPageSize: 8000, pageBytes: 4 * 1024 * 1024, maxBufferedBytes: 4 * 1024 * 1024, maxStreamsPerToken: 50 },
        templates: ['sample'],
      },
    );
  });
});
