import type { Middleware } from 'koa';
import koaJwt from 'koa-jwt';
import { unauthorized } from '../../domain/errors';
import type { Principal } from '../../domain/roles';
import type { AccessTokenClaims, TokenService } from '../../infra/auth';
import type { AppState } from '../http/state';

/** Resolves the user a verified token speaks for; undefined when there is none (or it is disabled). */
export type PrincipalLoader = (
  claims: AccessTokenClaims,
  source: 'local' | 'external',
) => Promise<Principal | undefined>;

/**
 * `koa-jwt` verifies signature, algorithm, `iss`, `aud` and `exp`; this adds what it does not insist on:
 * `exp` and `sub` must be present, the audience must be the one of the token's own issuer, and the user
 * must exist and be active. The principal lands on `ctx.state.user`.
 */
export function authenticate(tokens: TokenService, loadPrincipal: PrincipalLoader): Middleware<AppState> {
  const verify = koaJwt({ ...tokens.koaJwtOptions(), key: 'jwt', debug: true }) as unknown as Middleware<AppState>;
  const load: Middleware<AppState> = async (ctx, next) => {
    const claims = (ctx.state as unknown as { jwt: AccessTokenClaims }).jwt;
    if (typeof claims?.exp !== 'number') throw unauthorized('The token has no expiry (exp).');
    if (typeof claims.sub !== 'string' || claims.sub.length === 0)
      throw unauthorized('The token has no subject (sub).');
    const source = tokens.sourceOf(claims.iss);
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!source || !audiences.includes(tokens.audienceOf(source)))
      throw unauthorized('The token is not meant for this service.');
    const principal = await loadPrincipal(claims, source);
    if (!principal) throw unauthorized('The account behind this token does not exist or is disabled.');
    ctx.state.user = principal;
    await next();
  };
  return async (ctx, next) => {
    await verify(ctx, async () => {
      await load(ctx, next);
    });
  };
}
