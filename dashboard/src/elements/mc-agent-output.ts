import { LitElement, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { StoreController } from '../controllers/store-controller.ts';
import type { AnsiSpan } from '../state/ansi.ts';
import { type AgentOutput, type OutputLine, emptyWindow } from '../state/agent-output.ts';
import { agentOutputStyles } from './mc-agent-output.styles.ts';
import { shared } from './styles.ts';

/** Within this many pixels of an end, the terminal is at that end (reads a page there, or follows). */
const edgePx = 40;

/**
 * An agent's output as a terminal: coloured lines, the newest at the bottom, following the tail
 * unless the operator scrolled up; at the top (or "Load older") it reads the page before.
 */
export class McAgentOutput extends LitElement {
  static override styles = [shared, agentOutputStyles];
  static override properties = { output: { attribute: false }, following: { state: true } };
  declare output: AgentOutput | undefined;
  declare following: boolean;
  readonly #data = new StoreController(this, () => this.output?.state);
  /** The first line in view before a render, and how far below the top of the view it was. */
  #anchor: { seq: number; offset: number } | undefined;

  constructor() {
    super();
    this.following = true;
  }

  override willUpdate(): void {
    const terminal = this.#terminal();
    this.#anchor = terminal && !this.following ? firstInView(terminal) : undefined;
  }

  override updated(): void {
    const terminal = this.#terminal();
    if (!terminal) return;
    if (this.following) terminal.scrollTop = terminal.scrollHeight;
    else if (this.#anchor) {
      // Lines added above (an older page) or taken away there keep the operator's place.
      const line = terminal.querySelector<HTMLElement>(`[data-seq="${this.#anchor.seq}"]`);
      if (line) terminal.scrollTop = line.offsetTop - this.#anchor.offset;
    }
    this.#readAtEdge(terminal);
  }

  override render() {
    const state = this.#data.value;
    const window = state?.window ?? emptyWindow;
    const loading = state?.loading;
    return html`<div class="bar">
        <h3 id="output-title">Output</h3>
        <span class="muted small" data-testid="output-count">${window.lines.length.toLocaleString('en')} ${window.lines.length === 1 ? 'line' : 'lines'} shown</span>
        <button data-testid="output-load-older" ?disabled=${!state?.loaded || !window.older || loading !== undefined} @click=${() => void this.output?.loadOlder()}>
          ${loading === 'older' ? 'Loading…' : 'Load older'}
        </button>
        <button data-testid="output-follow" aria-pressed=${String(this.following)} @click=${this.#toNewest}>${this.following ? 'Following' : 'Jump to newest'}</button>
      </div>
      <div class="terminal" role="log" aria-live="off" aria-labelledby="output-title" tabindex="0" data-testid="output-terminal" @scroll=${this.#onScroll}>
        ${!state?.loaded
          ? html`<div class="marker">Loading output…</div>`
          : window.older
            ? html`<div class="marker">${loading === 'older' ? 'Loading older lines…' : 'Older lines above: scroll up or use Load older'}</div>`
            : html`<div class="marker" data-testid="output-start">${window.lines.length === 0 ? 'No output yet.' : 'Start of output'}</div>`}
        ${repeat(window.lines, (line) => line.seq, (line) => lineView(line))}
        ${window.newer ? html`<div class="marker">${loading === 'newer' ? 'Loading newer lines…' : 'Newer lines below: scroll down, or Jump to newest'}</div>` : nothing}
      </div>
      ${state?.error ? html`<p class="error small" role="alert" data-testid="output-error">${state.error}</p>` : nothing}`;
  }

  #onScroll(): void {
    const terminal = this.#terminal();
    if (!terminal || !this.output) return;
    const following = atBottom(terminal) && !this.output.state.value.window.newer;
    if (following !== this.following) this.following = following;
    this.output.following = following;
    this.#readAtEdge(terminal);
  }

  /** At the top with older lines in the log, or at the bottom with newer ones left out: the next page. */
  #readAtEdge(terminal: HTMLElement): void {
    const state = this.output?.state.value;
    if (!state?.loaded || state.loading !== undefined || state.error) return;
    if (terminal.scrollTop <= edgePx && state.window.older) void this.output!.loadOlder();
    else if (atBottom(terminal) && state.window.newer) void this.output!.loadNewer();
  }

  #toNewest(): void {
    if (!this.output) return;
    this.following = true;
    this.output.following = true;
    // Far back in a long history, the newest page is read again rather than every page on the way.
    if (this.output.state.value.window.newer) void this.output.loadNewest();
    this.#terminal()?.focus();
  }

  #terminal(): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>('.terminal');
  }
}

function atBottom(terminal: HTMLElement): boolean {
  return terminal.scrollHeight - terminal.scrollTop - terminal.clientHeight <= edgePx / 4;
}

/** The first line at least partly in view (lines are in order, so a binary search). */
function firstInView(terminal: HTMLElement): { seq: number; offset: number } | undefined {
  const lines = terminal.querySelectorAll<HTMLElement>('.line');
  let low = 0;
  let high = lines.length - 1;
  if (high < 0) return undefined;
  while (low < high) {
    const mid = (low + high) >> 1;
    const line = lines[mid]!;
    if (line.offsetTop + line.offsetHeight <= terminal.scrollTop) low = mid + 1;
    else high = mid;
  }
  const line = lines[low]!;
  return { seq: Number(line.dataset.seq), offset: line.offsetTop - terminal.scrollTop };
}

function lineView(line: OutputLine) {
  return html`<div class="line ${line.stream}" data-testid="output-line" data-seq=${line.seq} data-stream=${line.stream}>${line.spans.map(spanView)}${line.truncated
      ? html`<span class="note"> [cut]</span>`
      : nothing}</div>`;
}

function spanView(span: AnsiSpan) {
  if (span.fg === undefined && !span.bold) return span.text;
  return html`<span class="${span.fg === undefined ? '' : `c${span.fg}`}${span.bold ? ' b' : ''}">${span.text}</span>`;
}

customElements.define('mc-agent-output', McAgentOutput);
