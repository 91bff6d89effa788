import { css } from 'lit';

/** The agents table: spend bars, actions, the spawn form above it. */
export const agentsStyles = css`
  .top {
    display: flex;
    align-items: center;
    gap: 0.75rem;
    margin-bottom: 0.75rem;
  }
  .top h2 {
    margin: 0 auto 0 0;
  }
  mc-spawn-form {
    margin-bottom: 0.75rem;
  }
  .table {
    overflow-x: auto;
    border: 1px solid var(--mc-border);
    border-radius: var(--mc-radius);
    background: var(--mc-surface);
  }
  table {
    width: 100%;
    border-collapse: collapse;
    min-width: 46rem;
  }
  th,
  td {
    text-align: left;
    padding: 0.5rem 0.6rem;
    border-bottom: 1px solid var(--mc-border);
    vertical-align: top;
  }
  /* The table scrolls sideways on a phone; the names stay in view, so a row's spend and actions read against its agent. */
  th:first-child,
  td:first-child {
    position: sticky;
    left: 0;
    z-index: 1;
    background: var(--mc-surface);
    max-width: 10rem;
  }
  /* A failed, lost or budget-stopped agent stands out by a bar and weight, a stale or paused one less. */
  tr.failure > td:first-child {
    box-shadow: inset 4px 0 var(--mc-danger);
  }
  tr.failure > td:first-child a {
    font-weight: 700;
  }
  tr.warning > td:first-child {
    box-shadow: inset 3px 0 var(--mc-warn);
  }
  th {
    font-weight: 600;
    color: var(--mc-muted);
    font-size: 0.85rem;
  }
  .bar {
    height: 0.45rem;
    width: 8rem;
    background: var(--mc-bg);
    border: 1px solid var(--mc-border);
    border-radius: 999px;
    overflow: hidden;
    margin-bottom: 0.2rem;
  }
  .fill {
    height: 100%;
    background: var(--mc-ok);
  }
  .fill.warn {
    background: var(--mc-warn);
  }
  .fill.bad {
    background: var(--mc-danger);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.3rem;
  }
  .small {
    font-size: 0.8rem;
  }
`;
