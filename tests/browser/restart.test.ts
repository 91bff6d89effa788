// In a real Chromium: the hub runs as a real process (server/main.ts), is stopped and started
// again on the same port and database, and the open dashboard's feed carries on with no gap.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { ensureDashboard } from '../../server/dashboard/build.ts';
import { type TestDatabase, testDatabase } from '../helpers/database.ts';
import { bearer } from '../helpers/decisions.ts';
import { postJson } from '../helpers/hub.ts';
import { type HubProcess, startHubProcess } from '../helpers/hub-process.ts';
import { type Dashboard, connectionState, eventually, feedSeqs, goTo, launchChromium, noChromium, openDashboard } from './chromium.ts';

let database: TestDatabase;
let browser: Browser;
let dashboard: Dashboard | undefined;
const hubs: HubProcess[] = [];

before(async () => {
  if (noChromium) return;
  await ensureDashboard(() => undefined);
  database = await testDatabase();
  browser = await launchChromium();
});
after(async () => {
  await dashboard?.close();
  await browser?.close();
  for (const hub of hubs) await hub.stop();
  await database?.drop();
});

/** A port nothing listens on right now (the OS picks it; the hub takes it a moment later). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('a hub restart', () => {
  test('the feed resumes with no gap and no duplicate, and the header says connected again', { skip: noChromium }, async (t) => {
    const adminToken = `mc_test_${randomBytes(16).toString('hex')}`;
    const env = { DATABASE_URL: database.url, MC_ADMIN_TOKEN: adminToken, PORT: String(await freePort()) };
    const start = async () => {
      const hub = await startHubProcess(env);
      hubs.push(hub);
      return hub;
    };
    const first = await start();
    const minted = await postJson(`${first.url}/tokens`, { role: 'operator', name: 'restart test' }, bearer(adminToken));
    assert.equal(minted.status, 201, JSON.stringify(minted.body));
    const operator = bearer(minted.body.token);
    const type = `x.restart.${randomBytes(6).toString('hex')}`;
    const seqs: number[] = [];
    const post = async (url: string, from: number, to: number) => {
      for (let n = from; n <= to; n++) {
        const res = await postJson(`${url}/events`, { type, data: { n } }, operator);
        assert.equal(res.status, 201, JSON.stringify(res.body));
        seqs.push(res.body.seq);
      }
    };
    const feedShows = (count: number, timeoutMs = 15_000) =>
      eventually(`${count} rows of ${type} in the feed`, async () => {
        const shown = await feedSeqs(page);
        return shown.length >= count ? shown : undefined;
      }, timeoutMs);

    dashboard = await openDashboard(browser, first.url, minted.body.token);
    const { page } = dashboard;
    await goTo(page, 'feed');
    // Only this test's events: the windowed list then renders every one of them.
    await page.getByTestId('feed-filter-type').fill(type);
    await post(first.url, 1, 5);
    assert.deepEqual(await feedShows(5), seqs);

    assert.equal(await first.stop(), 0, 'the hub exits 0 on SIGTERM');
    await connectionState(page, 'connected', 15_000, true);
    t.diagnostic(`with the hub down the header says ${await page.getByTestId('connection-state').getAttribute('data-state')}`);
    // Out of reach: a banner says so, and the actions are off.
    await eventually('the offline banner', async () => ((await page.getByTestId('offline-banner').count()) > 0 ? true : undefined));
    assert.equal(await page.getByTestId('pause-all').isDisabled(), true);

    const second = await start();
    assert.equal(second.url, first.url, 'the same port');
    // Posted at once: most likely before the browser is back, so they come in its replay...
    await post(second.url, 6, 8);
    const reconnecting = Date.now();
    await connectionState(page, 'connected', 60_000);
    t.diagnostic(`the header said connected again ${Date.now() - reconnecting} ms after the restarted hub took events`);
    await page.getByTestId('offline-banner').waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('pause-all').isDisabled(), false);
    // ...and these live.
    await post(second.url, 9, 12);

    const shown = await feedShows(12);
    assert.deepEqual(shown, seqs, 'every event once, in order');
    assert.ok(seqs.every((seq, i) => i === 0 || seq > seqs[i - 1]!));
    // Nothing arrives late: a duplicate from the replay seam would come before a fence event appended last.
    await post(second.url, 13, 13);
    const fenced = await eventually('the fence event in the feed', async () => {
      const now = await feedSeqs(page);
      return now.includes(seqs.at(-1)!) ? now : undefined;
    });
    assert.deepEqual(fenced, seqs);
    assert.match(await page.getByTestId('feed-count').innerText(), /^13 of \d+ events$/);
    assert.deepEqual(dashboard.pageErrors, []);
  });
});
