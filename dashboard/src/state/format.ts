const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const two = (n: number) => String(n).padStart(2, '0');

/**
 * When a moment was, or will be, for a person scanning a list: relative on the viewer's today
 * ("12 s ago", "3 min ago", "2 h ago", "in 5 min"), else the date and time ("Nov 29 14:03", with
 * the year when it is not this year); "never" without a time.
 */
export function whenText(iso: string | null | undefined, now: number): string {
  if (!iso) return 'never';
  const at = new Date(iso);
  const today = new Date(now);
  if (at.toDateString() !== today.toDateString()) {
    const year = at.getFullYear() === today.getFullYear() ? '' : ` ${at.getFullYear()}`;
    return `${months[at.getMonth()]} ${at.getDate()}${year} ${two(at.getHours())}:${two(at.getMinutes())}`;
  }
  const seconds = Math.floor((at.getTime() - now) / 1000);
  if (seconds >= 1) return `in ${span(seconds)}`;
  return `${span(Math.max(0, -seconds))} ago`;
}

function span(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  return `${Math.floor(seconds / 3600)} h`;
}

/** The full local date and time, to the second, for a hover: "Tue Dec 1 2026 14:03:27". */
export function absoluteTime(iso: string): string {
  const d = new Date(iso);
  return `${weekdays[d.getDay()]} ${months[d.getMonth()]} ${d.getDate()} ${d.getFullYear()} ${clockTime(iso)}`;
}

/** "42 s left", "4 min 05 s left", "2 h 10 min left"; "expired" once the deadline has passed. */
export function timeLeft(iso: string, now: number): string {
  const seconds = Math.floor((Date.parse(iso) - now) / 1000);
  if (seconds <= 0) return 'expired';
  if (seconds < 60) return `${seconds} s left`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s left`;
  return `${Math.floor(seconds / 3600)} h ${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')} min left`;
}

/** US dollars with cents ("$1.37"), or four decimals under a cent so small runs still show. */
export function usd(amount: number): string {
  return amount > 0 && amount < 0.01 ? `$${amount.toFixed(4)}` : `$${amount.toFixed(2)}`;
}

/** The share of the budget spent, from 0 to 1 (over budget shows full). */
export function spendRatio(spentUsd: number, budgetUsd: number): number {
  if (budgetUsd <= 0) return spentUsd > 0 ? 1 : 0;
  return Math.min(1, Math.max(0, spentUsd / budgetUsd));
}

/** "14:03:27" in the viewer's time zone. */
export function clockTime(iso: string): string {
  const d = new Date(iso);
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}
