// Chart.js drawings of gated results (the server has already hidden small groups). Colour-blind-safe
// diverging palette (ColorBrewer PuOr); every chart has a data table next to it for screen readers.
import { formatDay } from './dates.js';

// Group names on an axis wrap onto short lines sized to the chart (a phone gets "Faculty of / Information /
// Technology"), never cut; the full name is in the tooltip and the table.
export const PALETTE = ['#e66101', '#fdb863', '#bababa', '#b2abd2', '#5e3c99'];
const SINGLE = '#3b6fb6';
/** Trend lines: distinct colours and, past them, dashes, so any number of questions stays apart. */
export const TREND_COLOURS = ['#5e3c99', '#e66101', '#1b7837', '#3b6fb6', '#b2182b', '#636363', '#8c510a', '#01665e'];
const charts = new WeakMap();

// Axis numbers in the page's language. Chromium's ICU claims Kazakh but formats it as English ("1,200");
// Kazakh writes numbers as Russian does (space between thousands, decimal comma), so Kazakh pages use that.
const PAGE_LANG = document.documentElement.lang || 'en';
const NUMBER_LOCALE = PAGE_LANG === 'kk' ? 'ru' : PAGE_LANG;

function draw(canvas, config) {
  config.options = { locale: NUMBER_LOCALE, ...(config.options || {}) };
  const existing = charts.get(canvas) || (typeof Chart.getChart === 'function' ? Chart.getChart(canvas) : null);
  if (existing) existing.destroy();
  const chart = new Chart(canvas, config);
  charts.set(canvas, chart);
  return chart;
}

/** Destroys the charts drawn inside `root` (before its markup is replaced). */
export function destroyCharts(root) {
  for (const canvas of root.querySelectorAll('canvas')) {
    const chart = charts.get(canvas) || Chart.getChart(canvas);
    if (chart) chart.destroy();
    charts.delete(canvas);
  }
}

const pct = (x) => Math.round(x * 1000) / 10;
const fontOf = (options) => ({ size: options.fontSize || 12 });

/** Splits a label into at most `maxLines` lines of about `width` characters; a cut last line ends in "…". */
export function wrapLabel(text, width, maxLines = 3) {
  const lines = [];
  let line = '';
  for (const word of String(text).split(/\s+/).filter(Boolean)) {
    if (line && (line + ' ' + word).length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = kept[maxLines - 1].replace(/\s*\S{0,3}$/, '') + '…';
  return kept;
}

/** Characters per axis-label line: about a third of the chart's width at the label font. */
function labelWidth(chartWidth, fontSize) {
  return Math.max(10, Math.floor((chartWidth * 0.32) / (fontSize * 0.56)));
}

/** Axis labels for groups: the name wrapped to the chart, then "n = …" on its own line. */
function groupTicks(names, ns, fontSize) {
  return function (value) {
    const i = typeof value === 'number' ? value : names.indexOf(value);
    return [...wrapLabel(names[i], labelWidth(this.chart.width, fontSize)), `n = ${ns[i]}`];
  };
}

/** Height for a horizontal bar chart of `rows` groups whose names wrap to `lines` lines (and "n = …" under them). */
function barHeight(rows, lines, fontSize, extra) {
  const label = (lines + 1) * fontSize * 1.2;
  return Math.max(110, rows * Math.max(48, label + 14) + label / 2 + extra);
}

/** Diverging stacked bars: disagreement to the left of zero, agreement to the right, neutral split. */
export function drawDiverging(canvas, item, results, labels, options = {}) {
  const rows = results.shown.filter((key) => item.figures[key] && item.figures[key].kind === 'scale');
  const names = rows.map((key) => unitName(results, key));
  const ns = rows.map((key) => item.figures[key].n);
  const share = (key, level) => item.figures[key].distribution[String(level)] || 0;
  const font = fontOf(options);
  // Chart.js stacks each side outward from zero in dataset order: half the neutral answers first on both
  // sides, then (dis)agree, then strongly (dis)agree at the ends. The legend lists the answers 1 to 5 (rank).
  const datasets = [
    { label: labels[2], data: rows.map((k) => -pct(share(k, 3)) / 2), backgroundColor: PALETTE[2], rank: 2, half: true },
    { label: labels[1], data: rows.map((k) => -pct(share(k, 2))), backgroundColor: PALETTE[1], rank: 1 },
    { label: labels[0], data: rows.map((k) => -pct(share(k, 1))), backgroundColor: PALETTE[0], rank: 0 },
    { label: labels[2], data: rows.map((k) => pct(share(k, 3)) / 2), backgroundColor: PALETTE[2], rank: 2, half: true, legendHidden: true },
    { label: labels[3], data: rows.map((k) => pct(share(k, 4))), backgroundColor: PALETTE[3], rank: 3 },
    { label: labels[4], data: rows.map((k) => pct(share(k, 5))), backgroundColor: PALETTE[4], rank: 4 },
  ];
  if (!options.fill) {
    const lines = Math.max(...names.map((n) => wrapLabel(n, labelWidth(canvas.parentElement.clientWidth, font.size)).length), 1);
    canvas.parentElement.style.height = `${barHeight(rows.length, lines, font.size, options.legend === false ? 40 : 90)}px`;
  }
  return draw(canvas, {
    type: 'bar',
    data: { labels: names, datasets },
    options: {
      indexAxis: 'y',
      animation: false,
      maintainAspectRatio: false,
      responsive: true,
      scales: {
        x: { stacked: true, min: -100, max: 100, ticks: { font, callback: (v) => `${Math.abs(v)}%` } },
        y: { stacked: true, ticks: { font, autoSkip: false, callback: groupTicks(names, ns, font.size) } },
      },
      plugins: {
        legend: { display: options.legend !== false, position: 'bottom', labels: { font, filter: (legendItem, data) => !data.datasets[legendItem.datasetIndex].legendHidden, sort: (a, b, data) => data.datasets[a.datasetIndex].rank - data.datasets[b.datasetIndex].rank } },
        tooltip: {
          titleFont: font,
          bodyFont: font,
          callbacks: {
            title: (ctx) => `${names[ctx[0].dataIndex]} (n = ${ns[ctx[0].dataIndex]})`,
            label: (ctx) => `${ctx.dataset.label}: ${Math.round(Math.abs(ctx.raw) * (ctx.dataset.half ? 2 : 1) * 10) / 10}%`,
          },
        },
      },
    },
  });
}

/** % agree of each shown group with its 95% Wilson interval as a floating bar, the point as a thin mark. */
export function drawAgree(canvas, item, results, strings, options = {}) {
  const rows = results.shown.filter((key) => item.figures[key] && item.figures[key].kind === 'scale' && item.figures[key].agree);
  const names = rows.map((key) => unitName(results, key));
  const ns = rows.map((key) => item.figures[key].n);
  const agree = (key) => item.figures[key].agree;
  const font = fontOf(options);
  if (!options.fill) {
    const lines = Math.max(...names.map((n) => wrapLabel(n, labelWidth(canvas.parentElement.clientWidth, font.size)).length), 1);
    canvas.parentElement.style.height = `${barHeight(rows.length, lines, font.size, 80)}px`;
  }
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
      scales: { x: { min: 0, max: 100, ticks: { font, callback: (v) => `${v}%` } }, y: { ticks: { font, autoSkip: false, callback: groupTicks(names, ns, font.size) } } },
      plugins: {
        legend: { position: 'bottom', labels: { font } },
        tooltip: {
          callbacks: {
            title: (ctx) => `${names[ctx[0].dataIndex]} (n = ${ns[ctx[0].dataIndex]})`,
            label: (ctx) => { const a = agree(rows[ctx.dataIndex]); return `${pct(a.p)}% [${pct(a.low)}–${pct(a.high)}]`; },
          },
        },
      },
    },
  });
}

export function drawChoice(canvas, item, results, options = {}) {
  const figures = item.figures[results.selected];
  if (!figures || figures.kind !== 'choice') return null;
  const labels = figures.options.map((o) => optionLabel(item, o.value, options.lang));
  const font = fontOf(options);
  if (!options.fill) {
    const lines = Math.max(...labels.map((l) => wrapLabel(l, labelWidth(canvas.parentElement.clientWidth, font.size)).length), 1);
    canvas.parentElement.style.height = `${Math.max(120, labels.length * Math.max(34, lines * font.size * 1.3 + 10) + 60)}px`;
  }
  return draw(canvas, {
    type: 'bar',
    data: { labels, datasets: [{ label: `% (n = ${figures.n})`, data: figures.options.map((o) => pct(o.share)), backgroundColor: SINGLE }] },
    options: {
      indexAxis: 'y',
      animation: false,
      maintainAspectRatio: false,
      scales: {
        x: { min: 0, max: 100, ticks: { font, callback: (v) => `${v}%` } },
        y: { ticks: { font, autoSkip: false, callback(value) { return wrapLabel(labels[value], labelWidth(this.chart.width, font.size)); } } },
      },
      plugins: {
        legend: { display: true, labels: { font } },
        tooltip: { callbacks: { title: (ctx) => labels[ctx[0].dataIndex], label: (ctx) => { const o = figures.options[ctx.dataIndex]; return `${pct(o.share)}% [${pct(o.low)}–${pct(o.high)}], ${o.count} / ${figures.n}`; } } },
      },
    },
  });
}

export function drawDaily(canvas, daily, target, strings, options = {}) {
  const days = Object.keys(daily).sort();
  let running = 0;
  const cumulative = days.map((d) => (running += daily[d]));
  const lang = document.documentElement.lang;
  const font = fontOf(options);
  const existing = charts.get(canvas);
  // A live count moves several times a second: update the chart in place rather than building a new one.
  if (existing && existing.config.type === 'line' && existing.data.datasets.length === 2) {
    existing.data.labels = days.map((d) => formatDay(d, lang));
    existing.data.datasets[0].data = cumulative;
    existing.data.datasets[1].data = days.map(() => target);
    existing.update('none');
    return existing;
  }
  return draw(canvas, {
    type: 'line',
    data: {
      labels: days.map((d) => formatDay(d, lang)),
      datasets: [
        { label: strings['results.chart.cumulative'], data: cumulative, borderColor: '#5e3c99', backgroundColor: '#5e3c99', stepped: true, pointRadius: 0 },
        { label: strings['results.chart.target'], data: days.map(() => target), borderColor: '#e66101', borderDash: [6, 4], pointRadius: 0 },
      ],
    },
    options: { animation: false, maintainAspectRatio: false, scales: { x: { ticks: { font, maxRotation: 0, autoSkipPadding: 16 } }, y: { beginAtZero: true, ticks: { font } } }, plugins: { legend: { position: 'bottom', labels: { font } } } },
  });
}

/**
 * % agree per academic year for the chosen questions. Each line is labelled with the question's number in
 * the list under the chart (whole sentences do not fit a legend); the tooltip has the text.
 */
export function drawTrend(canvas, items, chosen, strings) {
  const years = [...new Set(items.flatMap((i) => i.points.map((p) => p.academicYear)))].sort();
  const shown = chosen.map((index) => ({ index, item: items[index] }));
  return draw(canvas, {
    type: 'line',
    data: {
      labels: years,
      datasets: shown.map(({ index, item }) => ({
        label: String(index + 1),
        data: years.map((y) => { const p = item.points.find((x) => x.academicYear === y); return p && p.agree ? pct(p.agree.p) : null; }),
        borderColor: TREND_COLOURS[index % TREND_COLOURS.length],
        backgroundColor: TREND_COLOURS[index % TREND_COLOURS.length],
        borderDash: index >= TREND_COLOURS.length ? [8, 4] : [],
        borderWidth: 3,
        pointRadius: 5,
        spanGaps: true,
      })),
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: { y: { min: 0, max: 100, title: { display: true, text: strings['results.agree'] }, ticks: { callback: (v) => `${v}%` } } },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: {
          callbacks: {
            title: (ctx) => `${ctx[0].label}`,
            label: (ctx) => {
              const item = shown[ctx.datasetIndex].item;
              const p = item.points.find((x) => x.academicYear === ctx.label);
              const text = item.text.length > 70 ? `${item.text.slice(0, 67)}…` : item.text;
              return p && p.agree ? `${ctx.dataset.label}. ${text}: ${pct(p.agree.p)}% [${pct(p.agree.low)}–${pct(p.agree.high)}], n = ${p.n}` : '';
            },
          },
        },
      },
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

/** Does a scale item use the standard agreement labels (the page's one legend explains its colours)? */
export function usesAgreeLabels(item) {
  return !item.labels;
}

/**
 * Draws every chart inside `root` from the results JSON. options.fontSize sets every label's size (meeting
 * mode sizes it to the screen); options.fill lets the chart fill its box instead of sizing the box;
 * options.sharedLegend hides the legend of charts that use the standard agreement scale.
 */
export function drawItems(root, results, lang, strings, options = {}) {
  const byId = new Map(results.items.map((i) => [i.id, i]));
  const cards = root.matches('[data-item]') ? [root] : Array.from(root.querySelectorAll('[data-item]'));
  for (const card of cards) {
    const item = byId.get(card.dataset.item);
    if (!item) continue;
    const diverging = card.querySelector('canvas[data-chart="diverging"]');
    if (diverging) {
      const labels = item.labels ? item.labels.map((l) => l[lang] || l.en) : [1, 2, 3, 4, 5].map((n) => strings[`respond.agree.${n}`]);
      drawDiverging(diverging, item, results, labels, { ...options, legend: !(options.sharedLegend && usesAgreeLabels(item)) });
    }
    const agreeCanvas = card.querySelector('canvas[data-chart="agree"]');
    // Not drawn where the layout leaves it out (a phone): the figures beside it say the same.
    if (agreeCanvas && window.getComputedStyle(agreeCanvas.parentElement).display !== 'none') drawAgree(agreeCanvas, item, results, strings, options);
    const choice = card.querySelector('canvas[data-chart="choice"]');
    if (choice) drawChoice(choice, item, results, { ...options, lang });
  }
}
