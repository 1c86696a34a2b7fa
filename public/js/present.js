// Meeting mode: one item per slide, large type, arrow keys to move, live counters while the campaign
// is open, and "add to the agenda": the slide on screen becomes an agenda item of a council meeting, its
// figures frozen there as they stand (the server takes the snapshot through the gate).
import { connectLive } from './live.js';
import { drawItems } from './results-charts.js';

const root = document.querySelector('[data-presenter]');
if (root) {
  const { campaign, unit } = root.dataset;
  const lang = document.documentElement.lang;
  const strings = JSON.parse(root.dataset.i18n || '{}');
  const slides = Array.from(root.querySelectorAll('[data-slide]'));
  const position = root.querySelector('[data-position]');
  const agendaItem = document.querySelector('[data-agenda-item]');
  const agendaSlide = document.querySelector('[data-agenda-slide]');
  const agendaButton = document.querySelector('[data-agenda-add]');
  let index = Math.max(0, Math.min(slides.length - 1, Number(location.hash.slice(1)) || 0));
  let latest = null;

  const show = (i) => {
    index = (i + slides.length) % slides.length;
    slides.forEach((s, j) => (s.hidden = j !== index));
    position.textContent = `${index + 1} / ${slides.length}`;
    history.replaceState(null, '', `#${index}`);
    if (agendaItem) agendaItem.value = slides[index].dataset.item || '';
    if (agendaSlide) agendaSlide.value = String(index);
    if (latest) drawItems(slides[index], latest, lang, strings, 1.8);
  };
  root.querySelector('[data-prev]').addEventListener('click', () => show(index - 1));
  root.querySelector('[data-next]').addEventListener('click', () => show(index + 1));
  document.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowRight' || event.key === 'PageDown' || event.key === ' ') show(index + 1);
    else if (event.key === 'ArrowLeft' || event.key === 'PageUp') show(index - 1);
    else if (event.key === 'Home') show(0);
    else if (event.key === 'End') show(slides.length - 1);
    else if ((event.key === 'a' || event.key === 'A') && agendaButton && !event.target.closest('select, input')) agendaButton.focus();
  });
  show(index);

  const status = root.querySelector('[data-live-status]');
  connectLive({
    campaign,
    unit,
    onStatus(state) {
      status.textContent = state === 'live' ? strings['results.live.updated'] : state === 'reconnecting' ? strings['results.live.reconnecting'] : '';
    },
    onCount(message) {
      root.querySelector('[data-live-count]').textContent = String(message.n);
      if (message.target) root.querySelector('[data-live-rate-text]').textContent = `${Math.round((message.n / message.target) * 1000) / 10}%`;
    },
    onResults(results) {
      latest = results;
      drawItems(slides[index], results, lang, strings, 1.8);
    },
  });
}
