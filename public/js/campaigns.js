// Campaign pages, enhanced: the plan's year selector submits itself, the form shows only the units of the
// chosen audience kind, closing asks for confirmation, the slips page gets a print button.
// Every page works without this script.

for (const form of document.querySelectorAll('form[data-autosubmit]')) {
  for (const select of form.querySelectorAll('select')) select.addEventListener('change', () => form.submit());
}

const kindSelect = document.querySelector('[data-audience-kind]');
if (kindSelect) {
  const sets = [...document.querySelectorAll('[data-unit-set]')];
  const hint = document.querySelector('[data-nojs-hint]');
  if (hint) hint.hidden = true;
  const show = () => {
    for (const set of sets) {
      const active = set.dataset.unitSet === kindSelect.value;
      set.hidden = !active;
      // Units of other kinds are not sent, so switching back and forth cannot mix audiences.
      for (const input of set.querySelectorAll('input')) input.disabled = !active;
    }
  };
  kindSelect.addEventListener('change', show);
  show();
}

for (const form of document.querySelectorAll('form[data-confirm]')) {
  form.addEventListener('submit', (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
}

for (const button of document.querySelectorAll('[data-print]')) {
  button.hidden = false;
  button.addEventListener('click', () => window.print());
}
