// The council report page: draws its charts with the dashboard's own chart code (results-charts.js), lays
// its blocks out into A4 pages (so a block is never cut and the contents can give page numbers), then marks
// the page ready — the PDF printer waits for that mark; a person prints it with the button.
import { drawItems, drawTrend } from './results-charts.js';

const MM = 96 / 25.4;
/** A4 height minus the printed margins (15 mm top, 18 mm bottom: reports/pdf.ts and app.css @page). */
const PAGE_HEIGHT = (297 - 15 - 18) * MM;

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
      if (results) drawItems(root, results, lang, strings, 1);
      const trend = root.querySelector('canvas[data-chart="trend"]');
      if (trend) drawTrend(trend, JSON.parse(root.dataset.trends || '[]'), strings);
      if (root.hasAttribute('data-pdf')) await chartsAsImages(root);
    }
    await document.fonts.ready;
    paginate(root);
    document.documentElement.dataset.ready = 'true';
  };
  // Chart.js is a classic deferred script: it has run by the time the page's load event fires.
  if (document.readyState === 'complete') void ready();
  else window.addEventListener('load', () => void ready());
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

/** The block's height on the page, its bottom margin included (blocks have no top margin: app.css). */
function outerHeight(el) {
  return el.getBoundingClientRect().height + parseFloat(window.getComputedStyle(el).marginBottom || '0');
}

/**
 * Chapters start on a new page; inside one, a block that would not fit in what is left of the page starts
 * the next (a heading goes with the block after it). Blocks taller than a page run over. The page each
 * chapter starts on is written into the contents.
 */
function paginate(root) {
  let page = 0;
  let used = 0;
  const starts = {};
  for (const chapter of root.querySelectorAll('[data-chapter]')) {
    page += 1;
    used = 0;
    starts[chapter.id] = page;
    const blocks = Array.from(chapter.querySelectorAll('[data-block]'));
    blocks.forEach((block, i) => {
      block.classList.remove('page-break');
      const height = outerHeight(block);
      const needed = block.hasAttribute('data-keep') && blocks[i + 1] ? height + Math.min(outerHeight(blocks[i + 1]), PAGE_HEIGHT / 3) : height;
      if (used > 0 && used + needed > PAGE_HEIGHT) {
        block.classList.add('page-break');
        page += 1;
        used = 0;
      }
      used += height;
      while (used > PAGE_HEIGHT) {
        page += 1;
        used -= PAGE_HEIGHT;
      }
    });
  }
  for (const cell of root.querySelectorAll('[data-toc-page]')) cell.textContent = starts[cell.dataset.tocPage] ? String(starts[cell.dataset.tocPage]) : '';
}
