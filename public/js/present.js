// Meeting mode: an overview, then one item per slide, sized to fit the screen (no scrolling on a projector
// or a laptop), text and chart labels large enough for the back of the room. Keys: ←/→ (no wrapping at
// either end), Home/End, f for full screen, a for "add to the agenda" (the slide on screen becomes an agenda
// item of a council meeting, its figures frozen there by the server through the gate), ? for the list of
// keys, Esc to close it. Live: the counters move with every push; new figures redraw the slides.
import { renderResponses } from './live-responses.js';
import { followLive } from './live-page.js';
import { pageResults } from './refresh-parts.js';
import { drawItems } from './results-charts.js';

const root = document.querySelector('[data-presenter]');
if (root) {
  const { campaign, unit } = root.dataset;
  const lang = document.documentElement.lang;
  const strings = JSON.parse(root.dataset.i18n || '{}');
  const slides = Array.from(root.querySelectorAll('[data-slide]'));
  const position = root.querySelector('[data-position]');
  const prev = root.querySelector('[data-prev]');
  const next = root.querySelector('[data-next]');
  const help = root.querySelector('[data-help]');
  const helpButton = root.querySelector('[data-help-open]');
  const agendaItem = document.querySelector('[data-agenda-item]');
  const agendaSlide = document.querySelector('[data-agenda-slide]');
  const agendaButton = document.querySelector('[data-agenda-add]');
  let index = Math.max(0, Math.min(slides.length - 1, Number(location.hash.slice(1)) || 0));

  root.classList.add('is-deck');
  /** Chart labels scale with the screen: 24 px at 1920×1080, 16 px at 1280×720, never below 12 px. */
  const fontSize = () => Math.round(Math.max(12, Math.min(window.innerWidth / 60, window.innerHeight / 45)));

  // Shrinks the slide's type (never the chart labels below their size) until nothing spills out of it.
  const fit = (slide) => {
    let scale = 1;
    slide.style.setProperty('--fit', '1');
    const inner = slide.querySelector('.slide__inner');
    const overflows = () => inner.scrollHeight > inner.clientHeight + 1 || slide.scrollHeight > slide.clientHeight + 1;
    while (overflows() && scale > 0.6) {
      scale = Math.round((scale - 0.05) * 100) / 100;
      slide.style.setProperty('--fit', String(scale));
    }
  };

  const drawCurrent = () => {
    const slide = slides[index];
    const results = pageResults(root);
    fit(slide);
    if (results) drawItems(slide, results, lang, strings, { fontSize: fontSize(), fill: true });
  };

  const show = (i) => {
    index = Math.max(0, Math.min(slides.length - 1, i));
    slides.forEach((s, j) => (s.hidden = j !== index));
    position.textContent = `${index + 1} / ${slides.length}`;
    prev.disabled = index === 0;
    next.disabled = index === slides.length - 1;
    history.replaceState(null, '', `#${index}`);
    if (agendaItem) agendaItem.value = slides[index].dataset.item || '';
    if (agendaSlide) agendaSlide.value = String(index);
    drawCurrent();
  };
  prev.addEventListener('click', () => show(index - 1));
  next.addEventListener('click', () => show(index + 1));

  const toggleFullScreen = () => {
    const request = document.fullscreenElement ? document.exitFullscreen() : document.documentElement.requestFullscreen?.();
    // Refused (no user gesture, or not allowed here): the deck still fits the window.
    Promise.resolve(request).catch(() => {});
  };
  if (help && typeof help.showModal === 'function' && helpButton) {
    helpButton.hidden = false;
    helpButton.addEventListener('click', () => help.showModal());
  }

  document.addEventListener('keydown', (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (help && help.open) return; // the dialog's own keys (Esc closes it)
    // Keys typed into the agenda form, or pressed on a button, are theirs.
    if (event.target.closest('select, input, textarea')) return;
    if ((event.key === ' ' || event.key === 'Enter') && event.target.closest('button, a')) return;
    const keys = {
      ArrowRight: () => show(index + 1),
      PageDown: () => show(index + 1),
      ' ': () => show(index + 1),
      ArrowLeft: () => show(index - 1),
      PageUp: () => show(index - 1),
      Home: () => show(0),
      End: () => show(slides.length - 1),
      f: toggleFullScreen,
      F: toggleFullScreen,
      a: () => agendaButton && agendaButton.focus(),
      A: () => agendaButton && agendaButton.focus(),
      '?': () => help && typeof help.showModal === 'function' && help.showModal(),
    };
    const action = keys[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  });

  let resizing;
  window.addEventListener('resize', () => {
    clearTimeout(resizing);
    resizing = setTimeout(drawCurrent, 100);
  });
  const live = followLive(root, { campaign, unit, lang, strings, url: `/results/${campaign}/present?unit=${encodeURIComponent(unit)}&lang=${lang}`, redraw: drawCurrent });
  renderResponses(root, live.responses, lang, strings);
  show(index);
}
