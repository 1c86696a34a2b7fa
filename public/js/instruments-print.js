// The printable instrument: the "Print" button opens the browser's print dialogue.
const button = document.querySelector('[data-print]');
if (button) button.addEventListener('click', () => window.print());
