// Redraws a results page from a fresh copy of itself: every [data-part] is replaced by the same part of
// the page as the server renders it now, and the results its charts read come with it. One request, one
// state: the tables and charts of the new parts can never come from two different moments.
import { destroyCharts } from './results-charts.js';

export async function refreshParts(url, root) {
  const response = await fetch(url, { headers: { accept: 'text/html' }, credentials: 'same-origin' });
  if (!response.ok) throw new Error(`refresh failed: ${response.status}`);
  const fresh = new DOMParser().parseFromString(await response.text(), 'text/html');
  for (const part of root.querySelectorAll('[data-part]')) {
    const next = fresh.querySelector(`[data-part="${CSS.escape(part.dataset.part)}"]`);
    if (!next) continue;
    destroyCharts(part);
    // What the reader opened stays open (question groups, data tables).
    const open = Array.from(part.querySelectorAll('details'), (d) => d.open);
    part.innerHTML = next.innerHTML;
    const details = part.querySelectorAll('details');
    if (details.length === open.length) details.forEach((d, i) => (d.open = open[i]));
  }
  const results = fresh.querySelector('[data-results]');
  const here = root.querySelector('[data-results]');
  if (results && here) here.dataset.results = results.dataset.results;
}

/** The results the page's charts read (parsed once per state). */
export function pageResults(root) {
  const el = root.querySelector('[data-results]');
  if (!el) return null;
  if (el._parsed && el._parsedFrom === el.dataset.results) return el._parsed;
  el._parsedFrom = el.dataset.results;
  el._parsed = JSON.parse(el.dataset.results);
  return el._parsed;
}
