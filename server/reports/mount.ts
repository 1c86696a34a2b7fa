// Mounts the reports feature: its pages on the app and its API (files and report jobs) on /api.
import type { Express, Router } from 'express';
import type { Analytics } from '../analytics/service.js';
import { reportsApi } from './api.js';
import { reportPagesRouter } from './routes.js';
import type { ReportsService } from './service.js';

export function mountReports(app: Express, api: Router, analytics: Analytics, reports: ReportsService): void {
  reportsApi(api, reports);
  app.use(reportPagesRouter(analytics, reports));
}
