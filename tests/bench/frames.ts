import { launchChromium, openDashboard } from '../browser/chromium.ts';
import { type FleetRun, driveFleet, seedAgents } from '../helpers/fleet-scale.ts';

/**
 * The dashboard with 200 agents and 10,000 events arriving, scrolled and switched (the steps of
 * tests/browser/fleet-scale.test.ts, measured the same way), in a headless Chromium against the
 * bench's hub.
 */
export async function runDashboardFrames(hubUrl: string, adminToken: string): Promise<FleetRun> {
  const { clients } = await seedAgents(hubUrl, adminToken);
  const browser = await launchChromium();
  try {
    const dashboard = await openDashboard(browser, hubUrl, adminToken);
    const run = await driveFleet(dashboard.page, clients);
    await dashboard.close();
    return run;
  } finally {
    await browser.close();
  }
}
