import { LitElement, css, html, nothing } from 'lit';
import type { EventEnvelope } from '../state/types.ts';
import { shared } from './styles.ts';

/** A side panel with one event's whole envelope as JSON; Escape or Close dispatches `close`. */
export class McEventDetails extends LitElement {
  static override styles = [
    shared,
    css`
      aside {
        background: var(--mc-surface);
        border: 1px solid var(--mc-border);
        border-radius: var(--mc-radius);
        padding: 0.75rem;
        display: flex;
        flex-direction: column;
        gap: 0.5rem;
        height: 100%;
        min-height: 0;
      }
      .top {
        display: flex;
        align-items: center;
        gap: 0.5rem;
      }
      h2 {
        margin: 0 auto 0 0;
        font-size: 1rem;
        overflow-wrap: anywhere;
      }
      pre {
        margin: 0;
        overflow: auto;
        flex: 1;
        min-height: 0;
        font: 12px/1.45 var(--mc-mono);
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
    `,
  ];
  static override properties = { event: { attribute: false }, heading: {} };
  declare event: EventEnvelope | undefined;
  declare heading: string | undefined;

  override render() {
    if (!this.event) return nothing;
    return html`<aside tabindex="-1" aria-label="Event details" @keydown=${this.#onKey}>
      <div class="top">
        <h2>${this.heading ?? `#${this.event.seq} ${this.event.type}`}</h2>
        <button data-testid="event-details-close" @click=${this.#close}>Close</button>
      </div>
      <pre data-testid="event-details-json">${JSON.stringify(this.event, null, 2)}</pre>
    </aside>`;
  }

  /** Moves the keyboard focus into the panel (so Escape reaches it). */
  override focus(): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('aside')?.focus());
  }

  #onKey(event: KeyboardEvent): void {
    if (event.key === 'Escape') this.#close();
  }

  #close(): void {
    this.dispatchEvent(new CustomEvent('close'));
  }
}

customElements.define('mc-event-details', McEventDetails);
