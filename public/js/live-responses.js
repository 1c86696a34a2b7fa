// What a results page shows about responses — the count, the rate against the target (as a figure, in a
// sentence and as a bar), the timeline chart and its table — drawn together from one state object, so no
// two of them can disagree. The page renders the same state on the server; this redraws it as it moves.
import { formatDay } from './dates.js';
import { drawDaily } from './results-charts.js';

/**
 * A share as the server's formatPercent writes it: one decimal, the language's own percent form, copied from
 * the server's "12.3 %" sample (strings['format.percent']) rather than the browser's Intl, which may not know
 * the language (Chromium without Kazakh data writes "36.1%" where the server writes "36,1%").
 */
export function formatPercent(share, strings) {
  const value = (Math.round(share * 1000) / 10).toFixed(1);
  const sample = strings['format.percent'] || '12.3%';
  const decimal = /12(\D)3/.exec(sample);
  return sample.replace(/12\D3/, decimal ? value.replace('.', decimal[1]) : value);
}

const fill = (template, values) => template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? values[key] : whole));

/** The state the page was rendered with (its [data-responses] element). */
export function renderedResponses(root) {
  const el = root.querySelector('[data-responses]');
  return { n: Number(el.dataset.n), target: Number(el.dataset.target), daily: JSON.parse(el.dataset.daily || '{}'), version: -1 };
}

export function renderResponses(root, state, lang, strings, chartOptions = {}) {
  const rate = state.target ? state.n / state.target : 0;
  const values = { n: String(state.n), target: String(state.target), rate: formatPercent(rate, strings) };
  for (const el of root.querySelectorAll('[data-live-count]')) el.textContent = values.n;
  for (const el of root.querySelectorAll('[data-live-rate-text]')) el.textContent = values.rate;
  for (const el of root.querySelectorAll('[data-live-text]')) if (strings[el.dataset.liveText]) el.textContent = fill(strings[el.dataset.liveText], values);
  for (const el of root.querySelectorAll('progress[data-live-rate]')) {
    el.value = Math.min(1, rate);
    el.textContent = values.rate;
  }
  const days = Object.keys(state.daily).sort();
  for (const body of root.querySelectorAll('[data-live-daily]')) {
    let total = 0;
    body.replaceChildren(
      ...days.map((day) => {
        total += state.daily[day];
        const row = document.createElement('tr');
        const head = document.createElement('th');
        head.scope = 'row';
        head.textContent = formatDay(day, lang);
        const n = document.createElement('td');
        n.className = 'num';
        n.textContent = String(state.daily[day]);
        const sum = document.createElement('td');
        sum.className = 'num';
        sum.textContent = String(total);
        row.append(head, n, sum);
        return row;
      }),
    );
  }
  for (const canvas of root.querySelectorAll('canvas[data-chart="daily"]')) if (canvas.offsetParent !== null) drawDaily(canvas, state.daily, state.target, strings, chartOptions);
  // For tests and the curious: the state on screen, in one place.
  root.dataset.liveN = values.n;
  root.dataset.liveVersion = String(state.version);
}
