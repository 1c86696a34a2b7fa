// A student without JavaScript (issue 19, point 12), on a phone and a laptop: the year list follows the
// chosen programme (or says clearly that a year belongs to another programme), and a follow-up question
// says when to answer it ("Answer only if …"), as the script that would hide it is not running.
import { expect } from 'chai';
import { serverAndBrowser } from '../support/e2e.js';
import { screenshot, seriousViolationsWithoutJs as seriousViolations, sidewaysOverflow, SIZES } from '../support/staff-e2e.js';
import { buildSurveyWorld } from '../support/survey-fixtures.js';

describe('respondent pages without JavaScript (phone 390 px, laptop 1280 px)', () => {
  const env = serverAndBrowser();

  for (const [label, size] of SIZES) {
    it(`narrows the year list to the chosen programme and says when a follow-up applies (${label})`, async () => {
      const world = await buildSurveyWorld({ instrument: 'skip-test' });
      const [pA1] = world.programmesA as [string, string];
      const [c1, c2, c3] = world.cohortsA as [string, string, string];
      const context = await env.browser.newContext({ ...size, bypassCSP: true, javaScriptEnabled: false });
      const page = await context.newPage();
      await page.goto(`${env.srv.url}/s/${world.campaign.linkId}?lang=en`);
      await page.getByRole('button', { name: 'Start' }).click();

      // Before a programme is chosen, the years come grouped by programme.
      const groups = await page.locator('#f-cohort optgroup').evaluateAll((gs) => gs.map((g) => g.getAttribute('label')));
      expect(groups).to.deep.equal(['6B06101 — Informatics', '6B06102 — Information systems']);
      await screenshot(page, `about-grouped-${label}`);

      // A programme and a year of another programme: a clear message, and only that programme's years.
      await page.selectOption('#f-programme', pA1);
      await page.selectOption('#f-cohort', c3);
      const res = await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Next' }).click()]).then(() => page);
      expect(res.url()).to.match(/\/step\/0$/);
      expect(await page.locator('#about-error').textContent()).to.equal('The year you chose is not a year of 6B06101 — Informatics. Choose your year again: the list now shows only the years of 6B06101 — Informatics.');
      expect(await page.locator('#f-programme').inputValue()).to.equal(pA1);
      const offered = await page.locator('#f-cohort option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
      expect(offered.sort()).to.deep.equal([c1, c2].sort());
      expect(await page.locator('#f-cohort').getAttribute('aria-invalid')).to.equal('true');
      expect(await seriousViolations(page)).to.deep.equal([]);
      expect(await sidewaysOverflow(page)).to.deep.equal({ overflow: 0, culprits: [] });
      await screenshot(page, `about-mismatch-${label}`);
      await page.selectOption('#f-cohort', c2);
      await page.getByRole('button', { name: 'Next' }).click();
      expect(await page.locator('h1').textContent()).to.equal('Library');

      // Page 3 holds a follow-up that depends on an answer on the same page: in view, saying when it applies.
      await page.getByLabel('No').check();
      await page.getByRole('button', { name: 'Next' }).click();
      expect(await page.locator('h1').textContent()).to.equal('Overall');
      const note = page.locator('#q-comment [data-only-if]');
      expect(await note.isVisible()).to.equal(true);
      expect(await note.textContent()).to.equal('Answer only if your answer to “Would you like to add something?” is “Yes”.');
      expect(await page.locator('#q-overall [data-only-if]').count()).to.equal(0);
      expect(await seriousViolations(page)).to.deep.equal([]);
      await screenshot(page, `follow-up-hint-${label}`);

      // The same page in Kazakh and Russian.
      await page.locator('button[value="lang-kk"]').click();
      expect(await note.textContent()).to.equal('Тек «Тағы бірдеңе айтқыңыз келе ме?» сұрағына «Иә» деп жауап берген болсаңыз ғана жауап беріңіз.');
      await page.locator('button[value="lang-ru"]').click();
      expect(await note.textContent()).to.equal('Отвечайте, только если на вопрос «Хотите что-то добавить?» вы ответили «Да».');

      // Answering "No" and leaving the follow-up empty is a complete response.
      await page.locator('#q-overall input[value="4"]').check();
      await page.locator('#q-wants_more').getByLabel('Нет').check();
      await page.getByRole('button', { name: 'Отправить ответы' }).click();
      expect(page.url()).to.match(/\/thanks$/);
      await context.close();
    });
  }

  it('hides the notes and the other programmes\u2019 years when JavaScript runs', async () => {
    const world = await buildSurveyWorld({ instrument: 'skip-test' });
    const [pA1, pA2] = world.programmesA as [string, string];
    const context = await env.browser.newContext({ ...SIZES[0][1], bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${env.srv.url}/s/${world.campaign.linkId}?lang=en`);
    await page.getByRole('button', { name: 'Start' }).click();
    await page.selectOption('#f-programme', pA2);
    const visibleGroups = await page.locator('#f-cohort optgroup').evaluateAll((gs) => gs.filter((g) => !(g as HTMLElement).hidden).map((g) => g.getAttribute('label')));
    expect(visibleGroups).to.deep.equal(['6B06102 — Information systems']);
    await page.selectOption('#f-programme', pA1);
    await page.selectOption('#f-cohort', world.cohortsA[0]!);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('No').check();
    await page.getByRole('button', { name: 'Next' }).click();
    expect(await page.locator('#q-comment').isVisible()).to.equal(false);
    await page.locator('#q-wants_more').getByLabel('Yes').check();
    expect(await page.locator('#q-comment').isVisible()).to.equal(true);
    expect(await page.locator('#q-comment [data-only-if]').isVisible()).to.equal(false);
    await context.close();
  });
});
