import { css } from 'lit';

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

/** The colour class of an agent status or a decision risk. */
export function tone(value: string): string {
  if (['running', 'connected', 'low', 'done', 'resolved', 'heal.completed'].includes(value)) return 'ok';
  if (['paused', 'stale', 'lost', 'awaiting_decision', 'spawning', 'medium', 'reconnecting', 'review', 'blocked', 'expired'].includes(value)) return 'warn';
  if (['failed', 'high', 'red', 'offline', 'heal.escalated'].includes(value)) return 'bad';
  return '';
}
