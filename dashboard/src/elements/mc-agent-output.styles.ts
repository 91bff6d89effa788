import { css } from 'lit';

/** The terminal: a dark, monospaced, scrolling log with the 16 ANSI colours, tuned to read on it. */
export const agentOutputStyles = css`
  .bar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
    margin-bottom: 0.4rem;
  }
  h3 {
    font-size: 1rem;
    margin: 0 auto 0 0;
  }
  .small {
    font-size: 0.8rem;
  }
  .terminal {
    position: relative;
    /* As tall as its lines, up to the height given: a quiet agent's terminal stays small. */
    min-height: 6rem;
    max-height: var(--mc-terminal-height, clamp(16rem, 55vh, 38rem));
    overflow: auto;
    overscroll-behavior: contain;
    background: #07090d;
    color: #d0d5dd;
    border: 1px solid var(--mc-border);
    border-radius: var(--mc-radius);
    padding: 0.4rem 0;
    font: 12.5px/1.45 var(--mc-mono);
  }
  .terminal:focus-visible {
    outline-offset: -2px;
  }
  .line {
    min-height: 1.45em;
    padding: 0 0.75rem 0 0.6rem;
    border-left: 2px solid transparent;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    tab-size: 4;
  }
  .line.stderr {
    border-left-color: var(--mc-danger);
    background: rgb(255 107 107 / 0.05);
  }
  .marker {
    padding: 0.2rem 0.75rem;
    color: var(--mc-muted);
    font-style: italic;
  }
  .note {
    color: var(--mc-muted);
  }
  .b {
    font-weight: 700;
  }
  .c30 { color: #6b7280; }
  .c31 { color: #ff6b6b; }
  .c32 { color: #46c88a; }
  .c33 { color: #f2b84b; }
  .c34 { color: #5aa9ff; }
  .c35 { color: #d88cf5; }
  .c36 { color: #4fd1d9; }
  .c37 { color: #d0d5dd; }
  .c90 { color: #8b93a1; }
  .c91 { color: #ff9494; }
  .c92 { color: #7ee2a8; }
  .c93 { color: #ffd77a; }
  .c94 { color: #8cc4ff; }
  .c95 { color: #eab0ff; }
  .c96 { color: #84e9ef; }
  .c97 { color: #ffffff; }
`;
