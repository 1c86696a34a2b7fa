// Every page: on a phone the staff menu starts folded (it is a <details>, open when JavaScript is off).
const menu = document.querySelector('[data-site-menu]');
if (menu && window.matchMedia('(max-width: 1180px)').matches) menu.open = false;
