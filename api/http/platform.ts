import path from 'node:path';
import { OpenApiGeneratorV31, type OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import Router from '@koa/router';
import send from 'koa-send';
import { checkReadiness, type ReadinessCheck } from '../../infra/readiness';
import type { AppState } from './state';

const SWAGGER_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'));
const REDOC_BUNDLE = require.resolve('redoc/bundles/redoc.standalone.js');
const SWAGGER_FILES = new Set([
  'swagger-ui.css',
  'swagger-ui-bundle.js',
  'swagger-ui-standalone-preset.js',
  'favicon-32x32.png',
]);

/** Docs pages load only local assets; ReDoc needs blob workers and inline styles. */
const DOCS_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; worker-src 'self' blob:; script-src 'self'";

export interface PlatformOptions {
  title: string;
  version: string;
  description: string;
  registry: OpenAPIRegistry;
  readiness: ReadinessCheck[];
}

/** `/healthz`, `/readyz`, `/openapi.json`, `/docs` (Swagger UI) and `/redoc`, all public, assets served locally. */
export function platformRouter(opts: PlatformOptions): Router<AppState> {
  const router = new Router<AppState>();
  let document: unknown;
  const spec = () =>
    (document ??= new OpenApiGeneratorV31(opts.registry.definitions).generateDocument({
      openapi: '3.1.0',
      info: { title: opts.title, version: opts.version, description: opts.description },
      servers: [{ url: '/' }],
    }));

  router.get('/healthz', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok' };
  });

  router.get('/readyz', async (ctx) => {
    const report = await checkReadiness(opts.readiness);
    ctx.set('Cache-Control', 'no-store');
    ctx.status = report.ok ? 200 : 503;
    ctx.body = { status: report.ok ? 'ready' : 'unavailable', checks: report.checks };
  });

  router.get('/openapi.json', (ctx) => {
    ctx.body = spec();
  });

  router.get('/docs', (ctx) => {
    ctx.set('Content-Security-Policy', DOCS_CSP);
    ctx.type = 'html';
    ctx.body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${opts.title} - Swagger UI</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"><link rel="icon" href="/docs/assets/favicon-32x32.png"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
<script src="/docs/init.js"></script></body></html>`;
  });

  router.get('/docs/init.js', (ctx) => {
    ctx.type = 'application/javascript';
    ctx.body = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true,
  persistAuthorization: true, presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout' });`;
  });

  router.get('/docs/assets/:file', async (ctx) => {
    if (!SWAGGER_FILES.has(ctx.params.file!)) return;
    ctx.set('Cache-Control', 'public, max-age=86400');
    await send(ctx, ctx.params.file!, { root: SWAGGER_DIR });
  });

  router.get('/redoc', (ctx) => {
    ctx.set('Content-Security-Policy', DOCS_CSP);
    ctx.type = 'html';
    ctx.body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${opts.title} - ReDoc</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><redoc spec-url="/openapi.json"></redoc><script src="/redoc/redoc.standalone.js"></script></body></html>`;
  });

  router.get('/redoc/redoc.standalone.js', async (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=86400');
    await send(ctx, path.basename(REDOC_BUNDLE), { root: path.dirname(REDOC_BUNDLE) });
  });

  return router;
}
