// The one parser for multipart forms (file uploads, and forms too large for the urlencoded limit):
// multer in memory with limits, its errors turned into AppErrors that say which limit was passed, then
// `verify` (the CSRF check, which can only read the token once the body is parsed).
import type { Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import { AppError } from './errors.js';

export interface UploadSpec {
  /** The file field, if the form sends a file (at most one). */
  file?: string;
  maxFileBytes?: number;
  /** Largest text field. */
  maxFieldBytes: number;
  /** Most text fields. */
  maxFields: number;
}

/** "2 MB" for 2 × 1024² bytes as for 2,000,000 (whichever the limit was written in). */
function size(bytes: number): string {
  const mb = bytes % 1_048_576 === 0 ? bytes / 1_048_576 : bytes / 1_000_000;
  return mb >= 1 ? `${Math.round(mb * 10) / 10} MB` : `${Math.round(bytes / 1000)} kB`;
}

function uploadError(err: unknown, spec: UploadSpec): AppError {
  if (!(err instanceof multer.MulterError)) return new AppError(400, 'bad_upload', 'The form could not be read (the upload was cut off or is not a form); send it again.');
  switch (err.code) {
    case 'LIMIT_FILE_SIZE':
      return new AppError(413, 'payload_too_large', `The file is larger than ${size(spec.maxFileBytes ?? 0)}; split it into smaller files.`);
    case 'LIMIT_FIELD_VALUE':
      return new AppError(413, 'payload_too_large', `A field of the form is longer than ${size(spec.maxFieldBytes)}.`);
    case 'LIMIT_FILE_COUNT':
    case 'LIMIT_UNEXPECTED_FILE':
      return new AppError(400, 'bad_upload', spec.file ? `Send at most one file, in the field "${spec.file}".` : 'This form takes no file.');
    case 'LIMIT_FIELD_COUNT':
    case 'LIMIT_PART_COUNT':
      return new AppError(413, 'payload_too_large', `The form has more than ${spec.maxFields} fields.`);
    default:
      return new AppError(400, 'bad_upload', 'The form could not be read; send it again.');
  }
}

/** Parses a multipart body by `spec` (other bodies pass untouched), then runs `verify`. */
export function multipartBody(spec: UploadSpec, verify: (req: Request, res: Response) => void): RequestHandler {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: spec.maxFileBytes ?? 0, files: spec.file ? 1 : 0, fields: spec.maxFields, fieldSize: spec.maxFieldBytes, parts: spec.maxFields + (spec.file ? 1 : 0), fieldNameSize: 300 },
  });
  const parse = spec.file ? upload.single(spec.file) : upload.none();
  return (req, res, next) => {
    if (!req.is('multipart/form-data')) return next();
    parse(req, res, (err: unknown) => {
      if (err) return next(uploadError(err, spec));
      try {
        verify(req, res);
        next();
      } catch (refused) {
        next(refused);
      }
    });
  };
}

/** The uploaded file's text, if one was sent and is not empty (UTF-8, byte-order mark removed). */
export function uploadedText(file: Express.Multer.File | undefined): string | undefined {
  if (!file || file.size === 0) return undefined;
  return file.buffer.toString('utf8').replace(/^\uFEFF/, '');
}
