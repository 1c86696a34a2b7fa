// An open campaign's page follows its responses live: the count and overall rate on every push, and the
// table of rates by group (lagging groups marked) reloaded from the server whenever the gated figures moved.
// Without JavaScript (or Socket.IO) the page shows the rates as they were when it was loaded.
import { connectLive } from './live.js';

const root = document.querySelector('[data-rates]');
if (root && typeof io !== 'undefined') {
  const campaign = root.dataset.campaign;
  const target = Number(root.dataset.target) || 0;
  const table = root.querySelector('[data-rates-table]');
  const status = root.querySelector('[data-live-status]');
  const count = document.querySelector('[data-live-count]');
  const meter = document.querySelector('[data-live-meter]');
  const rateText = document.querySelector('[data-live-rate]');
  const lang = document.documentElement.lang;

  const showCount = (n) => {
    if (count) count.textContent = String(n);
    if (!target) return;
    const percent = `${Math.round((n / target) * 100)}%`;
    if (meter) meter.value = Math.min(1, n / target);
    if (rateText) rateText.textContent = root.dataset.rateText.replace('__P__', percent);
  };

  let first = true;
  let refreshing = Promise.resolve();
  connectLive({
    campaign,
    unit: 'university',
    onStatus(state, message) {
      status.hidden = state === 'live';
      status.textContent = state === 'reconnecting' ? root.dataset.reconnecting : message || '';
    },
    // Count pushes, result pushes and snapshots alike carry the responses (live.js keeps the newest).
    onResponses(state) {
      showCount(state.n);
    },
    // A snapshot (on connecting) or newly released figures.
    onFigures(results, version) {
      root.dataset.liveVersion = String(version);
      // The first snapshot is the page as rendered; later ones reload the table in the page's language.
      if (first) {
        first = false;
        return;
      }
      refreshing = refreshing
        .then(async () => {
          const response = await fetch(`/campaigns/${campaign}/rates?lang=${lang}`, { headers: { accept: 'text/html' } });
          if (response.ok) table.innerHTML = await response.text();
        })
        .catch(() => {
          // A failed reload must not stop the next ones: the next push reloads again.
        });
    },
  });
}
