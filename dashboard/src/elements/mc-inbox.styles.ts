import { css } from 'lit';
import { shared } from './styles.ts';

export const inboxStyles = [
  shared,
  css`
    .heading {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      justify-content: space-between;
      gap: 0.5rem;
    }
    .heading label {
      font-size: 0.9rem;
    }
    .keys {
      font-size: 0.8rem;
      margin: 0 0 0.75rem;
    }
    kbd {
      font-family: var(--mc-mono);
      border: 1px solid var(--mc-border);
      border-bottom-width: 2px;
      border-radius: 3px;
      padding: 0 0.3rem;
      color: var(--mc-text);
    }
    mc-inbox-bulk {
      margin-bottom: 0.75rem;
    }
    .pending,
    .group {
      display: grid;
      gap: 0.75rem;
    }
    .pending {
      margin-bottom: 1.5rem;
    }
    .group h3 {
      margin: 0.25rem 0 0;
      font-size: 0.95rem;
    }
    .row {
      display: flex;
      gap: 0.5rem;
      align-items: flex-start;
    }
    .row input[type='checkbox'] {
      margin-top: 1rem;
      width: 1.1rem;
      height: 1.1rem;
    }
    .row mc-decision-card {
      flex: 1;
      min-width: 0;
    }
    ol {
      list-style: none;
      padding: 0;
      margin: 0;
      border: 1px solid var(--mc-border);
      border-radius: var(--mc-radius);
      background: var(--mc-surface);
    }
    li {
      padding: 0.5rem 0.75rem;
      border-bottom: 1px solid var(--mc-border);
      display: flex;
      flex-wrap: wrap;
      gap: 0.3rem 0.6rem;
      align-items: baseline;
    }
    li:last-child {
      border-bottom: none;
    }
    li.focused {
      box-shadow: inset 3px 0 0 var(--mc-accent);
    }
    .title {
      font-weight: 600;
      overflow-wrap: anywhere;
    }
    .small {
      font-size: 0.8rem;
    }
  `,
];
