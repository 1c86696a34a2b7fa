// Council pages: told over the socket when this faculty's meetings or actions change (another secretary,
// meeting mode adding an item), they reload — unless someone is typing in a form, who gets a note instead.
// Also: confirmation before removing, and the minutes' print button.
const root = document.querySelector('[data-council]');
if (root && window.io) {
  const socket = window.io({ transports: ['websocket', 'polling'] });
  const note = root.querySelector('[data-live-note]');
  let typing = false;
  root.addEventListener('input', () => (typing = true));
  socket.on('connect', () => socket.emit('council', { faculty: root.dataset.council }, () => undefined));
  socket.on('scope-changed', () => location.reload());
  socket.on('council-changed', (change) => {
    const meeting = root.dataset.meeting;
    if (meeting && change.kind === 'meeting' && change.id !== meeting) return;
    if (!typing) return location.reload();
    if (note) {
      note.hidden = false;
      note.textContent = root.dataset.reloadText || '';
    }
  });
}

for (const form of document.querySelectorAll('form[data-confirm]')) {
  form.addEventListener('submit', (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
}

for (const button of document.querySelectorAll('[data-print]')) button.addEventListener('click', () => window.print());
