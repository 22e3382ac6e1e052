/**
 * The one error type the application raises on purpose. The HTTP edge renders it as RFC 9457
 * problem+json; anything else that escapes a handler is an unexpected 500.
 */
export interface FieldError {
  /** Dotted path of the offending input, e.g. `body.steps.0.mode` or `query.limit`. */
  path: string;
  message: string;
}

export class AppError extends Error {
  override readonly name = 'AppError';

  constructor(
    /** HTTP status the edge answers with. */
    readonly status: number,
    /** Stable, machine-readable code clients may switch on (`not_found`, `validation_failed`, ...). */
    readonly code: string,
    message: string,
    /** Per-field problems for validation failures. */
    readonly errors?: FieldError[],
    /** Extra headers to send with the problem (e.g. `Retry-After`, `WWW-Authenticate`). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, errors?: FieldError[]) =>
  new AppError(400, errors ? 'validation_failed' : 'bad_request', message, errors);
export const unauthorized = (message = 'A valid bearer token is required.') =>
  new AppError(401, 'unauthorized', message, undefined, { 'WWW-Authenticate': 'Bearer' });
export const forbidden = (message = 'You are not allowed to do this.') => new AppError(403, 'forbidden', message);
export const notFound = (what = 'Resource') => new AppError(404, 'not_found', `${what} not found.`);
export const conflict = (message: string, code = 'conflict') => new AppError(409, code, message);
