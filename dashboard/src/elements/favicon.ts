import { countLabel } from '../state/decision-alerts.ts';

// Drawn as SVG, not on a canvas: a data URL the CSP's `img-src 'self' data:` allows, crisp at
// any size the browser asks for, and no drawing context to keep.
const plain =
  '<rect width="32" height="32" rx="7" fill="#161b22"/>' +
  '<circle cx="16" cy="16" r="9" fill="none" stroke="#5aa9ff" stroke-width="3"/>' +
  '<circle cx="16" cy="16" r="3" fill="#5aa9ff"/>';

/** The tab's icon as a data URL: the plain mark, with a red count in its corner while decisions wait. */
export function faviconHref(count: number): string {
  const label = countLabel(count);
  const size = label.length === 1 ? 19 : label.length === 2 ? 15 : 11;
  const badge =
    count > 0
      ? `<circle cx="19" cy="13" r="13" fill="#ff4d6d"/><text x="19" y="13" dy="0.36em" font-family="Arial,sans-serif" font-weight="700" font-size="${size}" text-anchor="middle" fill="#fff">${label}</text>`
      : '';
  return `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">${plain}${badge}</svg>`)}`;
}
