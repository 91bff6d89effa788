import { LitElement, css, html } from 'lit';
import { shared } from './styles.ts';

/**
 * A modal question (the page's own `<dialog>`, not `window.confirm`): Escape or Cancel closes it,
 * the confirm button dispatches `confirm`. Call `open()` to show it. The confirm button is a danger
 * one unless `tone="primary"`, for a question whose yes destroys nothing (approving, say).
 */
export class McConfirmDialog extends LitElement {
  static override styles = [
    shared,
    css`
      dialog {
        background: var(--mc-surface);
        color: var(--mc-text);
        border: 1px solid var(--mc-border);
        border-radius: var(--mc-radius);
        padding: 1.25rem;
        max-width: min(30rem, 92vw);
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.6);
      }
      h2 {
        margin-top: 0;
      }
      .actions {
        display: flex;
        gap: 0.5rem;
        justify-content: flex-end;
        margin-top: 1rem;
      }
    `,
  ];
  static override properties = { heading: {}, confirmLabel: {}, testid: {}, tone: {} };
  declare heading: string;
  declare confirmLabel: string;
  declare testid: string;
  declare tone: 'danger' | 'primary';

  constructor() {
    super();
    this.heading = 'Are you sure?';
    this.confirmLabel = 'Confirm';
    this.testid = 'confirm-dialog';
    this.tone = 'danger';
  }

  open(): void {
    const dialog = this.renderRoot.querySelector('dialog');
    dialog?.showModal();
    dialog?.querySelector<HTMLButtonElement>('button[data-role=cancel]')?.focus();
  }

  override render() {
    return html`<dialog data-testid=${this.testid} aria-labelledby="heading">
      <h2 id="heading">${this.heading}</h2>
      <slot></slot>
      <div class="actions">
        <button data-role="cancel" data-testid="${this.testid}-cancel" @click=${this.#close}>Cancel</button>
        <button class=${this.tone} data-testid="${this.testid}-confirm" @click=${this.#confirm}>${this.confirmLabel}</button>
      </div>
    </dialog>`;
  }

  #close(): void {
    this.renderRoot.querySelector('dialog')?.close();
  }

  #confirm(): void {
    this.#close();
    this.dispatchEvent(new CustomEvent('confirm'));
  }
}

customElements.define('mc-confirm-dialog', McConfirmDialog);
