import { STATUS_CODES } from 'node:http';
import type { Middleware } from 'koa';
import { AppError, type FieldError } from '../../domain/errors';
import type { AppState } from './state';

export const PROBLEM_TYPE = 'application/problem+json';

interface HttpishError extends Error {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  type?: string;
  headers?: Record<string, string>;
}

/** Maps anything thrown below it to an AppError (client mistakes) or leaves it as an unexpected error. */
export function toAppError(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  const e = err as HttpishError;
  const status = e?.status ?? e?.statusCode;
  const name = e?.name ?? '';
  if (name === 'SequelizeUniqueConstraintError')
    return new AppError(409, 'already_exists', 'A resource with these values already exists.');
  if (name === 'SequelizeForeignKeyConstraintError')
    return new AppError(400, 'invalid_reference', 'A referenced resource does not exist.');
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  switch (status) {
    case 401:
      return new AppError(401, 'unauthorized', describeAuthError(e), undefined, { 'WWW-Authenticate': 'Bearer' });
    case 413:
      return new AppError(413, 'payload_too_large', 'The request body is too large.');
    case 415:
      return new AppError(415, 'unsupported_media_type', e.expose ? e.message : 'Unsupported content type.');
    case 400:
      if (e.type === 'entity.parse.failed' || /JSON|Unexpected token|parse/i.test(e.message)) {
        return new AppError(400, 'malformed_body', 'The request body is not valid JSON.');
      }
      return new AppError(400, 'bad_request', e.expose ? e.message : 'Bad request.');
    case 404:
      return new AppError(404, 'not_found', 'No such resource.');
    case 405:
      return new AppError(405, 'method_not_allowed', e.message || 'Method not allowed.', undefined, e.headers);
    default:
      return new AppError(
        status,
        STATUS_CODES[status]?.toLowerCase().replace(/\W+/g, '_') ?? 'client_error',
        e.expose ? e.message : (STATUS_CODES[status] ?? 'Client error'),
      );
  }
}

function describeAuthError(e: HttpishError & { originalError?: Error }): string {
  const reason = e.originalError?.message ?? e.message;
  if (/not found/i.test(reason)) return 'A bearer token is required.';
  if (/expired/i.test(reason)) return 'The token has expired.';
  return `The token is not valid${reason && reason !== 'Authentication Error' ? `: ${reason}` : ''}.`;
}

/** Renders an AppError as RFC 9457 problem+json. */
export function renderProblem(ctx: Parameters<Middleware<AppState>>[0], error: AppError): void {
  ctx.status = error.status;
  for (const [name, value] of Object.entries(error.headers ?? {})) ctx.set(name, value);
  ctx.type = PROBLEM_TYPE;
  const body: Record<string, unknown> = {
    type: `/problems/${error.code}`,
    title: STATUS_CODES[error.status] ?? 'Error',
    status: error.status,
    detail: error.message,
    code: error.code,
    instance: ctx.path,
    requestId: ctx.state.requestId,
  };
  if (error.errors) body.errors = error.errors satisfies FieldError[];
  ctx.body = body;
}

/**
 * Outermost error boundary: client mistakes become 4xx problems; anything else is logged and answered
 * with a 500 that reveals nothing internal.
 */
export function errorHandler(): Middleware<AppState> {
  return async (ctx, next) => {
    try {
      await next();
      // Routers answer unknown paths and methods with a bare status; give those a problem body too.
      if (ctx.body === undefined || ctx.body === null) {
        if (ctx.status === 404) renderProblem(ctx, new AppError(404, 'not_found', 'No such resource.'));
        else if (ctx.status === 405)
          renderProblem(ctx, new AppError(405, 'method_not_allowed', `Allowed methods: ${ctx.response.get('Allow')}.`));
        else if (ctx.status === 501)
          renderProblem(ctx, new AppError(501, 'not_implemented', 'Method not implemented.'));
      }
    } catch (err) {
      const appError = toAppError(err);
      if (appError) {
        if (appError.status >= 500) ctx.state.log?.error({ err }, 'request failed');
        renderProblem(ctx, appError);
        return;
      }
      ctx.state.log?.error({ err }, 'unhandled error');
      renderProblem(
        ctx,
        new AppError(500, 'internal_error', 'Something went wrong on our side; the request id helps us find it.'),
      );
    }
  };
}
