// Mounts the councils feature: its pages (councils, meetings, actions, indicators, ESG map, calendar) on the
// app and its JSON API on /api. What other features show of it (meeting mode's "add to the agenda", "you
// said, we did", overdue flags) is handed to them by features.ts as functions.
import type { Express, Router } from 'express';
import type { Analytics } from '../analytics/service.js';
import { actionPages } from './action-routes.js';
import { councilsApi } from './api.js';
import type { CouncilChanges } from './changes.js';
import { indicatorPages } from './indicator-routes.js';
import { meetingPages } from './meeting-routes.js';
import { councilPages } from './routes.js';

export function mountCouncils(app: Express, api: Router, analytics: Analytics, changes: CouncilChanges): void {
  councilsApi(api, analytics, changes);
  app.use(councilPages(analytics, changes));
  app.use(meetingPages(analytics, changes));
  app.use(actionPages(analytics, changes));
  app.use(indicatorPages(analytics, changes));
}

export { agendaTargets } from './meeting-routes.js';
export { publicActionsFor } from './public-actions.js';
export { overdueActions } from './actions-service.js';
export { attentionFor } from './attention.js';
