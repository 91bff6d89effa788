import { css } from 'lit';

/** An agent's page: its facts, why it is in its state, the actions, and the cards of its activity. */
export const agentPageStyles = css`
  .back {
    display: inline-block;
    margin-bottom: 0.6rem;
  }
  .title {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.6rem;
    margin-bottom: 0.5rem;
  }
  .title h2 {
    margin: 0;
    font-size: 1.3rem;
    overflow-wrap: anywhere;
  }
  .facts {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4rem 1.6rem;
    margin: 0 0 0.9rem;
  }
  .facts div {
    min-width: 0;
  }
  dt {
    color: var(--mc-muted);
    font-size: 0.75rem;
    text-transform: uppercase;
    letter-spacing: 0.04em;
  }
  dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .reason {
    border: 1px solid var(--mc-border);
    border-left-width: 4px;
    border-radius: var(--mc-radius);
    background: var(--mc-surface);
    padding: 0.55rem 0.8rem;
    margin-bottom: 0.9rem;
    color: var(--mc-text);
  }
  .reason p {
    margin: 0.1rem 0;
  }
  .reason.bad {
    border-color: var(--mc-danger);
  }
  .reason.warn {
    border-color: var(--mc-warn);
  }
  pre.stderr,
  pre.diff {
    margin: 0.3rem 0 0;
    padding: 0.5rem 0.7rem;
    background: #07090d;
    border-radius: var(--mc-radius);
    font: 12px/1.45 var(--mc-mono);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    max-height: 16rem;
    overflow: auto;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4rem;
    margin-bottom: 0.9rem;
  }
  .actions[hidden] {
    display: none;
  }
  mc-inject-form {
    margin: -0.5rem 0 0.9rem;
    max-width: 40rem;
  }
  .body {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: 1rem;
  }
  /* Wide: the terminal fills the height left, its activity in a column beside it. */
  @media (min-width: 1200px) {
    .body {
      grid-template-columns: minmax(0, 1fr) 26rem;
      align-items: start;
    }
    mc-agent-output {
      --mc-terminal-height: clamp(20rem, calc(100vh - 22rem), 60rem);
    }
  }
  .sections {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 26rem), 1fr));
    gap: 0.9rem;
  }
  .card {
    border: 1px solid var(--mc-border);
    border-radius: var(--mc-radius);
    background: var(--mc-surface);
    padding: 0.7rem 0.9rem;
    min-width: 0;
  }
  .card.wide {
    grid-column: 1 / -1;
  }
  h3 {
    font-size: 1rem;
    margin: 0 0 0.5rem;
  }
  .small {
    font-size: 0.85rem;
  }
  .rows {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .rows li {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    gap: 0.2rem 0.8rem;
    padding: 0.4rem 0;
    border-top: 1px solid var(--mc-border);
    font-size: 0.9rem;
  }
  .rows li:first-child {
    border-top: none;
  }
  .rows li > span:first-child,
  .rows li > a:first-child {
    min-width: 0;
    overflow-wrap: anywhere;
  }
  .meta {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.4rem;
    font-size: 0.8rem;
  }
  .call {
    font-size: 0.8rem;
  }
  .scroll {
    overflow-x: auto;
  }
  table {
    width: 100%;
    border-collapse: collapse;
    font-size: 0.85rem;
  }
  th,
  td {
    text-align: left;
    padding: 0.3rem 0.3rem;
    border-top: 1px solid var(--mc-border);
    white-space: nowrap;
  }
  td.model {
    white-space: normal;
    overflow-wrap: anywhere;
  }
  th {
    color: var(--mc-muted);
    font-weight: 600;
    border-top: none;
  }
  .num {
    text-align: right;
  }
  .plus {
    color: var(--mc-ok);
  }
  .minus {
    color: var(--mc-danger);
  }
  .merge {
    border-left: 3px solid;
    padding-left: 0.5rem;
    color: var(--mc-text);
  }
  details summary {
    cursor: pointer;
    color: var(--mc-accent);
    margin-top: 0.5rem;
  }
`;
