// The import form: the SurveyJS fields (id, audience, minutes) are shown only when SurveyJS is chosen.
const form = document.querySelector('[data-import-form]');
if (form) {
  const extra = form.querySelector('[data-surveyjs-only]');
  const update = () => {
    const chosen = form.querySelector('input[name="format"]:checked');
    extra.hidden = !chosen || chosen.value !== 'surveyjs';
  };
  form.addEventListener('change', update);
  update();
}
