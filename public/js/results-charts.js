// Chart.js drawings of gated results (the server has already hidden small groups). Colour-blind-safe
// diverging palette (ColorBrewer PuOr); every chart has a data table next to it for screen readers.
import { formatDay } from './dates.js';

const PALETTE = ['#e66101', '#fdb863', '#bababa', '#b2abd2', '#5e3c99'];
const SINGLE = '#3b6fb6';
const charts = new WeakMap();

function draw(canvas, config) {
  const existing = charts.get(canvas);
  if (existing) existing.destroy();
  const chart = new Chart(canvas, config);
  charts.set(canvas, chart);
  return chart;
}

const pct = (x) => Math.round(x * 1000) / 10;

/** Diverging stacked bars: disagreement to the left of zero, agreement to the right, neutral split. */
export function drawDiverging(canvas, item, results, labels, options = {}) {
  const rows = results.shown.filter((key) => item.figures[key] && item.figures[key].kind === 'scale');
  const names = rows.map((key) => unitName(results, key) + ` (n = ${item.figures[key].n})`);
  const share = (key, level) => item.figures[key].distribution[String(level)] || 0;
  const datasets = [
    { label: labels[0], data: rows.map((k) => -pct(share(k, 1))), backgroundColor: PALETTE[0] },
    { label: labels[1], data: rows.map((k) => -pct(share(k, 2))), backgroundColor: PALETTE[1] },
    { label: labels[2], data: rows.map((k) => -pct(share(k, 3)) / 2), backgroundColor: PALETTE[2] },
    { label: labels[2], data: rows.map((k) => pct(share(k, 3)) / 2), backgroundColor: PALETTE[2], legendHidden: true },
    { label: labels[3], data: rows.map((k) => pct(share(k, 4))), backgroundColor: PALETTE[3] },
    { label: labels[4], data: rows.map((k) => pct(share(k, 5))), backgroundColor: PALETTE[4] },
  ];
  canvas.parentElement.style.height = `${Math.max(120, 48 * rows.length + 70) * (options.scale || 1)}px`;
  return draw(canvas, {
    type: 'bar',
    data: { labels: names, datasets },
    options: {
      indexAxis: 'y',
      animation: false,
      maintainAspectRatio: false,
      responsive: true,
      scales: { x: { stacked: true, min: -100, max: 100, ticks: { callback: (v) => `${Math.abs(v)}%` } }, y: { stacked: true, ticks: { font: { size: 12 * (options.scale || 1) } } } },
      plugins: {
        legend: { position: 'bottom', labels: { filter: (legendItem, data) => !data.datasets[legendItem.datasetIndex].legendHidden, font: { size: 12 * (options.scale || 1) } } },
        tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${Math.abs(ctx.raw) * (ctx.datasetIndex === 2 || ctx.datasetIndex === 3 ? 2 : 1)}%` } },
      },
    },
  });
}

/** % agree of each shown group with its 95% Wilson interval as a floating bar, the point as a thin mark. */
export function drawAgree(canvas, item, results, strings, options = {}) {
  const rows = results.shown.filter((key) => item.figures[key] && item.figures[key].kind === 'scale' && item.figures[key].agree);
  const names = rows.map((key) => unitName(results, key) + ` (n = ${item.figures[key].n})`);
  const agree = (key) => item.figures[key].agree;
  canvas.parentElement.style.height = `${Math.max(110, 40 * rows.length + 60) * (options.scale || 1)}px`;
  return draw(canvas, {
    type: 'bar',
    data: {
      labels: names,
      datasets: [
        { label: strings['results.chart.agreeInterval'], data: rows.map((k) => [pct(agree(k).low), pct(agree(k).high)]), backgroundColor: '#cfc9e6', grouped: false, barPercentage: 0.6 },
        { label: strings['results.agree'], data: rows.map((k) => [pct(agree(k).p) - 0.4, pct(agree(k).p) + 0.4]), backgroundColor: '#3f2a73', grouped: false, barPercentage: 0.9 },
      ],
    },
    options: {
      indexAxis: 'y',
      animation: false,
      maintainAspectRatio: false,
      scales: { x: { min: 0, max: 100, ticks: { callback: (v) => `${v}%` } } },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: { callbacks: { label: (ctx) => { const a = agree(rows[ctx.dataIndex]); return `${pct(a.p)}% [${pct(a.low)}–${pct(a.high)}]`; } } },
      },
    },
  });
}

export function drawChoice(canvas, item, results, options = {}) {
  const figures = item.figures[results.selected];
  if (!figures || figures.kind !== 'choice') return null;
  const labels = figures.options.map((o) => optionLabel(item, o.value, options.lang));
  canvas.parentElement.style.height = `${Math.max(120, 34 * labels.length + 60) * (options.scale || 1)}px`;
  return draw(canvas, {
    type: 'bar',
    data: { labels, datasets: [{ label: `% (n = ${figures.n})`, data: figures.options.map((o) => pct(o.share)), backgroundColor: SINGLE }] },
    options: {
      indexAxis: 'y',
      animation: false,
      maintainAspectRatio: false,
      scales: { x: { min: 0, max: 100, ticks: { callback: (v) => `${v}%` } }, y: { ticks: { font: { size: 12 * (options.scale || 1) } } } },
      plugins: { legend: { display: true }, tooltip: { callbacks: { label: (ctx) => { const o = figures.options[ctx.dataIndex]; return `${pct(o.share)}% [${pct(o.low)}–${pct(o.high)}], ${o.count} / ${figures.n}`; } } } },
    },
  });
}

export function drawDaily(canvas, daily, target, strings) {
  const days = Object.keys(daily).sort();
  let running = 0;
  const cumulative = days.map((d) => (running += daily[d]));
  const lang = document.documentElement.lang;
  return draw(canvas, {
    type: 'line',
    data: {
      labels: days.map((d) => formatDay(d, lang)),
      datasets: [
        { label: strings['results.chart.cumulative'], data: cumulative, borderColor: '#5e3c99', backgroundColor: '#5e3c99', stepped: true, pointRadius: 0 },
        { label: strings['results.chart.target'], data: days.map(() => target), borderColor: '#e66101', borderDash: [6, 4], pointRadius: 0 },
      ],
    },
    options: { animation: false, maintainAspectRatio: false, scales: { y: { beginAtZero: true } }, plugins: { legend: { position: 'bottom' } } },
  });
}

export function drawTrend(canvas, items, strings) {
  const years = [...new Set(items.flatMap((i) => i.points.map((p) => p.academicYear)))].sort();
  const colours = ['#5e3c99', '#e66101', '#1b7837', '#3b6fb6', '#b2182b', '#636363'];
  return draw(canvas, {
    type: 'line',
    data: {
      labels: years,
      datasets: items.slice(0, 6).map((item, i) => ({
        label: item.text.length > 60 ? item.text.slice(0, 57) + '…' : item.text,
        data: years.map((y) => { const p = item.points.find((x) => x.academicYear === y); return p && p.agree ? pct(p.agree.p) : null; }),
        borderColor: colours[i],
        backgroundColor: colours[i],
        spanGaps: true,
      })),
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: { y: { min: 0, max: 100, title: { display: true, text: strings['results.agree'] } } },
      plugins: { legend: { position: 'bottom' }, tooltip: { callbacks: { label: (ctx) => { const p = items[ctx.datasetIndex].points.find((x) => x.academicYear === ctx.label); return p && p.agree ? `${pct(p.agree.p)}% [${pct(p.agree.low)}–${pct(p.agree.high)}], n = ${p.n}` : ''; } } } },
    },
  });
}

function unitName(results, key) {
  const unit = results.units.find((u) => u.key === key);
  const lang = document.documentElement.lang;
  return unit ? unit.name[lang] || unit.name.en : key;
}

function optionLabel(item, value, lang) {
  const option = (item.options || []).find((o) => o.value === value);
  return option ? option.label[lang] || option.label.en : value;
}

/** Draws every chart inside `root` from the results JSON. */
export function drawItems(root, results, lang, strings, scale) {
  const byId = new Map(results.items.map((i) => [i.id, i]));
  const cards = root.matches('[data-item]') ? [root] : Array.from(root.querySelectorAll('[data-item]'));
  for (const card of cards) {
    const item = byId.get(card.dataset.item);
    if (!item) continue;
    const diverging = card.querySelector('canvas[data-chart="diverging"]');
    if (diverging) {
      const labels = item.labels ? item.labels.map((l) => l[lang] || l.en) : [1, 2, 3, 4, 5].map((n) => strings[`respond.agree.${n}`]);
      drawDiverging(diverging, item, results, labels, { scale });
    }
    const agreeCanvas = card.querySelector('canvas[data-chart="agree"]');
    if (agreeCanvas) drawAgree(agreeCanvas, item, results, strings, { scale });
    const choice = card.querySelector('canvas[data-chart="choice"]');
    if (choice) drawChoice(choice, item, results, { lang, scale });
  }
}
