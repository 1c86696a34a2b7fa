// The import form: the fields a SurveyJS or LimeSurvey file needs (id, audience, minutes) are shown only for them.
const form = document.querySelector('[data-import-form]');
if (form) {
  const extra = form.querySelector('[data-surveyjs-only]');
  const update = () => {
    const chosen = form.querySelector('input[name="format"]:checked');
    extra.hidden = !chosen || chosen.value === 'pikir';
  };
  form.addEventListener('change', update);
  update();
}
