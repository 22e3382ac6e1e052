import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import Router from '@koa/router';
import Koa from 'koa';
import type { ReadinessCheck } from '../infra/readiness';
import { AuthService } from './auth/service';
import type { ApiDeps } from './deps';
import { platformRouter } from './http/platform';
import { errorHandler } from './http/problem';
import { RouteBuilder } from './http/route';
import type { AppState } from './http/state';
import { authenticate } from './middleware/authenticate';
import { parseBody } from './middleware/body';
import { requestContext } from './middleware/request-context';

export const API_PREFIX = '/api/v1';

export interface AppParts {
  deps: ApiDeps;
  routes: RouteBuilder;
  auth: AuthService;
}

/**
 * The middleware stack both services share: request id and logging, problem+json errors, security
 * headers, body parsing within limits, the platform routes (health, readiness, docs) and an `/api/v1`
 * router whose routes authenticate unless marked public. `mount` adds the service's features.
 */
export function createApp(
  deps: ApiDeps,
  service: { title: string; description: string; readiness: ReadinessCheck[] },
  mount: (parts: AppParts) => void,
): Koa<AppState> {
  const app = new Koa<AppState>();
  app.proxy = deps.config.TRUST_PROXY;
  const tokens = deps.tokens;
  const auth = new AuthService(tokens, deps.cache, deps.config);
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  const api = new Router<AppState>({ prefix: API_PREFIX });
  const routes = new RouteBuilder(
    api,
    registry,
    authenticate(tokens, (claims, source) => auth.principalFor(claims, source)),
    API_PREFIX,
  );
  mount({ deps, routes, auth });

  const platform = platformRouter({
    title: service.title,
    version: '1',
    description: service.description,
    registry,
    readiness: service.readiness,
  });

  app.use(requestContext(deps.logger));
  app.use(errorHandler());
  app.use(async (ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('X-Frame-Options', 'DENY');
    await next();
  });
  app.use(platform.routes());
  app.use(parseBody(deps.config.BODY_LIMIT));
  app.use(api.routes());
  app.use(api.allowedMethods());
  return app;
}
