// The audit log page for admins: /admin/audit, newest first, paged, in words (describe.ts).
import { Router } from 'express';
import { actorOf, requireRole } from '../accounts/session.js';
import type { Lang } from '../lib/i18n/index.js';
import { parseOrThrow } from '../lib/validate.js';
import { describeEntries, sectionChoices, type NamesOf } from './describe.js';
import { auditQuery, listAudit } from './service.js';

export function auditPages(namesOf: NamesOf): Router {
  const router = Router();
  router.get('/admin/audit', requireRole('admin'), async (req, res) => {
    const query = parseOrThrow(auditQuery, req.query, 'query');
    const page = await listAudit(actorOf(res), { ...query, pageSize: 30 });
    const lang = res.locals.lang as Lang;
    const link = (p: number) => `/admin/audit?page=${p}${query.entity ? `&entity=${encodeURIComponent(query.entity)}` : ''}`;
    res.render('admin/audit', {
      titleKey: 'audit.title',
      entries: await describeEntries(page.items, lang, namesOf),
      page: page.page,
      pages: page.pages,
      total: page.total,
      entity: query.entity ?? '',
      entities: sectionChoices(lang, query.entity),
      prev: page.page > 1 ? link(page.page - 1) : undefined,
      next: page.page < page.pages ? link(page.page + 1) : undefined,
    });
  });
  return router;
}
