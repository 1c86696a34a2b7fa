// The public verification page of a campaign with blind credentials (/credentials/:id), without sign-in and
// without JavaScript, in kk/ru/en: the four counts that must agree, the public key, and what the guarantee
// means and does not mean, in plain words.
import { Router } from 'express';
import { formatDay, timeZone } from '../lib/dates.js';
import { translate, type Lang } from '../lib/i18n/index.js';
import { verifiableCampaign } from './public.js';
import type { CredentialService } from './service.js';

const grouped = (hex: string) => hex.replace(/(.{4})(?=.)/g, '$1 ');

export function credentialsPagesRouter(credentials: CredentialService): Router {
  const router = Router();
  router.get('/credentials/:id', async (req, res) => {
    const lang = res.locals.lang as Lang;
    const campaign = await verifiableCampaign(req.params.id);
    await credentials.key(campaign);
    const l = await credentials.ledger(campaign);
    const day = (iso: string) => formatDay(new Date(`${iso}T12:00:00Z`), lang);
    res.render('credentials/verify', {
      title: translate(lang, 'credentials.verify.title', { title: campaign.title[lang] }),
      campaignTitle: campaign.title[lang],
      state: l.state,
      figures: [
        { key: 'eligible', n: l.eligible },
        { key: 'issued', n: l.issued },
        { key: 'spent', n: l.spent },
        { key: 'responses', n: l.responses },
      ],
      agree: l.agree,
      key: l.key ? { bits: l.key.bits, pem: l.key.pem, fingerprint: grouped(l.key.fingerprint), createdOn: day(l.key.createdOn), destroyedOn: l.key.destroyedOn ? day(l.key.destroyedOn) : undefined } : undefined,
      algorithm: l.algorithm,
      countedAt: new Intl.DateTimeFormat(lang === 'kk' ? 'kk-KZ' : lang, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: timeZone() }).format(l.countedAt),
      json: `/api/credentials/${campaign._id}`,
    });
  });
  return router;
}
