import { css, html } from 'lit';

/** The admin view's tables (scrolling sideways at phone width), forms, tabs and the minted secret. */
export const adminStyles = css`
  .scroll{overflow-x:auto}
  table{border-collapse:collapse;width:100%;font-size:.9rem}
  th,td{text-align:left;vertical-align:top;padding:.35rem .5rem;border-bottom:1px solid var(--mc-border)}
  th{color:var(--mc-muted);white-space:nowrap}
  .row{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin:0 0 .75rem}
  .row label{display:grid;gap:.15rem;font-size:.85rem}
  .secret{border:1px solid var(--mc-warn);border-radius:var(--mc-radius);padding:.5rem .75rem}
  code{word-break:break-all}
  h3{font-size:1rem;margin:1rem 0 .4rem}
  .tabs a{padding:.3rem .7rem;border:1px solid var(--mc-border);border-radius:var(--mc-radius);text-decoration:none;color:var(--mc-text)}
  .tabs a[aria-current=page]{border-color:var(--mc-accent);background:var(--mc-surface-2)}
`;

/** A table of `rows` (each a `<tr>` of `cells`) under `heads`, scrolling sideways when narrow. */
export const table = (heads: readonly string[], rows: unknown, testid = '') =>
  html`<div class="scroll"><table data-testid=${testid}><thead><tr>${heads.map((h) => html`<th>${h}</th>`)}</tr></thead><tbody>${rows}</tbody></table></div>`;

/** A row's cells. */
export const cells = (items: readonly unknown[]) => items.map((c) => html`<td>${c}</td>`);

/** A word in a coloured pill (`ok`, `warn`, `bad`, or a tone). */
export const badge = (text: string, toneClass: string) => html`<span class="badge ${toneClass}">${text}</span>`;
