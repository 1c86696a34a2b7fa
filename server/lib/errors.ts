// Expected failures carry a status, a stable code and a message a person can act on.
// The one error handler (error-handler.ts) turns them, and everything else, into responses.
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Seconds after which a retry may succeed (sent as Retry-After). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string, details?: unknown) => new AppError(400, 'bad_request', message, details);
export const unauthorized = (message = 'Please sign in.') => new AppError(401, 'unauthorized', message);
export const forbidden = (message = 'You do not have access to this.') => new AppError(403, 'forbidden', message);
export const notFound = (message = 'Not found.') => new AppError(404, 'not_found', message);
export const conflict = (message: string, code = 'conflict') => new AppError(409, code, message);
/** A form post whose token does not match this browser's (expired, or sent from another site). */
export const csrfError = () => new AppError(403, 'csrf', 'The form has expired; reload the page and try again.');
export const unavailable = (message = 'The service is briefly unavailable. Please try again in a few seconds.', retryAfter = 5) =>
  new AppError(503, 'unavailable', message, undefined, retryAfter);
