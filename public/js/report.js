// The council report page: draws its charts with the dashboard's own chart code (results-charts.js), lays
// its blocks out into A4 pages (so a block is never cut and the contents can give page numbers), then marks
// the page ready — the PDF printer waits for that mark; a person prints it with the button.
import { drawItems, drawTrend, TREND_COLOURS } from './results-charts.js';

const MM = 96 / 25.4;
/** A4 height minus the printed margins (15 mm top, 18 mm bottom: reports/pdf.ts and app.css @page). */
const PAGE_HEIGHT = (297 - 15 - 18) * MM;
/** Room kept free at the foot of each page, so that rounding never moves a block Chromium's way first. */
const SLACK = 4 * MM;

const root = document.querySelector('[data-report]');
if (!root) {
  // Other printable pages in this layout (an instrument's questionnaire) only wait for their fonts.
  void document.fonts.ready.then(() => (document.documentElement.dataset.ready = 'true'));
} else {
  const lang = document.documentElement.lang;
  const strings = JSON.parse(root.dataset.i18n || '{}');
  const print = root.querySelector('[data-print]');
  if (print) print.addEventListener('click', () => window.print());

  const ready = async () => {
    if (window.Chart) {
      const results = JSON.parse(root.dataset.results || 'null');
      // Every chart keeps its own legend: a printed page cannot point to one legend elsewhere.
      if (results) drawItems(root, results, lang, strings);
      const trend = root.querySelector('canvas[data-chart="trend"]');
      if (trend) {
        // Every question's line, numbered as in the list under the chart, in the dashboard's colours.
        const items = JSON.parse(root.dataset.trends || '[]');
        drawTrend(trend, items, items.map((_, i) => i), strings);
        for (const key of root.querySelectorAll('[data-trend-key]')) {
          const i = Number(key.dataset.trendKey);
          key.style.borderColor = TREND_COLOURS[i % TREND_COLOURS.length];
          if (i >= TREND_COLOURS.length) key.style.borderStyle = 'dashed';
        }
      }
      if (root.hasAttribute('data-pdf')) await chartsAsImages(root);
    }
    await document.fonts.ready;
    // The contents give the printed page numbers, also on a phone's narrower screen layout.
    printLayout(root, true);
    paginate(root);
    printLayout(root, false);
    document.documentElement.dataset.ready = 'true';
  };
  // Before the browser prints, the report is laid out at the print width again (a phone shows it at its own
  // width, app.css), its charts redrawn to that width and its page breaks placed anew.
  window.addEventListener('beforeprint', () => {
    printLayout(root, true);
    paginate(root);
  });
  window.addEventListener('afterprint', () => printLayout(root, false));
  // Chart.js is a classic deferred script: it has run by the time the page's load event fires.
  if (document.readyState === 'complete') void ready();
  else window.addEventListener('load', () => void ready());
}

/** Lays the report out at the width it prints at (on) or back at the screen's (off), charts resized to it. */
function printLayout(root, on) {
  if (root.classList.contains('is-print-layout') === on) return;
  root.classList.toggle('is-print-layout', on);
  for (const chart of Object.values(window.Chart?.instances ?? {})) chart.resize();
}

/**
 * For the PDF: each drawn chart becomes a JPEG image of the same pixels (on white) with the chart's label as
 * its alternative text. Chromium embeds a JPEG as it is, where it would compress a canvas's raw pixels
 * itself: the PDF is made several times faster, and a tagged PDF names each chart.
 */
async function chartsAsImages(root) {
  const images = [];
  for (const canvas of root.querySelectorAll('canvas')) {
    if (!canvas.width || !canvas.height) continue;
    const flat = document.createElement('canvas');
    flat.width = canvas.width;
    flat.height = canvas.height;
    const ctx = flat.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, flat.width, flat.height);
    ctx.drawImage(canvas, 0, 0);
    const img = document.createElement('img');
    img.src = flat.toDataURL('image/jpeg', 0.92);
    img.alt = canvas.getAttribute('aria-label') || '';
    img.style.width = `${canvas.clientWidth}px`;
    img.style.height = `${canvas.clientHeight}px`;
    img.style.display = 'block';
    canvas.replaceWith(img);
    images.push(img.decode().catch(() => undefined));
  }
  await Promise.all(images);
}

/**
 * A block taller than a page is cut by Chromium before the first row, line or picture that does not fit
 * (a table's head is repeated on the next page): the page count follows those cuts.
 */
function runOver(block, page, pageTop) {
  const parts = Array.from(block.querySelectorAll('tr, img, canvas, p, li, h3, h4, caption, .chart-box')).filter((el) => !el.closest('thead'));
  for (const el of parts) {
    const rect = el.getBoundingClientRect();
    const top = rect.top + window.scrollY;
    if (rect.bottom + window.scrollY - pageTop > PAGE_HEIGHT && top > pageTop + 1) {
      page += 1;
      const head = el.tagName === 'TR' ? el.closest('table')?.tHead : null;
      pageTop = top - (head ? head.getBoundingClientRect().height : 0);
    }
  }
  return { page, pageTop };
}

/**
 * Chapters start on a new page; inside one, a block that would not fit on what is left of the page starts
 * the next (a heading goes with the block after it). Blocks taller than a page run over. Positions are read
 * from the laid-out page (margins, lists and padding between blocks included), with a little slack so that
 * Chromium's own breaks never come before ours; the page each chapter starts on goes into the contents.
 */
function paginate(root) {
  const usable = PAGE_HEIGHT - SLACK;
  const y = (el) => el.getBoundingClientRect().top + window.scrollY;
  const bottomOf = (el) => el.getBoundingClientRect().bottom + window.scrollY + parseFloat(window.getComputedStyle(el).marginBottom || '0');
  let page = 0;
  const starts = {};
  for (const chapter of root.querySelectorAll('[data-chapter]')) {
    page += 1;
    starts[chapter.id] = page;
    const blocks = Array.from(chapter.querySelectorAll('[data-block]'));
    for (const block of blocks) block.classList.remove('page-break');
    let pageTop = page === 1 ? y(root) : y(chapter);
    blocks.forEach((block, i) => {
      const top = y(block);
      const bottom = bottomOf(block);
      // A heading (data-keep) needs room for a good part of what follows it, or it moves with it.
      const next = block.hasAttribute('data-keep') && blocks[i + 1] ? Math.min(bottomOf(blocks[i + 1]) - bottom, PAGE_HEIGHT / 3) : 0;
      if (top > pageTop + 1 && bottom + next - pageTop > usable) {
        block.classList.add('page-break');
        page += 1;
        pageTop = top;
      }
      if (bottom - pageTop > PAGE_HEIGHT) ({ page, pageTop } = runOver(block, page, pageTop));
    });
  }
  for (const cell of root.querySelectorAll('[data-toc-page]')) cell.textContent = starts[cell.dataset.tocPage] ? String(starts[cell.dataset.tocPage]) : '';
}
