import { createHash } from 'node:crypto';
import type { Middleware } from 'koa';
import { AppError } from '../../domain/errors';
import type { Cache } from '../../infra/cache';
import type { AppState } from '../http/state';

/** How long a stored answer is replayed. */
const TTL_SECONDS = 24 * 3600;
/** How long a first request may run before a retry with the same key may proceed. */
const LOCK_SECONDS = 120;
const KEY = /^[\x21-\x7e]{1,255}$/;

interface Stored {
  fingerprint: string;
  status: number;
  body: unknown;
}

/**
 * `Idempotency-Key` (API.md): the same key with the same body answers the first response again and does
 * nothing twice; with another body it is a 422; while the first request still runs, a 409. Keys are per
 * caller and per route, kept in Redis for a day. Only successful answers are stored: after a failure the
 * client may retry with the same key.
 */
export function idempotency(cache: Cache): Middleware<AppState> {
  return async (ctx, next) => {
    const key = ctx.get('idempotency-key');
    if (!key) {
      await next();
      return;
    }
    if (!KEY.test(key))
      throw new AppError(400, 'validation_failed', 'The request is not valid.', [
        { path: 'header.Idempotency-Key', message: 'use 1-255 visible ASCII characters' },
      ]);
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([ctx.method, ctx.path, (ctx.request as { body?: unknown }).body ?? null]))
      .digest('hex');
    const redisKey = `idem:${ctx.state.user.id}:${ctx.method}:${ctx.path}:${key}`;
    const lockKey = `${redisKey}:lock`;
    await cache.ready();

    const replay = async (): Promise<boolean> => {
      const raw = await cache.redis.get(redisKey);
      if (!raw) return false;
      const stored = JSON.parse(raw) as Stored;
      if (stored.fingerprint !== fingerprint) {
        throw new AppError(422, 'idempotency_key_reused', 'This Idempotency-Key was used with a different request.');
      }
      ctx.status = stored.status;
      ctx.body = stored.body;
      ctx.set('Idempotent-Replayed', 'true');
      return true;
    };

    if (await replay()) return;
    const locked = await cache.redis.set(lockKey, fingerprint, 'EX', LOCK_SECONDS, 'NX');
    if (locked !== 'OK') {
      if (await replay()) return;
      throw new AppError(
        409,
        'idempotency_in_progress',
        'A request with this Idempotency-Key is still being processed.',
        undefined,
        { 'Retry-After': '1' },
      );
    }
    try {
      await next();
      if (ctx.status < 300) {
        const stored: Stored = { fingerprint, status: ctx.status, body: ctx.body };
        await cache.redis.set(redisKey, JSON.stringify(stored), 'EX', TTL_SECONDS);
      }
    } finally {
      await cache.redis.del(lockKey);
    }
  };
}
