import { usd } from './format.ts';

/** One day's bar in the spend chart, in the chart's own units (a viewBox of `chartSize`). */
export interface SpendBar {
  day: string;
  /** A short label: the weekday (`Mon`). */
  label: string;
  usd: number;
  x: number;
  y: number;
  width: number;
  height: number;
  /** The day reached the daily limit. */
  over: boolean;
}

export interface SpendChart {
  bars: SpendBar[];
  /** Where the daily limit's line sits; undefined when every day stayed under half of it (the bars would be flat against it). */
  limitY: number | undefined;
  /** What a screen reader hears for the chart. */
  summary: string;
}

/** The chart's viewBox: room above the bars for the limit's label, below them for the weekdays. */
export const chartSize = { width: 280, height: 108, top: 12, labels: 16 } as const;
const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/**
 * Bars for the last days' spend, scaled to the highest day; the limit joins the scale (and shows
 * as a line) once a day came within half of it.
 */
export function spendChart(days: ReadonlyArray<{ day: string; usd: number }>, limitUsd: number): SpendChart {
  const plot = chartSize.height - chartSize.top - chartSize.labels;
  const base = chartSize.top + plot;
  const highest = Math.max(0, ...days.map((d) => d.usd));
  const showLimit = limitUsd > 0 && highest >= limitUsd / 2;
  const scale = Math.max(highest, showLimit ? limitUsd : 0) || 1;
  const slot = chartSize.width / Math.max(1, days.length);
  const width = slot * 0.6;
  const bars = days.map((d, i) => {
    // A day with spend stays visible, however small beside the highest.
    const height = d.usd > 0 ? Math.max(2, (d.usd / scale) * plot) : 0;
    const label = weekdays[new Date(`${d.day}T00:00:00Z`).getUTCDay()] ?? d.day;
    return { day: d.day, label, usd: d.usd, x: i * slot + (slot - width) / 2, y: base - height, width, height, over: limitUsd > 0 && d.usd >= limitUsd };
  });
  const summary = `Spend per day, last ${days.length} days: ${days.map((d) => `${d.day} ${usd(d.usd)}`).join(', ')}; daily limit ${usd(limitUsd)}`;
  return { bars, limitY: showLimit ? base - (limitUsd / scale) * plot : undefined, summary };
}
