// A results page that follows its campaign live (the dashboard and meeting mode alike): the status line, the
// responses (count, rate against the target, responses per day) redrawn from each push, and new figures
// fetched by loading the page's own parts again, one refresh at a time. What the page draws after a refresh
// (charts of the section or slide on screen) is its own: `redraw`.
import { connectLive } from './live.js';
import { renderedResponses, renderResponses } from './live-responses.js';
import { pageResults, refreshParts } from './refresh-parts.js';

/**
 * Connects `root` (a page with [data-responses], [data-live-status] and [data-results]) to its campaign.
 * `url` is the address the page refetches itself from. Returns the responses state the page shows now.
 */
export function followLive(root, { campaign, unit, lang, strings, url, redraw }) {
  const status = root.querySelector('[data-live-status]');
  const live = { responses: renderedResponses(root) };
  let refreshing = Promise.resolve();
  let queued = false;
  const sameFigures = (a, b) => Boolean(a && b) && JSON.stringify([a.units, a.items]) === JSON.stringify([b.units, b.items]);
  connectLive({
    campaign,
    unit,
    onStatus(state, message) {
      // A closed campaign's figures are final: "live" would suggest they may still move.
      const current = root.dataset.status === 'closed' ? strings['results.live.final'] : strings['results.live.updated'];
      status.textContent = state === 'live' ? current : state === 'reconnecting' ? strings['results.live.reconnecting'] : message || '';
      status.dataset.state = state;
    },
    onResponses(state) {
      live.responses = state;
      renderResponses(root, state, lang, strings);
    },
    onFigures(results, version, snapshot) {
      // The page as rendered already shows these figures: nothing to fetch.
      if (snapshot && sameFigures(results, pageResults(root))) return;
      if (queued) return;
      queued = true;
      refreshing = refreshing
        .then(async () => {
          queued = false;
          await refreshParts(url, root);
          renderResponses(root, live.responses, lang, strings);
          redraw();
          root.dataset.figuresVersion = String(version);
        })
        .catch(() => {
          queued = false;
          // A failed refresh must not stop the next ones: the next push or snapshot redraws.
          status.textContent = strings['results.live.reconnecting'];
        });
    },
  });
  return live;
}
