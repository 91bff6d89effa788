// A fleet at scale in the dashboard, measured: 200 agents, then 10,000 events arriving live, then
// the feed and the agents list scrolled end to end and the views switched, with every animation
// frame's duration recorded in the page. tests/browser/fleet-scale.test.ts asserts what the
// operator sees; `npm run bench` reports the same frames against the 16.7 ms of a 60 Hz frame.
import type { Locator, Page } from 'playwright-core';
import { HubClient } from '../../server/client/hub-client.ts';
import type { EventAppend } from '../../server/client/views.ts';
import { percentile } from '../bench/report.ts';

export const fleetAgents = 200;
export const fleetEvents = 10_000;
/** One frame at 60 Hz: what "fluid" means. */
export const frameBudgetMs = 1000 / 60;
/** A frame this long is a visible stutter (the long-task threshold of the browser's own tooling). */
export const longFrameMs = 50;
const batchSize = 500;

export interface FrameStats {
  frames: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** Frames over `longFrameMs`. */
  long: number;
}

/** p50/p95/max and long frames of a set of frame durations. */
export function frameStats(durations: readonly number[]): FrameStats {
  const sorted = Float64Array.from(durations).sort();
  return { frames: sorted.length, p50Ms: percentile(sorted, 0.5), p95Ms: percentile(sorted, 0.95), maxMs: sorted.at(-1) ?? Number.NaN, long: sorted.filter((d) => d > longFrameMs).length };
}

/** "p50 16.7 ms, p95 17.1 ms, max 48 ms, 0 long of 310 frames". */
export function formatFrames(s: FrameStats): string {
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  return `p50 ${ms(s.p50Ms)}, p95 ${ms(s.p95Ms)}, max ${ms(s.maxMs)}, ${s.long} long of ${s.frames} frames`;
}

/** Registers 200 agents (a token and a heartbeat each, ten at a time), with an admin token. */
export async function seedAgents(url: string, adminToken: string): Promise<{ agentIds: string[]; clients: HubClient[] }> {
  const admin = new HubClient({ url, token: adminToken });
  const agentIds = Array.from({ length: fleetAgents }, (_, n) => `agt_fleet_${String(n).padStart(3, '0')}`);
  const clients: HubClient[] = [];
  for (let i = 0; i < agentIds.length; i += 10) {
    clients.push(
      ...(await Promise.all(
        agentIds.slice(i, i + 10).map(async (id, n) => {
          const agent = new HubClient({ url, token: (await admin.tokens.create({ role: 'agent', agentId: id })).token });
          await agent.agents.heartbeat(id, `fleet-${String(i + n).padStart(3, '0')} · shard ${(i + n) % 17}`);
          return agent;
        }),
      )),
    );
  }
  return { agentIds, clients };
}

/** Appends 10,000 events in batches of 500, each batch from another agent: output lines, and a custom event every fiftieth. */
export async function seedEvents(clients: readonly HubClient[]): Promise<{ firstSeq: number; lastSeq: number }> {
  let firstSeq = Number.POSITIVE_INFINITY;
  let lastSeq = 0;
  for (let b = 0; b < fleetEvents / batchSize; b++) {
    const events = Array.from({ length: batchSize }, (_, n): EventAppend => {
      const i = b * batchSize + n;
      return i % 50 === 0
        ? { type: 'x.fleet.checkpoint', data: { step: i, note: `checkpoint ${i}` } }
        : { type: 'agent.output', data: { stream: i % 97 === 0 ? 'stderr' : 'stdout', line: `step ${i}: ran ${i % 13} tests in ${(i % 7) + 1}.${i % 10} s` } };
    });
    const receipts = await clients[b % clients.length]!.events.append(events);
    firstSeq = Math.min(firstSeq, receipts[0]!.seq);
    lastSeq = Math.max(lastSeq, receipts.at(-1)!.seq);
  }
  return { firstSeq, lastSeq };
}

// The code run in the page is source text: tsx's helpers (`__name`) do not exist there.

/** Records every animation frame's duration in the page until `stopFrames`. */
const recordFrames = `(() => {
  const rec = { durations: [], running: true };
  window.__frames = rec;
  let last = 0;
  function tick(now) {
    rec.durations.push(now - last);
    last = now;
    if (rec.running) requestAnimationFrame(tick);
  }
  requestAnimationFrame((now) => { last = now; requestAnimationFrame(tick); });
})()`;

/** Starts recording animation frames in the page; `stopFrames` hands them back. */
export async function startFrames(page: Page): Promise<void> {
  await page.evaluate(recordFrames);
}

export async function stopFrames(page: Page): Promise<FrameStats> {
  const durations = (await page.evaluate('(() => { window.__frames.running = false; return window.__frames.durations; })()')) as number[];
  return frameStats(durations);
}

/** Records the frames while `work` runs. */
export async function measureFrames(page: Page, work: () => Promise<void>): Promise<FrameStats> {
  await startFrames(page);
  await work();
  return stopFrames(page);
}

/** Scrolls `box` to one end, `step` pixels per animation frame, as a fast fling does. */
const fling = `(el, [direction, step]) => new Promise((resolve) => {
  let node = el;
  let box = null;
  while (node) {
    if (node instanceof Element) {
      const overflow = getComputedStyle(node).overflowY;
      if ((overflow === 'auto' || overflow === 'scroll') && node.scrollHeight > node.clientHeight) { box = node; break; }
    }
    node = node.parentNode ?? node.host ?? null;
  }
  box ??= document.scrollingElement;
  function frame() {
    const end = direction === 'top' ? 0 : box.scrollHeight - box.clientHeight;
    box.scrollTop = direction === 'top' ? Math.max(end, box.scrollTop - step) : Math.min(end, box.scrollTop + step);
    if (Math.abs(box.scrollTop - end) < 1) resolve();
    else requestAnimationFrame(frame);
  }
  requestAnimationFrame(frame);
})`;

/**
 * Scrolls the element's scroll container (itself, or the nearest scrolling ancestor across shadow
 * roots) to one end, `stepPx` per animation frame.
 */
export async function scrollThrough(target: Locator, to: 'top' | 'bottom', stepPx: number): Promise<void> {
  const handle = await target.elementHandle();
  if (!handle) throw new Error('scrollThrough: nothing to scroll');
  const page = target.page();
  const run = await page.evaluateHandle(fling);
  await run.evaluate((fn, [el, args]) => (fn as unknown as (el: unknown, args: unknown) => Promise<void>)(el, args), [handle, [to, stepPx]] as const);
}

export interface FleetRun {
  /** Each step's frames: the events arriving, the feed scrolled to its oldest row, the agents list to its last, the views switched. */
  ingest: FrameStats;
  feedScroll: FrameStats;
  agentsScroll: FrameStats;
  viewSwitches: FrameStats;
  /** The first and last `seq` of the 10,000 events. */
  firstSeq: number;
  lastSeq: number;
}

/** The views visited, in order, when switching. */
export const switchedViews = ['overview', 'feed', 'agents', 'tasks', 'inbox', 'healer', 'brief', 'feed'] as const;

/**
 * Drives a signed-in dashboard with 200 agents registered: shows the feed while 10,000 events
 * arrive live, scrolls the feed to its oldest row, scrolls the agents list to its last row, then
 * switches through the views; the frames of each step.
 */
export async function driveFleet(page: Page, clients: readonly HubClient[]): Promise<FleetRun> {
  await page.getByTestId('nav-feed').click();
  await page.getByTestId('view-feed').waitFor();
  let seeded = { firstSeq: 0, lastSeq: 0 };
  const ingest = await measureFrames(page, async () => {
    seeded = await seedEvents(clients);
    await page.locator(`[data-testid="feed-row"][data-seq="${seeded.lastSeq}"]`).waitFor({ timeout: 60_000 });
  });
  const feedScroll = await measureFrames(page, async () => {
    await scrollThrough(page.getByTestId('feed-list'), 'top', 1500);
    await page.locator(`[data-testid="feed-row"][data-seq="${seeded.firstSeq}"]`).waitFor({ timeout: 30_000 });
  });
  await page.getByTestId('nav-agents').click();
  await page.getByTestId('view-agents').waitFor();
  await page.getByTestId('agent-row').first().waitFor();
  const agentsScroll = await measureFrames(page, async () => {
    await scrollThrough(page.getByTestId('agent-row').last(), 'bottom', 400);
  });
  const viewSwitches = await measureFrames(page, async () => {
    for (const view of switchedViews) {
      await page.getByTestId(`nav-${view}`).click();
      await page.getByTestId(`view-${view}`).waitFor();
      await page.waitForTimeout(150);
    }
  });
  return { ingest, feedScroll, agentsScroll, viewSwitches, ...seeded };
}
