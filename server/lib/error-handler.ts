// The one error path: AppError keeps its status; parser and cast errors become 4xx; anything else is a
// 500 that leaks nothing. Pages get the error view, /api/* gets { error: { code, message } }.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import mongoose from 'mongoose';
import { z } from 'zod';
import type { Logger } from 'pino';
import { AppError, notFound } from './errors.js';
import { validationError } from './validate.js';
import { hasKey, isLang, translate } from './i18n/index.js';

interface HttpishError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
}

/** Maps any thrown value to an AppError. Exported so the socket dispatcher uses the same mapping. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof z.ZodError) return validationError(err);
  if (err instanceof mongoose.Error.CastError) return new AppError(400, 'bad_request', `The value given for "${err.path}" is not valid.`);
  if (err instanceof mongoose.Error.ValidationError) {
    const first = Object.values(err.errors)[0];
    return new AppError(400, 'validation_failed', first ? `${first.path}: ${first.message}` : 'The data is not valid.');
  }
  if (err instanceof mongoose.Error.MongooseServerSelectionError || isConnectionError(err)) {
    return new AppError(503, 'unavailable', 'The database is briefly unavailable. Please try again in a few seconds.', undefined, 5);
  }
  const h = (typeof err === 'object' && err !== null ? err : {}) as HttpishError;
  const status = h.status ?? h.statusCode;
  if (h.type === 'entity.too.large') return new AppError(413, 'payload_too_large', 'The request is too large.');
  if (h.type === 'entity.parse.failed') return new AppError(400, 'malformed_json', 'The request body is not valid JSON.');
  if (h.type === 'charset.unsupported' || h.type === 'encoding.unsupported') return new AppError(415, 'unsupported_encoding', 'Send the request as UTF-8.');
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new AppError(status, 'bad_request', h.expose && err instanceof Error ? err.message : 'The request could not be understood.');
  }
  return new AppError(500, 'internal', 'Something went wrong on our side. Please try again later.');
}

function isConnectionError(err: unknown): boolean {
  const name = (err as { name?: string } | null)?.name ?? '';
  return /MongoNetworkError|MongoNotConnectedError|MongoPoolClosedError|MongoTopologyClosedError|MongoNetworkTimeoutError/.test(name);
}

export function isApiRequest(path: string): boolean {
  return path === '/api' || path.startsWith('/api/');
}

const NOT_FOUND = 'The page or resource you asked for does not exist.';
export const notFoundHandler: RequestHandler = (_req, _res, next) => next(notFound(NOT_FOUND));

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    const appError = toAppError(err);
    if (appError.status >= 500 && appError.code === 'internal') logger.error({ err }, 'unhandled error');
    if (res.headersSent) return next(err);
    if (appError.retryAfter) res.set('Retry-After', String(appError.retryAfter));
    res.status(appError.status);
    if (isApiRequest(req.path) || !req.accepts('html')) {
      res.json({ error: { code: appError.code, message: appError.message, ...(appError.details ? { details: appError.details } : {}) } });
      return;
    }
    // Pages show the catalogue's wording of an error when it has one, in the visitor's language.
    const lang = isLang(res.locals.lang) ? res.locals.lang : 'kk';
    const textKey = `errors.${appError.code}.text`;
    const message = hasKey(lang, textKey) ? translate(lang, textKey) : appError.message;
    // A service's own message says what exactly went wrong (in English, as services write them): it is
    // kept under the translated text, except where it says nothing more than the text.
    const specific = appError.code !== 'internal' && appError.message !== NOT_FOUND && appError.message !== message;
    const detail = specific ? appError.message : undefined;
    res.render('error', { title: appError.status, status: appError.status, code: hasKey(lang, `errors.${appError.code}.title`) ? appError.code : 'bad_request', message, detail, detailOpen: lang === 'en', respondent: res.locals.respondent });
  };
}
