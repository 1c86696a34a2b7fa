// How the app mounts blind credentials: the public verification page and its JSON. (Issuance and spending
// are respondent routes: respond/api.ts and the submission service.)
import type { Express, Router } from 'express';
import { credentialsApiRouter } from './api.js';
import { credentialsPagesRouter } from './routes.js';
import type { CredentialService } from './service.js';

export function mountCredentials(app: Express, api: Router, credentials: CredentialService): void {
  app.use(credentialsPagesRouter(credentials));
  api.use(credentialsApiRouter(credentials));
}
