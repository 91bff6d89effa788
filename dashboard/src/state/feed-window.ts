/** What a windowed list renders: rows `start` to `end` (exclusive), with spacers standing in for the rest. */
export interface RowWindow {
  start: number;
  end: number;
  /** Height of the space above the rendered rows, in pixels. */
  before: number;
  /** Height of the space below them. */
  after: number;
}

export interface WindowInput {
  scrollTop: number;
  viewportHeight: number;
  rowHeight: number;
  count: number;
  /** Rows rendered beyond each edge of the viewport, so a fast scroll shows no blank. */
  margin: number;
}

/** The rows a list of fixed-height rows must render to fill its viewport: a few dozen of any number. */
export function visibleRows(input: WindowInput): RowWindow {
  const { scrollTop, viewportHeight, rowHeight, count, margin } = input;
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const shown = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.max(0, Math.min(count, first - margin));
  const end = Math.max(start, Math.min(count, first + shown + margin));
  return { start, end, before: start * rowHeight, after: (count - end) * rowHeight };
}

/** True when the list is scrolled to (within a row of) its end: new rows keep it there. */
export function atEnd(scrollTop: number, viewportHeight: number, scrollHeight: number, rowHeight: number): boolean {
  return scrollHeight - (scrollTop + viewportHeight) <= rowHeight;
}
