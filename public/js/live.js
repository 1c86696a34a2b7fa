// Live results over Socket.IO: subscribe (and get a full snapshot), then apply pushed updates. Each push
// carries the campaign's next version; a gap or a reconnect triggers a fresh snapshot, so counts are
// never missed or doubled. Two things move, each only forward by version:
// - the responses (count, target, responses per day), from count pushes, result pushes and snapshots alike,
//   handed on whole so a page draws the count, the rate and the timeline from one state;
// - the figures (a new cut was released), which a page redraws by fetching itself again.
export function connectLive({ campaign, unit, onResponses, onFigures, onStatus }) {
  // A server without live updates does not serve the Socket.IO client: the page stays as rendered.
  if (typeof io !== 'function') return;
  const socket = io({ transports: ['websocket', 'polling'] });
  let version = -1;
  let responsesVersion = -1;
  let figuresVersion = -1;
  const responses = (state, v) => {
    if (v < responsesVersion) return;
    responsesVersion = v;
    onResponses({ n: state.n, target: state.target, daily: state.daily || {}, version: v });
  };
  const figures = (results, v, snapshot) => {
    if (v < figuresVersion) return;
    figuresVersion = v;
    onFigures(results, v, snapshot);
  };
  const subscribe = () =>
    socket.emit('subscribe', { campaign, unit }, (reply) => {
      if (!reply || !reply.ok) return onStatus('error', reply && reply.error ? reply.error.message : '');
      version = Math.max(version, reply.data.version);
      responses(reply.data.results.responses, reply.data.version);
      figures(reply.data.results, reply.data.version, true);
      onStatus('live');
    });
  socket.on('connect', subscribe);
  // The account's role or scope changed: the server has left every room; the page is redrawn for the new scope.
  socket.on('scope-changed', () => location.reload());
  socket.on('disconnect', () => onStatus('reconnecting'));
  socket.on('connect_error', () => onStatus('reconnecting'));
  socket.on('count', (message) => {
    if (message.campaign !== campaign) return;
    const gap = version >= 0 && message.version > version + 1;
    version = Math.max(version, message.version);
    responses(message, message.version);
    if (gap) subscribe();
  });
  socket.on('results', (message) => {
    version = Math.max(version, message.version);
    responses(message.results.responses, message.version);
    figures(message.results, message.version, false);
  });
  return socket;
}
