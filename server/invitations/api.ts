// The invitations JSON API: import contacts, read the send log and templates, save templates, queue
// invitations or reminders, delete contacts after the close. Admin only (checked again in the services).
import express, { type Router } from 'express';
import { z } from 'zod';
import { actorOf, requireRole } from '../accounts/session.js';
import { campaignIdSchema as campaignId } from '../lib/schemas.js';
import type { Config } from '../config.js';
import { apiRoute } from '../lib/api-route.js';
import { namedSchema } from '../lib/openapi.js';
import { apiReport, importRejected, lineProblemSchema } from '../lib/problems.js';
import { LANGUAGES, type Lang } from '../lib/i18n/index.js';
import { checkContacts, importContacts } from './import.js';
import { SEND_KINDS } from './model.js';
import { checkRoster, importRoster } from './roster.js';
import { scheduleStep } from './schedule.js';
import { campaignForAdmin, deleteContacts, invitationsSummary, requestSend, saveSchedule, saveSettings, scheduleInput, settingsInput, type ScheduleInput, type SettingsInput } from './service.js';

const idParams = z.object({ id: campaignId });
/** A roster of 5,000 rows with long names fits (the page's upload takes files up to 2 MB too). */
const MAX_CSV_CHARS = 1_000_000;
export const rosterJsonParser = express.json({ limit: '2mb' });
const ADMIN = 'admins';
const tags = ['invitations'];

const countsOut = z.object({
  contacts: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
  bounced: z.number().int(),
  unsubscribed: z.number().int(),
  answered: z.number().int().describe('a count only: which contact answered is never shown'),
  queued: z.number().int(),
});
const templateOut = z.object({ subject: z.string(), body: z.string() });
const summaryOut = namedSchema(
  'InvitationsSummary',
  z.object({
    campaignId: z.string(),
    state: z.enum(['draft', 'scheduled', 'open', 'closed']),
    counts: countsOut,
    contactsDeleted: z.boolean(),
    templates: z.object({ kk: templateOut, ru: templateOut, en: templateOut }),
    maxReminders: z.number().int(),
    reminderDays: z.number().int(),
    schedule: z.array(scheduleStep),
    smtpConfigured: z.boolean(),
    timeZone: z.string().describe('the university time zone (TIME_ZONE)'),
    quietHours: z.string().describe('local hours without scheduled reminders, e.g. "21:00–08:00" (MAIL_QUIET_HOURS); empty: none'),
    mailRatePerMinute: z.number().int().describe('MAIL_RATE_PER_MINUTE'),
  }),
);
const reportOut = z.object({
  columns: z.array(z.string()),
  rows: z.array(z.object({ line: z.number(), values: z.array(z.string()), problems: z.array(z.string()).describe("the row's problems in English (the list below has them with keys)"), mergedInto: z.number().optional() })),
  problems: z.array(lineProblemSchema),
  importable: z.number().int(),
  merged: z.number().int(),
  imported: z.number().int(),
  updated: z.number().int(),
});

export function invitationsApi(api: Router, config: Config): void {
  apiRoute(
    api,
    {
      method: 'post',
      path: '/api/campaigns/:id/contacts/import',
      tags,
      summary: 'Import a contact list (CSV: name, organisation, email, language, programme): 201; ?dryRun=true only checks: 200',
      description: 'All rows or none: any problem (named by line) imports nothing (422 with the problems in details). Duplicated emails are merged.',
      access: ADMIN,
      params: idParams,
      query: z.object({ dryRun: z.enum(['true', 'false']).default('false') }),
      body: z.strictObject({ csv: z.string().min(1).max(90_000) }),
      response: reportOut,
      status: [201, 200],
    },
    requireRole('admin'),
    async (_req, res) => {
      const { id } = res.locals.params as { id: string };
      const { dryRun } = res.locals.query as { dryRun: 'true' | 'false' };
      const { csv } = res.locals.body as { csv: string };
      const campaign = await campaignForAdmin(actorOf(res), id);
      if (dryRun === 'true') return void res.json(apiReport((await checkContacts(campaign, csv)).report));
      const report = await importContacts(actorOf(res), config, campaign, csv);
      if (report.problems.length) throw importRejected(report.problems);
      res.status(201).json(apiReport(report));
    },
  );

  apiRoute(
    api,
    {
      method: 'post',
      path: '/api/campaigns/:id/roster/import',
      tags,
      summary: 'Import a cohort roster of students (CSV: email, cohort; optional name, programme, language): 201; ?dryRun=true only checks: 200',
      description:
        'cohort is "<programme code>/<label>", or a label unique in the audience (or with the programme column). Rows without a language get ?language. All rows or none: any problem (named by line) imports nothing (422 with the problems in details). 409 not_a_student_campaign for a contact-list campaign.',
      access: ADMIN,
      params: idParams,
      query: z.object({ dryRun: z.enum(['true', 'false']).default('false'), language: z.enum(LANGUAGES).default('kk') }),
      body: z.strictObject({ csv: z.string().min(1).max(MAX_CSV_CHARS) }),
      response: reportOut,
      status: [201, 200],
    },
    requireRole('admin'),
    async (_req, res) => {
      const { id } = res.locals.params as { id: string };
      const { dryRun, language } = res.locals.query as { dryRun: 'true' | 'false'; language: Lang };
      const { csv } = res.locals.body as { csv: string };
      const campaign = await campaignForAdmin(actorOf(res), id);
      if (dryRun === 'true') return void res.json(apiReport((await checkRoster(campaign, csv, language)).report));
      const report = await importRoster(actorOf(res), config, campaign, csv, language);
      if (report.problems.length) throw importRejected(report.problems);
      res.status(201).json(apiReport(report));
    },
  );

  apiRoute(
    api,
    {
      method: 'put',
      path: '/api/campaigns/:id/invitations/schedule',
      tags,
      summary: 'Set the reminder schedule: steps after the invitation and before the close, at most N reminders',
      description:
        "Each step sends one reminder to those invited who have not answered and did not unsubscribe, never at night in the university time zone (MAIL_QUIET_HOURS in TIME_ZONE), never two mails to one person on one day, from the morning of the step's day (days in TIME_ZONE); steps already past when due together are served by one mail. An empty list turns the schedule off.",
      access: ADMIN,
      params: idParams,
      body: scheduleInput,
      response: summaryOut,
    },
    requireRole('admin'),
    async (_req, res) => {
      const { id } = res.locals.params as { id: string };
      await saveSchedule(actorOf(res), id, res.locals.body as ScheduleInput);
      res.json(await invitationsSummary(actorOf(res), config, id));
    },
  );

  apiRoute(
    api,
    { method: 'get', path: '/api/campaigns/:id/invitations', tags, summary: 'The send log (counts) and the mail templates of a campaign', access: ADMIN, params: idParams, response: summaryOut },
    requireRole('admin'),
    async (_req, res) => {
      res.json(await invitationsSummary(actorOf(res), config, (res.locals.params as { id: string }).id));
    },
  );

  apiRoute(
    api,
    {
      method: 'put',
      path: '/api/campaigns/:id/invitations/templates',
      tags,
      summary: 'Replace the invitation templates (subject and body per language) and the reminder settings',
      description: 'Placeholders: {{name}} {{organisation}} {{link}} {{unsubscribeLink}} {{closesAt}} {{campaignTitle}}; the body must contain {{link}}.',
      access: ADMIN,
      params: idParams,
      body: settingsInput,
      response: summaryOut,
    },
    requireRole('admin'),
    async (_req, res) => {
      const { id } = res.locals.params as { id: string };
      await saveSettings(actorOf(res), id, res.locals.body as SettingsInput);
      res.json(await invitationsSummary(actorOf(res), config, id));
    },
  );

  apiRoute(
    api,
    {
      method: 'post',
      path: '/api/campaigns/:id/invitations/send',
      tags,
      summary: 'Queue invitations (contacts not yet invited) or reminders (non-respondents, within the reminder limits)',
      description: '503 smtp_not_configured when SMTP_URL is not set; 409 when the campaign is not open. Mail goes out through the throttled worker.',
      access: ADMIN,
      params: idParams,
      body: z.strictObject({ kind: z.enum(SEND_KINDS) }),
      response: z.object({ queued: z.number().int() }),
      status: 202,
    },
    requireRole('admin'),
    async (_req, res) => {
      const { id } = res.locals.params as { id: string };
      const { kind } = res.locals.body as { kind: 'invitation' | 'reminder' };
      res.status(202).json(await requestSend(actorOf(res), config, id, kind));
    },
  );

  apiRoute(
    api,
    { method: 'delete', path: '/api/campaigns/:id/contacts', tags, summary: 'Delete the contacts of a closed campaign (the counts are kept)', access: ADMIN, params: idParams, response: countsOut },
    requireRole('admin'),
    async (_req, res) => {
      res.json(await deleteContacts(actorOf(res), config, (res.locals.params as { id: string }).id));
    },
  );
}
