import { css, html, nothing, type TemplateResult } from 'lit';
import { type Severity, stateSeverity } from '../state/severity.ts';

/** What every element shares: buttons, fields, focus rings, badges, empty and error states. */
export const shared = css`
  :host {
    display: block;
    color: var(--mc-text);
    font-family: var(--mc-font);
  }
  * {
    box-sizing: border-box;
  }
  button,
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
  }
  button {
    background: var(--mc-surface-2);
    border: 1px solid var(--mc-border);
    border-radius: var(--mc-radius);
    padding: 0.3rem 0.7rem;
    cursor: pointer;
  }
  button:hover:not(:disabled) {
    border-color: var(--mc-accent);
  }
  button:disabled {
    opacity: 0.5;
    cursor: default;
  }
  button.primary {
    background: var(--mc-accent);
    color: var(--mc-accent-text);
    border-color: var(--mc-accent);
    font-weight: 600;
  }
  button.danger {
    border-color: var(--mc-danger);
    color: var(--mc-danger);
  }
  input,
  select,
  textarea {
    background: var(--mc-bg);
    border: 1px solid var(--mc-border);
    border-radius: var(--mc-radius);
    padding: 0.3rem 0.5rem;
    min-width: 0;
  }
  :focus-visible {
    outline: 2px solid var(--mc-focus);
    outline-offset: 2px;
  }
  a {
    color: var(--mc-accent);
  }
  .muted {
    color: var(--mc-muted);
  }
  .mono {
    font-family: var(--mc-mono);
  }
  .badge {
    display: inline-block;
    padding: 0.05rem 0.45rem;
    border-radius: 999px;
    border: 1px solid var(--mc-border);
    font-size: 0.8em;
    white-space: nowrap;
  }
  .ok {
    color: var(--mc-ok);
    border-color: var(--mc-ok);
  }
  .warn {
    color: var(--mc-warn);
    border-color: var(--mc-warn);
  }
  .bad {
    color: var(--mc-danger);
    border-color: var(--mc-danger);
  }
  .badge.bad,
  .mark.bad {
    font-weight: 700;
  }
  .badge.warn,
  .mark.warn {
    font-weight: 600;
  }
  .mark {
    display: inline-block;
    min-width: 1.1em;
  }
  .empty {
    padding: 2rem 1rem;
    text-align: center;
    color: var(--mc-muted);
    border: 1px dashed var(--mc-border);
    border-radius: var(--mc-radius);
  }
  .error {
    color: var(--mc-danger);
    margin: 0.3rem 0;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  h2 {
    font-size: 1.1rem;
    margin: 0 0 0.75rem;
  }
`;

/** A form as a panel of fields in columns (the spawn and new-task forms): `.wide` spans every column, `.actions` holds its buttons. */
export const formPanel = css`
  form {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 12rem), 1fr));
    gap: 0.6rem;
    align-items: end;
    background: var(--mc-surface);
    border: 1px solid var(--mc-border);
    border-radius: var(--mc-radius);
    padding: 0.75rem;
  }
  label {
    display: grid;
    gap: 0.25rem;
  }
  .wide {
    grid-column: 1 / -1;
  }
  .actions {
    display: flex;
    gap: 0.5rem;
  }
`;

const toneOf: Readonly<Record<Severity, string>> = { failure: 'bad', warning: 'warn', success: 'ok', info: '' };
const markOf: Readonly<Record<Severity, string>> = { failure: '✕', warning: '▲', success: '✓', info: '' };

/** The colour class of a severity, or of a state word (an agent status, a risk, a verdict: see `stateSeverity`). */
export function tone(value: Severity | string): string {
  return toneOf[value as Severity] ?? toneOf[stateSeverity(value)];
}

/**
 * A severity's shape beside its colour (✕ failure, ▲ warning, ✓ success), so it does not rest on
 * colour alone; hidden from screen readers, since the words beside it say the same.
 */
export function mark(severity: Severity): TemplateResult | typeof nothing {
  return severity === 'info' ? nothing : html`<span class="mark ${toneOf[severity]}" aria-hidden="true">${markOf[severity]}</span>`;
}
