// The campaign dashboard: sections shown one at a time (the links of the sticky bar; without JavaScript
// they are one page with anchors), charts from the results the page carries, live updates over Socket.IO
// (responses redrawn from each push; new figures by fetching the page again), and the group filter
// applied on change.
import { renderResponses } from './live-responses.js';
import { followLive } from './live-page.js';
import { pageResults } from './refresh-parts.js';
import { drawItems, drawTrend, TREND_COLOURS } from './results-charts.js';

const root = document.querySelector('[data-dashboard]');
if (root) {
  const { campaign, unit, lang } = root.dataset;
  const strings = JSON.parse(root.dataset.i18n || '{}');
  const bar = root.querySelector('[data-dashboard-bar]');
  const sections = Array.from(root.querySelectorAll('[data-section]'));
  const tabs = Array.from(root.querySelectorAll('[data-tabs] a'));
  /** Sections whose charts must be drawn (again) when they are next shown. */
  const stale = new Set(sections.map((s) => s.id));
  let current = null;
  const live = followLive(root, {
    campaign,
    unit,
    lang,
    strings,
    url: `/results/${campaign}?unit=${encodeURIComponent(unit)}&lang=${lang}`,
    // New figures: every section's charts are stale; the one on screen is drawn again now.
    redraw() {
      for (const s of sections) stale.add(s.id);
      drawSection(current);
    },
  });

  const drawSection = (id) => {
    stale.delete(id);
    const section = root.querySelector(`#${id}`);
    if (id === 'summary') renderResponses(root, live.responses, lang, strings);
    if (id === 'items') {
      // Only the question groups that are open; a group is drawn when it opens.
      for (const group of section.querySelectorAll('[data-result-page]')) if (group.open) drawGroup(group);
      const legend = section.querySelector('[data-legend]');
      if (legend) legend.hidden = !section.querySelector('[data-kind="scale"] canvas');
    }
    if (id === 'trends') drawTrends(section);
  };

  const drawGroup = (group) => {
    const results = pageResults(root);
    if (results) drawItems(group, results, lang, strings, { sharedLegend: true });
  };
  // "toggle" does not bubble: listened for on the way down.
  root.addEventListener('toggle', (event) => {
    if (event.target.matches('[data-result-page]') && event.target.open) drawGroup(event.target);
  }, true);

  // The section links are one row that scrolls sideways where it does not fit (a phone): the sides where more
  // links lie are marked for the hint's arrows, and the current or focused link is kept clear of the fades.
  const tabsNav = root.querySelector('[data-tabs]');
  const tabRow = tabsNav?.querySelector('ul');
  const FADE = 32;
  const markMore = () => {
    if (!tabRow || !tabs.length) return;
    const row = tabRow.getBoundingClientRect();
    const more = [];
    // By the links themselves (the row's end padding, under the right fade, hides nothing).
    if (tabs[0].getBoundingClientRect().left < row.left - 1) more.push('start');
    if (tabs[tabs.length - 1].getBoundingClientRect().right > row.right - FADE + 1) more.push('end');
    tabsNav.dataset.more = more.join(' ');
  };
  const revealTab = (link) => {
    if (!tabRow || tabRow.scrollWidth <= tabRow.clientWidth) return;
    const row = tabRow.getBoundingClientRect();
    const box = link.getBoundingClientRect();
    if (box.left < row.left + FADE) tabRow.scrollLeft -= row.left + FADE - box.left;
    else if (box.right > row.right - FADE) tabRow.scrollLeft += box.right - (row.right - FADE);
    // The arrows follow at once (the scroll event comes a frame later).
    markMore();
  };
  if (tabRow) {
    tabRow.addEventListener('scroll', markMore, { passive: true });
    tabRow.addEventListener('focusin', (event) => revealTab(event.target));
  }

  // One section at a time; the link of the one shown is marked as the current one.
  const activate = (id) => {
    if (!sections.some((s) => s.id === id)) id = sections[0].id;
    current = id;
    for (const s of sections) s.hidden = s.id !== id;
    for (const a of tabs) {
      if (a.getAttribute('href') === `#${id}`) {
        a.setAttribute('aria-current', 'true');
        revealTab(a);
      } else a.removeAttribute('aria-current');
    }
    if (stale.has(id)) drawSection(id);
  };
  const barHeight = () => (bar && window.getComputedStyle(bar).position === 'sticky' ? bar.offsetHeight : 0);
  const setBarHeight = () => root.style.setProperty('--bar-height', `${barHeight()}px`);
  /** Shows the section holding `target` and brings the target into view below the sticky bar. */
  const goTo = (target, { scroll = true } = {}) => {
    const section = target.closest('[data-section]');
    if (!section) return;
    for (let group = target.closest('details'); group; group = group.parentElement.closest('details')) group.open = true;
    activate(section.id);
    if (!scroll) return;
    if (target === section) {
      // A section link: start the section right under the bar (where the bar sticks), but do not jump down to
      // it from the top of the page.
      const head = root.querySelector('.dashboard__head');
      const top = head ? head.getBoundingClientRect().bottom + window.scrollY : 0;
      if (window.scrollY > top) window.scrollTo({ top });
    } else target.scrollIntoView();
  };
  const fromHash = () => {
    const id = decodeURIComponent(location.hash.slice(1));
    const target = id ? document.getElementById(id) : null;
    if (target && root.contains(target)) goTo(target);
    else activate(sections[0].id);
  };
  root.addEventListener('click', (event) => {
    const link = event.target.closest('a[href^="#"]');
    if (!link) return;
    const target = document.getElementById(decodeURIComponent(link.getAttribute('href').slice(1)));
    if (!target || !root.contains(target)) return;
    event.preventDefault();
    history.pushState(null, '', link.getAttribute('href'));
    goTo(target);
    if (target.matches('[data-section]')) target.focus({ preventScroll: true });
  });
  window.addEventListener('popstate', fromHash);
  for (const s of sections) s.tabIndex = -1;
  setBarHeight();
  markMore();
  window.addEventListener('resize', () => {
    setBarHeight();
    markMore();
  });
  root.classList.add('is-tabbed');
  fromHash();

  const filter = document.querySelector('[data-unit-filter]');
  if (filter) {
    filter.querySelector('select').addEventListener('change', () => filter.submit());
    filter.querySelector('button').hidden = true;
  }

  // Trends: each question is numbered in the list under the chart; tick the ones to draw (first six at first;
  // the choice outlives live refreshes).
  let chosenTrends = null;
  function drawTrends(section) {
    const canvas = section.querySelector('canvas[data-chart="trend"]');
    const list = section.querySelector('[data-trend-legend]');
    if (!canvas || !list) return;
    const items = JSON.parse(canvas.dataset.trends || '[]');
    const boxes = Array.from(list.querySelectorAll('li')).map((li, index) => {
      let box = li.querySelector('input');
      if (!box) {
        const label = document.createElement('label');
        box = document.createElement('input');
        box.type = 'checkbox';
        box.checked = chosenTrends ? chosenTrends.has(index) : index < 6;
        const swatch = document.createElement('span');
        swatch.className = 'trend-legend__key';
        swatch.style.borderColor = TREND_COLOURS[index % TREND_COLOURS.length];
        if (index >= TREND_COLOURS.length) swatch.style.borderStyle = 'dashed';
        label.append(box, swatch, ...li.childNodes);
        li.append(label);
        box.addEventListener('change', () => {
          chosenTrends = new Set(Array.from(list.querySelectorAll('input')).flatMap((b, i) => (b.checked ? [i] : [])));
          drawTrends(section);
        });
      }
      return box;
    });
    drawTrend(canvas, items, boxes.flatMap((b, i) => (b.checked ? [i] : [])), strings);
  }
}
