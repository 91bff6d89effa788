import { css } from 'lit';

/** The overview's cards: one column on a phone, two, then three as the width allows. */
export const overviewStyles = css`
  .top {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0.25rem 0.75rem;
    margin-bottom: 0.75rem;
  }
  .top h2 {
    margin: 0 auto 0 0;
  }
  .top .error {
    flex-basis: 100%;
  }
  .cards {
    display: grid;
    gap: 0.75rem;
    grid-template-columns: minmax(0, 1fr);
    grid-template-areas: 'needs' 'fleet' 'spend' 'activity' 'recent';
    align-items: start;
  }
  @media (min-width: 900px) {
    .cards {
      grid-template-columns: repeat(2, minmax(0, 1fr));
      grid-template-areas: 'needs spend' 'fleet fleet' 'activity recent';
    }
  }
  @media (min-width: 1200px) {
    .cards {
      grid-template-columns: repeat(3, minmax(0, 1fr));
      grid-template-areas: 'needs spend activity' 'fleet fleet recent';
    }
  }
  section {
    background: var(--mc-surface);
    border: 1px solid var(--mc-border);
    border-radius: var(--mc-radius);
    padding: 0.75rem 0.9rem;
    min-width: 0;
    height: 100%;
  }
  .needs {
    grid-area: needs;
  }
  .fleet {
    grid-area: fleet;
  }
  .spend {
    grid-area: spend;
  }
  .activity {
    grid-area: activity;
  }
  .recent {
    grid-area: recent;
  }
  h3 {
    font-size: 0.95rem;
    margin: 0 0 0.6rem;
  }
  h4 {
    font-size: 0.85rem;
    color: var(--mc-muted);
    font-weight: 600;
    margin: 0.9rem 0 0.4rem;
  }
  .figure {
    font-size: 1.9rem;
    font-weight: 700;
    line-height: 1.1;
    font-variant-numeric: tabular-nums;
  }
  .figure small {
    font-size: 0.9rem;
    font-weight: 400;
    color: var(--mc-muted);
  }
  .figure.bad {
    color: var(--mc-danger);
  }
  .line {
    margin: 0.35rem 0 0;
  }
  .risks {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4rem;
    list-style: none;
    margin: 0.6rem 0 0;
    padding: 0;
  }
  .risks .badge {
    font-size: 0.85rem;
    font-variant-numeric: tabular-nums;
  }
  .risks .zero {
    color: var(--mc-muted);
    border-color: var(--mc-border);
  }
  .stats {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(4.8rem, 1fr));
    gap: 0.4rem;
    margin: 0;
  }
  .stats div {
    background: var(--mc-bg);
    border: 1px solid var(--mc-border);
    border-radius: var(--mc-radius);
    padding: 0.35rem 0.5rem;
  }
  .stats dt {
    color: var(--mc-muted);
    font-size: 0.8rem;
  }
  .stats dd {
    margin: 0;
    font-size: 1.3rem;
    font-weight: 700;
    font-variant-numeric: tabular-nums;
  }
  .stats .warn dd {
    color: var(--mc-warn);
  }
  .stats .bad dd {
    color: var(--mc-danger);
  }
  ul.items,
  ol.items {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.35rem;
  }
  .items li {
    display: grid;
    grid-template-columns: minmax(0, 1fr) auto;
    gap: 0 0.5rem;
    align-items: baseline;
    padding: 0.3rem 0;
    border-top: 1px solid var(--mc-border);
  }
  .items li:first-child {
    border-top: none;
  }
  .items li.failure {
    box-shadow: inset 4px 0 var(--mc-danger);
    padding-left: 0.6rem;
  }
  .items li.failure .what {
    font-weight: 700;
  }
  .items li.failure .why {
    color: var(--mc-danger);
  }
  .what {
    display: flex;
    flex-wrap: wrap;
    gap: 0.2rem 0.45rem;
    align-items: baseline;
    min-width: 0;
  }
  .why {
    grid-column: 1 / -1;
    color: var(--mc-muted);
    font-size: 0.85rem;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .when {
    color: var(--mc-muted);
    font-size: 0.8rem;
    white-space: nowrap;
  }
  .bar {
    height: 0.5rem;
    background: var(--mc-bg);
    border: 1px solid var(--mc-border);
    border-radius: 999px;
    overflow: hidden;
    margin: 0.5rem 0 0.75rem;
  }
  .fill {
    height: 100%;
    width: var(--spent, 0%);
    background: var(--mc-ok);
  }
  .fill.warn {
    background: var(--mc-warn);
  }
  .fill.bad {
    background: var(--mc-danger);
  }
  svg {
    display: block;
    width: 100%;
    height: auto;
    max-height: 9rem;
  }
  svg .day {
    fill: var(--mc-accent);
  }
  svg .day.today {
    fill: var(--mc-ok);
  }
  svg .day.over {
    fill: var(--mc-danger);
  }
  svg .limit {
    stroke: var(--mc-danger);
    stroke-dasharray: 4 3;
  }
  svg .axis {
    stroke: var(--mc-border);
  }
  svg text {
    fill: var(--mc-muted);
    font-size: 10px;
    font-family: var(--mc-font);
  }
  svg .limit-label {
    fill: var(--mc-danger);
  }
  .more {
    margin: 0.5rem 0 0;
    font-size: 0.85rem;
  }
`;
