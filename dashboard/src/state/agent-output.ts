import type { ReadPage } from '../../../server/client/pagination.ts';
import { type AnsiSpan, ansiSpans } from './ansi.ts';
import { problemText } from './problem.ts';
import { Store } from './store.ts';
import type { EventEnvelope } from './types.ts';

/** One `agent.output` line, its escapes already turned into styled runs. */
export interface OutputLine {
  seq: number;
  stream: 'stdout' | 'stderr';
  spans: readonly AnsiSpan[];
  /** The hub cut the line at its limit. */
  truncated: boolean;
  /** The hub replaced secret-shaped strings in it. */
  redacted: boolean;
}

/**
 * A contiguous run of an agent's output lines, oldest first, at most a bounded number of them:
 * the terminal shows this window and moves it through the whole history by pages.
 */
export interface OutputWindow {
  lines: readonly OutputLine[];
  /** The log may hold lines older than the first here; false once a read found none. */
  older: boolean;
  /** Lines newer than the last here were left out: the window does not reach the newest line. */
  newer: boolean;
}

export const emptyWindow: OutputWindow = { lines: [], older: true, newer: false };
export const defaultMaxLines = 5000;
const outputType = 'agent.output';

/** The line an `agent.output` event carries; undefined for any other event. */
export function outputLine(event: EventEnvelope): OutputLine | undefined {
  const d = event.data as { stream?: unknown; line?: unknown; truncated?: unknown; redacted?: unknown };
  if (event.type !== outputType || typeof d.line !== 'string') return undefined;
  return { seq: event.seq, stream: d.stream === 'stderr' ? 'stderr' : 'stdout', spans: ansiSpans(d.line), truncated: d.truncated === true, redacted: d.redacted === true };
}

function linesOf(events: readonly EventEnvelope[]): OutputLine[] {
  return events.map(outputLine).filter((line) => line !== undefined).sort((a, b) => a.seq - b.seq);
}

/** Adds a page read newest first below the first line; past `max` lines the newest go (`newer`). `more`: the log may hold older ones still. */
export function withOlder(window: OutputWindow, page: readonly EventEnvelope[], more: boolean, max = defaultMaxLines): OutputWindow {
  const first = window.lines[0]?.seq ?? Number.POSITIVE_INFINITY;
  let lines = linesOf(page.filter((e) => e.seq < first)).concat(window.lines);
  let newer = window.newer;
  if (lines.length > max) {
    lines = lines.slice(0, max);
    newer = true;
  }
  return { lines, older: more, newer };
}

/** Adds a page read oldest first after the last line; past `max` lines the oldest go (`older`). `more`: the log may hold newer ones still. */
export function withNewer(window: OutputWindow, page: readonly EventEnvelope[], more: boolean, max = defaultMaxLines): OutputWindow {
  const last = window.lines.at(-1)?.seq ?? 0;
  let lines = window.lines.concat(linesOf(page.filter((e) => e.seq > last)));
  let older = window.older;
  if (lines.length > max) {
    lines = lines.slice(lines.length - max);
    older = true;
  }
  return { lines, older, newer: more };
}

/**
 * Adds lines that arrived live, when the window reaches the newest line. Past `max`, a terminal
 * that follows the tail lets its oldest lines go; one the operator scrolled up in keeps what they
 * read and stops reaching the newest (`newer`: read on demand).
 */
export function withLive(window: OutputWindow, events: readonly EventEnvelope[], following: boolean, max = defaultMaxLines): OutputWindow {
  if (window.newer) return window;
  const last = window.lines.at(-1)?.seq ?? 0;
  const fresh = linesOf(events.filter((e) => e.seq > last));
  if (fresh.length === 0) return window;
  const lines = window.lines.concat(fresh);
  if (lines.length <= max) return { ...window, lines };
  if (following) return { ...window, lines: lines.slice(lines.length - max), older: true };
  return { ...window, lines: lines.slice(0, Math.max(max, window.lines.length)), newer: true };
}

export interface OutputState {
  window: OutputWindow;
  /** False until the newest page has been read. */
  loaded: boolean;
  /** The read in flight, if one is. */
  loading: 'newest' | 'older' | 'newer' | undefined;
  error: string | undefined;
}

export interface AgentOutputOptions {
  agentId: string;
  /** One page of the log (`GET /events`). */
  read: ReadPage;
  pageSize?: number;
  maxLines?: number;
}

/**
 * An agent's output as a terminal shows it: the newest page first, older and newer pages on
 * demand (`GET /events?agent=&types=agent.output`, newest first below the first line, or after
 * the last), and the lines the app's live stream delivers. One read at a time.
 */
export class AgentOutput {
  readonly state = new Store<OutputState>({ window: emptyWindow, loaded: false, loading: undefined, error: undefined });
  /** Whether the terminal shows the newest line (set by the element as the operator scrolls). */
  following = true;
  readonly #agentId: string;
  readonly #read: ReadPage;
  readonly #pageSize: number;
  readonly #max: number;
  /** Live lines that came while the newest page was being read. */
  #early: EventEnvelope[] = [];
  /** The highest `seq` of a line delivered live: a read of newer pages is not done before it. */
  #liveMax = 0;
  #generation = 0;

  constructor(options: AgentOutputOptions) {
    this.#agentId = options.agentId;
    this.#read = options.read;
    this.#pageSize = options.pageSize ?? 200;
    this.#max = options.maxLines ?? defaultMaxLines;
  }

  /** Reads the newest page again and follows the tail from there. */
  async loadNewest(): Promise<void> {
    const generation = ++this.#generation;
    this.following = true;
    this.#early = [];
    this.state.update((s) => ({ ...s, loading: 'newest', error: undefined }));
    try {
      const page = await this.#read({ ...this.#query(), order: 'desc', limit: this.#pageSize });
      if (generation !== this.#generation) return;
      const window = withLive(withOlder(emptyWindow, page.events, page.events.length > 0 && page.next > 1, this.#max), this.#early, true, this.#max);
      this.#early = [];
      this.state.set({ window, loaded: true, loading: undefined, error: undefined });
    } catch (error) {
      if (generation === this.#generation) this.state.update((s) => ({ ...s, loading: undefined, error: problemText(error) }));
    }
  }

  /** Reads the page before the first line, when the log may hold one. */
  loadOlder(): Promise<void> {
    const { window } = this.state.value;
    const first = window.lines[0]?.seq;
    if (!window.older || first === undefined) return Promise.resolve();
    return this.#page('older', async () => {
      const page = await this.#read({ ...this.#query(), before: first, limit: this.#pageSize });
      return (w) => withOlder(w, page.events, page.events.length > 0 && page.next > 1, this.#max);
    });
  }

  /** Reads the page after the last line, when lines were left out there. */
  loadNewer(): Promise<void> {
    const { window } = this.state.value;
    if (!window.newer) return Promise.resolve();
    const last = window.lines.at(-1)?.seq ?? 0;
    return this.#page('newer', async () => {
      const page = await this.#read({ ...this.#query(), after: last, limit: this.#pageSize });
      // An empty page is the end, unless a line came live meanwhile that it was read too early to hold.
      return (w) => withNewer(w, page.events, page.events.length > 0 || this.#liveMax > last, this.#max);
    });
  }

  /** Events the live stream delivered (any; this agent's output lines are taken). */
  received(events: readonly EventEnvelope[]): void {
    const mine = events.filter((e) => e.type === outputType && e.agentId === this.#agentId);
    if (mine.length === 0) return;
    this.#liveMax = Math.max(this.#liveMax, mine.at(-1)!.seq);
    const state = this.state.value;
    if (!state.loaded) {
      this.#early.push(...mine);
      return;
    }
    const window = withLive(state.window, mine, this.following, this.#max);
    if (window !== state.window) this.state.set({ ...state, window });
  }

  stop(): void {
    this.#generation++;
  }

  #query() {
    // Output lines retention moved out of the log are read back from the archives: the terminal still reaches the first line.
    return { agent: this.#agentId, types: [outputType], archived: 'include' as const };
  }

  /** One read at a time; its page is added to the window as it is when the answer comes (live lines may have joined it). */
  async #page(kind: 'older' | 'newer', read: () => Promise<(window: OutputWindow) => OutputWindow>): Promise<void> {
    const state = this.state.value;
    if (state.loading !== undefined || !state.loaded) return;
    const generation = this.#generation;
    this.state.set({ ...state, loading: kind, error: undefined });
    try {
      const add = await read();
      if (generation === this.#generation) this.state.update((s) => ({ ...s, window: add(s.window), loading: undefined }));
    } catch (error) {
      if (generation === this.#generation) this.state.update((s) => ({ ...s, loading: undefined, error: problemText(error) }));
    }
  }
}
