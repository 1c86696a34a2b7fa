// Mounts the campaigns feature: its pages on the app and its JSON API on /api.
import { Router, type Express } from 'express';
import type { Config } from '../config.js';
import { campaignsApi } from './api.js';
import type { ResponseCounts, UnitRates } from './progress.js';
import { campaignPagesRouter } from './routes.js';

/** `counts` and `unitRates` come from analytics, through the app (campaigns never imports analytics). */
export function mountCampaigns(app: Express, api: Router, config: Config, counts: ResponseCounts, unitRates: UnitRates): void {
  campaignsApi(api, config, counts);
  app.use(campaignPagesRouter(config, counts, unitRates));
}
