/** The value at quantile `q` (0..1) of an ascending array, nearest rank; NaN when empty. */
export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export interface Row {
  scenario: string;
  result: string;
  target: string;
  /** true, false, or undefined for a reference row with no target. */
  met: boolean | undefined;
}

/** A Markdown table whose columns line up in plain text too. */
export function table(rows: readonly Row[]): string {
  const header = ['scenario', 'result', 'target', 'met'];
  const cells = rows.map((r) => [r.scenario, r.result, r.target, r.met === undefined ? 'n/a' : r.met ? 'yes' : 'no']);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}

export const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
export const ms = (n: number) => (Number.isFinite(n) ? `${n < 10 ? n.toFixed(1) : Math.round(n)} ms` : 'n/a');
