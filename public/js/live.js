// Live results over Socket.IO: subscribe (and get a full snapshot), then apply pushed updates. Each push
// carries the campaign's next version; a gap or a reconnect triggers a fresh snapshot, so counts are
// never missed or doubled.
export function connectLive({ campaign, unit, onResults, onCount, onStatus }) {
  const socket = io({ transports: ['websocket', 'polling'] });
  let version = -1;
  // The newest results shown: a snapshot that arrives after a newer push must not replace it.
  let shown = -1;
  const subscribe = () =>
    socket.emit('subscribe', { campaign, unit }, (reply) => {
      if (!reply || !reply.ok) return onStatus('error', reply && reply.error ? reply.error.message : '');
      version = Math.max(version, reply.data.version);
      if (reply.data.version >= shown) {
        shown = reply.data.version;
        onResults(reply.data.results, reply.data.version);
      }
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
    onCount(message);
    if (gap) subscribe();
  });
  socket.on('results', (message) => {
    version = Math.max(version, message.version);
    if (message.version < shown) return;
    shown = message.version;
    onResults(message.results, message.version);
  });
  return socket;
}
