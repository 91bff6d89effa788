import { type CpuShare, type CpuSnapshot, sampleWindow } from './cpu.ts';

export interface ThroughputResult {
  eventsPerSecond: number;
  events: number;
  seconds: number;
  /** Requests (or statements) that failed or were refused. */
  errors: number;
  firstError?: string;
  cpu?: CpuShare;
}

export interface LoadWindow {
  warmupMs: number;
  measureMs: number;
  sampleCpu(): CpuSnapshot;
}

/** What one step of a closed loop did: events written, or why it failed. */
export type StepOutcome = { events: number } | { error: string };

/**
 * `concurrency` workers each run `step` back to back for warm-up + measure; only steps that
 * complete inside the measured window count.
 */
export async function closedLoop(concurrency: number, window: LoadWindow, step: (worker: number, i: number) => Promise<StepOutcome>): Promise<ThroughputResult> {
  const measureFrom = performance.now() + window.warmupMs;
  const measureTo = measureFrom + window.measureMs;
  const cpuShare = sampleWindow(window.sampleCpu, window.warmupMs, window.warmupMs + window.measureMs);
  let events = 0;
  let errors = 0;
  let firstError: string | undefined;
  const worker = async (w: number) => {
    for (let i = 0; performance.now() < measureTo; i++) {
      let outcome: StepOutcome;
      try {
        outcome = await step(w, i);
      } catch (error) {
        outcome = { error: (error as Error).message };
      }
      const now = performance.now();
      if ('error' in outcome) {
        errors += 1;
        firstError ??= outcome.error;
        // A refused connection fails fast: do not spin.
        await new Promise((r) => setTimeout(r, 10));
      } else if (now >= measureFrom && now < measureTo) {
        events += outcome.events;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  const cpu = cpuShare();
  const seconds = window.measureMs / 1000;
  return { eventsPerSecond: events / seconds, events, seconds, errors, ...(firstError ? { firstError } : {}), ...(cpu ? { cpu } : {}) };
}
