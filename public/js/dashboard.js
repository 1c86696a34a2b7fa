// The campaign dashboard: charts from the results JSON, live updates over Socket.IO (the server-rendered
// tables are refreshed from the same server templates), and the group filter applied on change.
import { connectLive } from './live.js';
import { drawDaily, drawItems, drawTrend } from './results-charts.js';

const root = document.querySelector('[data-dashboard]');
if (root) {
  const { campaign, unit, lang } = root.dataset;
  const strings = JSON.parse(root.dataset.i18n || '{}');
  const count = root.querySelector('[data-live-count]');
  const rate = root.querySelector('[data-live-rate]');
  const status = root.querySelector('[data-live-status]');
  const items = root.querySelector('[data-items]');
  let daily = JSON.parse(root.dataset.daily || '{}');
  const target = Number(root.dataset.target);
  const dailyCanvas = root.querySelector('canvas[data-chart="daily"]');
  if (dailyCanvas) drawDaily(dailyCanvas, daily, target, strings);
  const trendCanvas = root.querySelector('canvas[data-chart="trend"]');
  if (trendCanvas) drawTrend(trendCanvas, JSON.parse(root.dataset.trends || '[]'), strings);

  const filter = document.querySelector('[data-unit-filter]');
  if (filter) {
    filter.querySelector('select').addEventListener('change', () => filter.submit());
    filter.querySelector('button').hidden = true;
  }

  let first = true;
  let refreshing = Promise.resolve();
  connectLive({
    campaign,
    unit,
    onStatus(state, message) {
      // A closed campaign's figures are final: "live" would suggest they may still move.
      const live = root.dataset.status === 'closed' ? strings['results.live.final'] : strings['results.live.updated'];
      status.textContent = state === 'live' ? live : state === 'reconnecting' ? strings['results.live.reconnecting'] : message || '';
      status.dataset.state = state;
    },
    onCount(message) {
      count.textContent = String(message.n);
      if (rate && message.target) rate.value = Math.min(1, message.n / message.target);
      root.dataset.liveVersion = String(message.version);
    },
    onResults(results, version) {
      count.textContent = String(results.responses.n);
      root.dataset.liveVersion = String(version);
      daily = results.responses.daily;
      if (dailyCanvas) drawDaily(dailyCanvas, daily, target, strings);
      // The first snapshot matches the page as rendered; later ones refresh the tables from the server.
      refreshing = refreshing.then(async () => {
        if (!first) {
          const response = await fetch(`/results/${campaign}/items?unit=${encodeURIComponent(unit)}&lang=${lang}`, { headers: { accept: 'text/html' } });
          if (response.ok) items.innerHTML = await response.text();
        }
        first = false;
        drawItems(items, results, lang, strings, 1);
        root.dataset.renderedN = String(results.responses.n);
      }).catch(() => {
        // A failed refresh must not stop the next ones: the next push or snapshot redraws.
        status.textContent = strings['results.live.reconnecting'];
      });
    },
  });
}
