// Builds the Express app (no listen), so tests drive it without a port and main.ts owns the process.
import cookieParser from 'cookie-parser';
import express, { Router, type Express } from 'express';
import { join } from 'node:path';
import { healthRouter } from './health/routes.js';
import { errorHandler, notFoundHandler } from './lib/error-handler.js';
import { languageMiddleware } from './lib/i18n/index.js';
import { requestLogger } from './lib/logger.js';
import { securityHeaders } from './lib/security-headers.js';
import { buildOpenApiDocument } from './lib/openapi.js';
import { projectRoot, publicDir } from './lib/paths.js';
import { useViews } from './lib/views/engine.js';
import { mountAnonymousApi, mountBeforeFeatures, mountFeatures } from './features.js';
import { instrumentsJsonParser } from './instruments/api.js';
import { rosterJsonParser } from './invitations/api.js';
import type { Services } from './services.js';

/** What the app is built from: configuration, logger and the stateful services (services.ts). */
export type AppDeps = Services;

export const BODY_LIMIT = '100kb';

export function contentSecurityPolicy(secure: boolean) {
  return {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      ...(secure ? { upgradeInsecureRequests: [] } : {}),
    },
  };
}

export function createApp(deps: AppDeps): Express {
  const { config, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  // TRUST_PROXY (off by default): behind the reverse proxy the README suggests, req.ip — and so the flood
  // and sign-in limits — see the client's address from X-Forwarded-For, not the proxy's.
  app.set('trust proxy', config.trustProxy);
  app.set('query parser', 'simple');
  // No ETag hashing of every response body: pages are per-visitor and API answers are not cached.
  app.set('etag', false);
  useViews(app, config.env === 'production');

  app.use(requestLogger(logger));
  // Referrer-Policy same-origin: with no-referrer, Chromium sends "Origin: null" on same-origin form posts, which the CSRF check must refuse.
  app.use(securityHeaders({ contentSecurityPolicy: contentSecurityPolicy(config.secureCookies), strictTransportSecurity: config.secureCookies, referrerPolicy: { policy: 'same-origin' } }));
  const json = express.json({ limit: BODY_LIMIT });
  // The anonymous respondent API (the hot path) reads no cookie and has no session or form: it runs
  // before the cookie, language, session and CSRF middleware that every page and signed-in API needs.
  mountAnonymousApi(app, json, deps);
  // Instrument definitions may be up to 1 MB; every other JSON body is limited to 100 kB.
  app.use('/api/instruments', instrumentsJsonParser);
  // A cohort roster (thousands of rows) may be up to 2 MB.
  app.use('/api/campaigns/:id/roster', rosterJsonParser);
  app.use(json);
  app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 1000 }));
  app.use(cookieParser());
  app.use(languageMiddleware(config.secureCookies));
  app.use((req, res, next) => {
    res.locals.currentUrl = req.originalUrl;
    res.locals.baseUrl = config.baseUrl;
    next();
  });

  app.use('/static', express.static(publicDir, { maxAge: config.env === 'production' ? '1d' : 0, index: false }));
  app.use('/vendor/chart.umd.min.js', (_req, res) => res.sendFile(join(projectRoot, 'node_modules/chart.js/dist/chart.umd.min.js')));
  // jsonc-parser's ES modules import each other without ".js" (written for bundlers): the fallback extension lets the browser load them as published.
  // Blind RSA signatures (RFC 9474) for the respondent's browser: Cloudflare's blindrsa-ts as published (ES modules).
  app.use('/vendor/blindrsa', express.static(join(projectRoot, 'node_modules/@cloudflare/blindrsa-ts/lib/src'), { maxAge: config.env === 'production' ? '1d' : 0, index: false, extensions: ['js'] }));
  app.use('/vendor/jsonc-parser', express.static(join(projectRoot, 'node_modules/jsonc-parser/lib/esm'), { maxAge: config.env === 'production' ? '1d' : 0, index: false, extensions: ['js'] }));
  app.use(healthRouter());
  mountBeforeFeatures(app, deps);

  const api = Router();
  api.get('/openapi.json', (_req, res) => {
    res.json(buildOpenApiDocument(config.baseUrl));
  });
  app.use('/api', api);
  mountFeatures(app, api, deps);

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
