import { css, unsafeCSS } from 'lit';

/** The feed's fixed row height in pixels: the windowed list's arithmetic depends on it. */
export const rowHeight = 30;

/** The live feed's layout: filters, the windowed list of fixed-height rows, the details beside it. */
export const feedStyles = css`
  :host {
    min-height: 0;
  }
  .layout {
    display: grid;
    grid-template-columns: 1fr;
    gap: 0.75rem;
    height: 100%;
    min-height: 20rem;
  }
  .layout.details {
    grid-template-columns: minmax(0, 3fr) minmax(16rem, 2fr);
  }
  section {
    display: flex;
    flex-direction: column;
    min-height: 0;
    min-width: 0;
  }
  .filters {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
    margin-bottom: 0.5rem;
  }
  .filters input {
    width: 11rem;
  }
  .count {
    margin-left: auto;
  }
  .search {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
    margin-bottom: 0.5rem;
  }
  .search input {
    width: 18rem;
  }
  .problem {
    color: var(--mc-danger);
  }
  .more {
    margin-top: 0.5rem;
    align-self: flex-start;
  }
  .list {
    flex: 1;
    min-height: 12rem;
    overflow-y: auto;
    border: 1px solid var(--mc-border);
    border-radius: var(--mc-radius);
    background: var(--mc-surface);
    /* Its size comes from the layout around it, never from its rows: a scroll re-lays only the rows. */
    contain: strict;
  }
  .row {
    /* A row's size is fixed (full width, rowHeight): laying out one never touches another. */
    contain: strict;
    display: grid;
    grid-template-columns: 4.5rem 4.8rem 12rem 9rem minmax(0, 1fr);
    gap: 0.5rem;
    align-items: center;
    width: 100%;
    height: ${unsafeCSS(rowHeight)}px;
    padding: 0 0.6rem;
    border: none;
    border-bottom: 1px solid var(--mc-border);
    border-radius: 0;
    background: transparent;
    text-align: left;
    white-space: nowrap;
    font-size: 13px;
  }
  .row:hover,
  .row.selected {
    background: var(--mc-surface-2);
  }
  .row:focus-visible {
    outline-offset: -2px;
  }
  .row > span,
  .row > a {
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .row {
    cursor: pointer;
  }
  .row > a.agent {
    text-decoration: none;
  }
  .row > a.agent:hover,
  .row > a.agent:focus-visible {
    text-decoration: underline;
  }
  .type {
    color: var(--mc-accent);
  }
  /* Failures and warnings stand out by a bar, a mark and weight, not by colour alone. */
  .row.failure {
    box-shadow: inset 4px 0 var(--mc-danger);
    font-weight: 600;
  }
  .row.failure .type {
    color: var(--mc-danger);
    font-weight: 700;
  }
  .row.warning {
    box-shadow: inset 3px 0 var(--mc-warn);
  }
  .row.warning .type {
    color: var(--mc-warn);
    font-weight: 600;
  }
  .row.success .type {
    color: var(--mc-ok);
  }
  .list .empty {
    margin: 1rem;
  }
  @media (max-width: 900px) {
    .layout.details {
      grid-template-columns: 1fr;
      grid-template-rows: minmax(12rem, 1fr) minmax(12rem, 1fr);
    }
    .row {
      grid-template-columns: 4rem 10rem minmax(0, 1fr);
    }
    .row .time,
    .row .agent {
      display: none;
    }
  }
`;
