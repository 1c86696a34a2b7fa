// Campaign pages, enhanced: the plan's year selector submits itself, the form shows only the units of the
// chosen audience kind and starts the titles from the chosen instrument, forms marked data-confirm ask first,
// "Copy link" copies the survey's open link,
// the slips page gets a print button.
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

// Titles follow the chosen instrument and year (as the server fills titles left empty) until someone types
// one: a title the user wrote is never replaced.
const instrumentSelect = document.querySelector('select[name="instrument"]');
const titleInputs = [...document.querySelectorAll('input[data-title]')];
if (instrumentSelect && titleInputs.length) {
  const yearSelect = document.querySelector('select[name="academicYear"]');
  // data-title-kk → dataset.titleKk
  const instrumentTitle = (lang) => instrumentSelect.selectedOptions[0]?.dataset[`title${lang[0].toUpperCase()}${lang.slice(1)}`] ?? '';
  const suggestion = (lang) => (instrumentTitle(lang) ? `${instrumentTitle(lang)}${yearSelect?.value ? ` ${yearSelect.value}` : ''}` : '');
  // What each field was last filled with; a field typed into differs from it and is left alone. A title the
  // server filled from the instrument (the instrument page's link) counts as filled, not typed.
  const filled = new Map(titleInputs.map((input) => [input, input.value === '' || input.value === suggestion(input.dataset.title) ? input.value : null]));
  const fill = () => {
    for (const input of titleInputs) {
      if (filled.get(input) !== input.value) continue;
      input.value = suggestion(input.dataset.title);
      filled.set(input, input.value);
    }
  };
  instrumentSelect.addEventListener('change', fill);
  yearSelect?.addEventListener('change', fill);
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

// "Copy link": the clipboard where the browser allows it (https or localhost), else the link is selected for
// Ctrl+C. Without this script the head button is a jump to the link, and the card's button stays hidden.
const copyStatus = document.querySelector('[data-copy-status]');
async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'visually-hidden';
    document.body.append(area);
    area.select();
    const done = document.execCommand('copy');
    area.remove();
    return done;
  }
}
for (const trigger of document.querySelectorAll('[data-copy-link]')) {
  trigger.hidden = false;
  trigger.addEventListener('click', async (event) => {
    event.preventDefault();
    const copied = await copyText(trigger.dataset.copyLink);
    if (!copyStatus) return;
    copyStatus.textContent = copied ? copyStatus.dataset.copied : copyStatus.dataset.copyFailed;
    if (!copied) {
      const link = document.querySelector('[data-survey-link]');
      if (link) window.getSelection().selectAllChildren(link);
    }
  });
}
