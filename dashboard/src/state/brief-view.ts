import type { Brief } from '../../../server/client/views.ts';
import { problemText } from './problem.ts';
import { Store } from './store.ts';

/** The windows the brief view offers, the first the default. */
export const briefWindows = [
  { key: '24h', label: 'Last 24 hours', hours: 24 },
  { key: '8h', label: 'Last 8 hours', hours: 8 },
  { key: '7d', label: 'Last 7 days', hours: 24 * 7 },
] as const;
export type BriefWindow = (typeof briefWindows)[number]['key'];

/** Where a window starts, counted back from `now`. */
export function briefSince(window: BriefWindow, now: number): Date {
  const hours = briefWindows.find((w) => w.key === window)?.hours ?? 24;
  return new Date(now - hours * 3_600_000);
}

/** Labels for the brief's lists the hub cut at 100 entries. */
export const truncatedLabels: Readonly<Record<Brief['truncated'][number], string>> = {
  done: 'Done',
  failed: 'Failed',
  decided: 'Decided',
  'cost.byAgent': 'Cost per agent',
  'waiting.decisions': 'Waiting decisions',
  'waiting.blockedTasks': 'Blocked tasks',
};

export interface BriefState {
  window: BriefWindow;
  brief: Brief | undefined;
  loading: boolean;
  error: string | undefined;
}

/** The brief view's one read: the brief of the window chosen; a later choice wins over a slower earlier read. */
export class BriefView {
  readonly state = new Store<BriefState>({ window: '24h', brief: undefined, loading: false, error: undefined });
  readonly #read: (since: Date) => Promise<Brief>;
  readonly #now: () => number;
  #generation = 0;

  constructor(read: (since: Date) => Promise<Brief>, now: () => number = Date.now) {
    this.#read = read;
    this.#now = now;
  }

  async load(window: BriefWindow = this.state.value.window): Promise<void> {
    const generation = ++this.#generation;
    this.state.update((s) => ({ ...s, window, loading: true, error: undefined }));
    try {
      const brief = await this.#read(briefSince(window, this.#now()));
      if (generation === this.#generation) this.state.update((s) => ({ ...s, brief, loading: false }));
    } catch (error) {
      if (generation === this.#generation) this.state.update((s) => ({ ...s, loading: false, error: problemText(error) }));
    }
  }
}
