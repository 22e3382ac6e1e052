import { OAuthError, type AuthService } from './service';
import { me, oauthError, tokenRequest, tokenResponse } from './schema';
import { presentMe } from '../people/presenter';
import type { PeopleService } from '../people/service';
import type { RouteBuilder } from '../http/route';

/** `POST /auth/token` (OAuth2 grants). Only the Ticket API issues tokens. */
export function tokenRoutes(routes: RouteBuilder, auth: AuthService): void {
  routes.route({
    method: 'post',
    path: '/auth/token',
    auth: 'public',
    tags: ['Auth'],
    summary: 'Issue an access token',
    description:
      'OAuth2 token endpoint (RFC 6749): `password`, `refresh_token` and `client_credentials` grants, as form fields or JSON. ' +
      'Refresh tokens rotate on every use; reusing one revokes the whole family. Failed attempts are rate limited per username and address.',
    body: tokenRequest,
    documentOnlyBody: true,
    bodyTypes: ['application/x-www-form-urlencoded', 'application/json'],
    responses: {
      200: { description: 'Token issued.', schema: tokenResponse },
      400: {
        description: 'OAuth2 error: invalid_request, invalid_grant or unsupported_grant_type.',
        schema: oauthError,
      },
      401: { description: 'OAuth2 error: invalid_client.', schema: oauthError },
      429: { description: 'Too many attempts; see Retry-After.' },
    },
    handler: async (ctx, { body }) => {
      ctx.set('Cache-Control', 'no-store');
      const grantType = (body as { grant_type?: unknown }).grant_type;
      const parsed = tokenRequest.safeParse(body);
      if (!parsed.success) {
        const known =
          typeof grantType === 'string' && ['password', 'refresh_token', 'client_credentials'].includes(grantType);
        ctx.status = 400;
        ctx.body =
          known || grantType === undefined
            ? {
                error: 'invalid_request',
                error_description: parsed.error.issues
                  .map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)
                  .join('; '),
              }
            : {
                error: 'unsupported_grant_type',
                error_description: `grant_type ${typeof grantType === 'string' ? grantType : JSON.stringify(grantType)} is not supported`,
              };
        return;
      }
      try {
        ctx.body = await auth.grant(parsed.data, ctx.ip);
      } catch (err) {
        if (!(err instanceof OAuthError)) throw err;
        ctx.status = err.status;
        if (err.status === 401) ctx.set('WWW-Authenticate', 'Basic realm="token"');
        ctx.body = { error: err.error, error_description: err.description };
      }
    },
  });
}

/** Options for {@link meRoutes}. */
export interface MeRouteOptions {
  /** OpenAPI description of `GET /auth/me`, e.g. where a service that issues no tokens gets them from. */
  description?: string;
}

/** `GET /auth/me`: the authenticated caller. Mounted by both APIs, since both accept the same tokens. */
export function meRoutes(routes: RouteBuilder, people: PeopleService, options: MeRouteOptions = {}): void {
  routes.route({
    method: 'get',
    path: '/auth/me',
    tags: ['Auth'],
    summary: 'The caller',
    description: options.description,
    responses: { 200: { description: 'The authenticated user.', schema: me } },
    handler: async (ctx) => {
      ctx.body = presentMe(await people.getUser(ctx.state.user.id));
    },
  });
}
