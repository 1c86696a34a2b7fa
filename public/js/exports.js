// The exports page: the council report, the evidence pack and the response-level data are made by report
// jobs; with JavaScript the page starts the job, shows its progress and downloads the file when it is ready
// (without JavaScript the links and the form start the same jobs and follow them on the job's page).
const root = document.querySelector('[data-exports]');
if (root) {
  const { campaign, unit, lang } = root.dataset;
  // Why a job could not be made, in the page's language (the API's messages are English).
  const errorTexts = JSON.parse(root.dataset.jobErrors || '{}');
  const reason = (error, status) => (error && errorTexts[error.code]) || (error ? error.message : String(status));

  const run = async (kind, body) => {
    const status = root.querySelector(`[data-job-status="${kind}"]`);
    const bar = status.querySelector('progress');
    const text = status.querySelector('[data-job-text]');
    // Something to read at once, while the job is asked for.
    bar.removeAttribute('value');
    text.textContent = status.dataset.starting || '';
    status.hidden = false;
    const show = (job) => {
      bar.max = job.progress.total;
      bar.value = job.progress.done;
      text.textContent = job.error ? reason(job.error) : job.progress.step;
    };
    try {
      const started = await fetch('/api/report-jobs', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
      let job = await started.json();
      if (!started.ok) throw new Error(reason(job.error, started.status));
      show(job);
      while (job.state === 'queued' || job.state === 'running') {
        await new Promise((resolve) => setTimeout(resolve, 700));
        const polled = await fetch(`/api/report-jobs/${job.id}`, { headers: { accept: 'application/json' } });
        job = await polled.json();
        if (!polled.ok) throw new Error(reason(job.error, polled.status));
        show(job);
      }
      if (job.state === 'done') {
        bar.value = bar.max;
        const link = document.createElement('a');
        link.href = job.file.url;
        link.download = job.file.name;
        link.textContent = job.file.name;
        text.replaceChildren(link);
        link.click();
      }
    } catch (err) {
      text.textContent = err.message;
    }
  };

  const pdf = root.querySelector('[data-job="report"]');
  if (pdf) pdf.addEventListener('click', (event) => {
    event.preventDefault();
    void run('report', { kind: 'report', campaign, unit, lang });
  });
  for (const link of root.querySelectorAll('[data-job="responses"]')) {
    link.addEventListener('click', (event) => {
      event.preventDefault();
      void run('responses', { kind: 'responses', campaign, format: link.dataset.format, lang });
    });
  }
  const form = root.querySelector('[data-evidence-form]');
  if (form) {
    const programme = form.querySelector('[data-programme]');
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void run('evidence', { kind: 'evidence', programme: programme.value, year: form.elements.year.value, lang });
    });
  }
}
