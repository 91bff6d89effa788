import { html, type TemplateResult } from 'lit';
import { absoluteTime, whenText } from '../state/format.ts';

/**
 * A moment as a `<time>`: relative today ("3 min ago", "in 5 min"), the date elsewhere ("Nov 29
 * 14:03"), the exact local time to the second on hover. Pass the element's clock so it ages.
 */
export function when(iso: string | null | undefined, now: number): TemplateResult {
  if (!iso) return html`<span class="never">never</span>`;
  return html`<time datetime=${iso} title=${absoluteTime(iso)}>${whenText(iso, now)}</time>`;
}
