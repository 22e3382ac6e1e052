import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from '../../infra/logger';
import type { AppState } from '../http/state';

const VALID_ID = /^[\w.:-]{1,128}$/;

/**
 * Gives every request an id (the caller's `X-Request-Id` when it is sane, a new UUID otherwise),
 * echoes it back, and logs one line per request with its outcome and duration.
 */
export function requestContext(logger: Logger): Middleware<AppState> {
  return async (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    const requestId = VALID_ID.test(incoming) ? incoming : randomUUID();
    const started = process.hrtime.bigint();
    ctx.state.requestId = requestId;
    ctx.state.log = logger.child({ requestId });
    ctx.set('X-Request-Id', requestId);
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const line = {
        method: ctx.method,
        path: ctx.path,
        status: ctx.status,
        ms: Math.round(ms * 10) / 10,
        userId: ctx.state.user?.id,
      };
      if (ctx.status >= 500) ctx.state.log.error(line, 'request');
      else if (ctx.path.startsWith('/healthz') || ctx.path.startsWith('/readyz')) ctx.state.log.debug(line, 'request');
      else ctx.state.log.info(line, 'request');
    }
  };
}
