// The audit log page for admins: /admin/audit, newest first, paged.
import { Router } from 'express';
import { actorOf, requireRole } from '../accounts/session.js';
import type { Lang } from '../lib/i18n/index.js';
import { parseOrThrow } from '../lib/validate.js';
import { formatWhen } from './format.js';
import { auditQuery, listAudit, type AuditView } from './service.js';

function short(value: unknown, lang: Lang): string {
  if (value === undefined) return '';
  if (value instanceof Date) return formatWhen(value, lang);
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 160 ? text.slice(0, 157) + '…' : text;
}

/** "field: before → after" lines for the page. */
function changes(entry: AuditView, lang: Lang): { key: string; before: string; after: string }[] {
  const before = (entry.before && typeof entry.before === 'object' ? entry.before : {}) as Record<string, unknown>;
  const after = (entry.after && typeof entry.after === 'object' ? entry.after : {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !['createdAt', 'updatedAt', '_id', 'id'].includes(k));
  return keys.slice(0, 12).map((key) => ({ key, before: short(before[key], lang), after: short(after[key], lang) }));
}

export function auditPages(): Router {
  const router = Router();
  router.get('/admin/audit', requireRole('admin'), async (req, res) => {
    const query = parseOrThrow(auditQuery, req.query, 'query');
    const page = await listAudit(actorOf(res), { ...query, pageSize: 30 });
    const lang = res.locals.lang as Lang;
    const link = (p: number) => `/admin/audit?page=${p}${query.entity ? `&entity=${encodeURIComponent(query.entity)}` : ''}`;
    res.render('admin/audit', {
      titleKey: 'audit.title',
      entries: page.items.map((e) => ({ ...e, when: formatWhen(e.at, lang), changes: changes(e, lang) })),
      page: page.page,
      pages: page.pages,
      total: page.total,
      entity: query.entity ?? '',
      entities: ['users', 'faculties', 'departments', 'programmes', 'cohorts', 'disciplines', 'campaigns', 'instruments'].map((value) => ({ value, selected: value === query.entity })),
      prev: page.page > 1 ? link(page.page - 1) : undefined,
      next: page.page < page.pages ? link(page.page + 1) : undefined,
    });
  });
  return router;
}
