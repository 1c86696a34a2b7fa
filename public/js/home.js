// The staff home: response counts of the open campaigns grow live (the socket's count room, no results),
// each card's percentage, meter and "n of target" from the same pushed number.
const root = document.querySelector('[data-home-counts]');
const cards = root ? [...root.querySelectorAll('[data-campaign]')] : [];
if (cards.length && window.io) {
  const byId = new Map(cards.map((card) => [card.dataset.campaign, card]));
  const template = root.dataset.nTemplate;
  const show = (id, n) => {
    const card = byId.get(id);
    if (!card) return;
    const target = Number(card.dataset.target) || 0;
    const rate = target > 0 ? n / target : null;
    const percent = rate === null ? '—' : `${Math.round(rate * 100)}%`;
    card.querySelector('[data-percent]').textContent = percent;
    const meter = card.querySelector('[data-meter]');
    meter.value = Math.min(1, rate ?? 0);
    meter.textContent = percent;
    if (template) card.querySelector('[data-n-text]').textContent = template.replace('{n}', String(n)).replace('{target}', String(target));
  };
  const socket = window.io({ transports: ['websocket', 'polling'] });
  socket.on('connect', () =>
    socket.emit('counts', { campaigns: [...byId.keys()] }, (reply) => {
      if (reply && reply.ok) for (const [id, n] of Object.entries(reply.data.counts)) show(id, n);
    }),
  );
  socket.on('count', (message) => show(message.campaign, message.n));
  socket.on('scope-changed', () => location.reload());
}
