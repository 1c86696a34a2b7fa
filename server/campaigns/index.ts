// Mounts the campaigns feature: its pages on the app and its JSON API on /api.
import { Router, type Express } from 'express';
import type { Config } from '../config.js';
import { campaignsApi } from './api.js';
import { campaignPagesRouter } from './routes.js';

export function mountCampaigns(app: Express, api: Router, config: Config): void {
  campaignsApi(api, config);
  app.use(campaignPagesRouter(config));
}
