// In a real Chromium: 200 agents and 10,000 events stay usable. The events arrive live while the
// feed shows; the feed then scrolls to the oldest of them and the agents list to its last agent;
// the views are switched. Frame times are reported (t.diagnostic), never asserted: the machines
// are shared and noisy. `npm run bench` (row "frames") reports the same measurement.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { HubClient } from '../../server/client/hub-client.ts';
import { type FleetRun, driveFleet, fleetAgents, fleetEvents, formatFrames, seedAgents } from '../helpers/fleet-scale.ts';
import { type Dashboard, browserSuite, noChromium } from './chromium.ts';

// No agent turns stale by the clock mid-test; the seeding is 400 requests in a few seconds.
const suite = browserSuite({ agents: { staleAfterMs: 3_600_000 } });
let dashboard: Dashboard;
let clients: HubClient[];
let agentIds: string[];
let run: FleetRun;

before(async () => {
  if (noChromium) return;
  await suite.ready();
  ({ agentIds, clients } = await seedAgents(suite.hub.url, suite.hub.adminToken));
  dashboard = await suite.dashboards.open(suite.browser, suite.hub.url, await suite.hub.mint('operator'));
  run = await driveFleet(dashboard.page, clients);
});

describe(`a fleet of ${fleetAgents} agents and ${fleetEvents.toLocaleString('en-US')} events`, { skip: noChromium }, () => {
  test('reports its frame times for each step', (t) => {
    for (const step of ['ingest', 'feedScroll', 'agentsScroll', 'viewSwitches'] as const) t.diagnostic(`${step}: ${formatFrames(run[step])}`);
    assert.ok(run.ingest.frames > 0 && run.feedScroll.frames > 0 && run.agentsScroll.frames > 0 && run.viewSwitches.frames > 0, 'frames were recorded in every step');
  });

  test('the feed held the newest event and scrolled back to the oldest of the ten thousand', async () => {
    assert.equal(run.lastSeq - run.firstSeq + 1, fleetEvents, 'the events are one run of seqs');
    const { page } = dashboard;
    await page.getByTestId('nav-feed').click();
    await page.getByTestId('feed-count').filter({ hasText: /\d+ events/ }).waitFor();
    const held = Number((await page.getByTestId('feed-count').innerText()).replace(/,/g, '').match(/^(\d+)/)?.[1]);
    assert.ok(held >= fleetEvents, `the feed holds all ${fleetEvents} (${held})`);
  });

  test('every agent is in the list, the last one reachable by scrolling', async () => {
    const { page } = dashboard;
    await page.getByTestId('nav-agents').click();
    await page.getByTestId('agent-row').first().waitFor();
    const listed = await page.getByTestId('agent-row').evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.agentId));
    assert.deepEqual([...listed].sort(), [...agentIds].sort());
    const last = page.getByTestId('agent-row').last();
    await last.scrollIntoViewIfNeeded();
    assert.ok(await last.isVisible());
  });

  test('the page threw nothing', () => {
    assert.deepEqual(dashboard.pageErrors, []);
  });
});
