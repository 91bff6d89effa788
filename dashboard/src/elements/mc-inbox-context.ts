import { LitElement, css, html, nothing } from 'lit';
import { contextLines, foldsContext } from '../state/inbox-context.ts';
import { shared } from './styles.ts';

/**
 * A decision's context in full, as text (never as HTML): preformatted, a diff's added and removed
 * lines coloured, the policy line set apart; folded to its first lines when long.
 */
export class McDecisionContext extends LitElement {
  static override styles = [
    shared,
    css`
      pre {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        margin: 0;
        background: var(--mc-bg);
        border-radius: var(--mc-radius);
        padding: 0.5rem;
        font-family: var(--mc-mono);
        font-size: 0.85rem;
        line-height: 1.35;
      }
      pre span {
        display: block;
      }
      pre.folded {
        max-height: 12rem;
        overflow: hidden;
        mask-image: linear-gradient(to bottom, #000 75%, transparent);
      }
      .added {
        color: var(--mc-ok);
        background: color-mix(in srgb, var(--mc-ok) 12%, transparent);
      }
      .removed {
        color: var(--mc-danger);
        background: color-mix(in srgb, var(--mc-danger) 12%, transparent);
      }
      .hunk,
      .file {
        color: var(--mc-muted);
      }
      .policy {
        color: var(--mc-warn);
      }
      button {
        margin-top: 0.3rem;
        font-size: 0.8rem;
      }
    `,
  ];
  static override properties = { context: {}, open: { state: true } };
  declare context: string;
  declare open: boolean;

  constructor() {
    super();
    this.context = '';
    this.open = false;
  }

  override render() {
    const lines = contextLines(this.context);
    const folds = foldsContext(this.context);
    const folded = folds && !this.open;
    return html`<pre id="context" class=${folded ? 'folded' : ''} data-testid="decision-context">${lines.map((l) => html`<span class=${l.kind}>${l.text || ' '}</span>`)}</pre>
      ${folds
        ? html`<button type="button" data-testid="decision-context-toggle" aria-controls="context" aria-expanded=${String(this.open)} @click=${() => (this.open = !this.open)}>
            ${this.open ? 'Show less' : `Show all ${lines.length} lines`}
          </button>`
        : nothing}`;
  }
}

customElements.define('mc-decision-context', McDecisionContext);
