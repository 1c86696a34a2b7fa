// Instrument forms post multipart/form-data: a definition (and its texts in three languages) outgrows the
// app-wide 100 kB urlencoded limit, and imports upload a file. Parsed here with a 1 MB limit; the CSRF token
// is checked once the body is read (the app-wide check only reads urlencoded forms).
import type { RequestHandler } from 'express';
import multer from 'multer';
import { checkCsrfToken, CSRF_FIELD } from '../accounts/csrf.js';
import { AppError } from '../lib/errors.js';

export const FORM_LIMIT_BYTES = 1_000_000;

const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fieldSize: FORM_LIMIT_BYTES, fileSize: FORM_LIMIT_BYTES, files: 1, fields: 4000, parts: 4001, fieldNameSize: 300 },
});

const TOO_LARGE = new Set(['LIMIT_FILE_SIZE', 'LIMIT_FIELD_VALUE', 'LIMIT_PART_COUNT', 'LIMIT_FIELD_COUNT']);

function withCsrf(parse: RequestHandler): RequestHandler {
  return (req, res, next) => {
    if (!req.is('multipart/form-data')) return next(); // urlencoded forms were parsed and checked app-wide
    parse(req, res, (err: unknown) => {
      if (err instanceof multer.MulterError) {
        return next(TOO_LARGE.has(err.code) ? new AppError(413, 'payload_too_large', 'The form is too large (at most 1 MB).') : new AppError(400, 'bad_request', 'The form could not be read.'));
      }
      if (err) return next(err);
      try {
        checkCsrfToken(req, res, (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD]);
        next();
      } catch (csrf) {
        next(csrf);
      }
    });
  };
}

/** Text fields only. */
export const formFields: RequestHandler = withCsrf(upload.none());
/** Text fields and at most one file in the field "file". */
export const formWithFile: RequestHandler = withCsrf(upload.single('file'));

/** The uploaded file's text, if one was sent and is not empty. */
export function uploadedText(file: Express.Multer.File | undefined): string | undefined {
  if (!file || file.size === 0) return undefined;
  return file.buffer.toString('utf8').replace(/^\uFEFF/, '');
}
