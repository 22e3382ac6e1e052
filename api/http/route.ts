import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { ZodObject, ZodType, z } from 'zod';
import { badRequest, forbidden, AppError } from '../../domain/errors';
import { hasRole, type Role } from '../../domain/roles';
import { problemSchema } from './zod';
import type { AppContext, AppState } from './state';

type Infer<T> = T extends ZodType ? z.output<T> : undefined;

/** Content types a body may come in. */
export type BodyType = 'application/json' | 'application/x-www-form-urlencoded' | 'multipart/form-data';

export interface RouteSpec<
  B extends ZodType | undefined,
  Q extends ZodObject | undefined,
  P extends ZodObject | undefined,
> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Koa-style path relative to the router's prefix, e.g. `/users/:id`. */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  /** `public` routes skip authentication; everything else requires a valid bearer token. */
  auth?: 'public' | 'user';
  /** Coarse role gate checked before the handler; finer rules live in the feature's policy. */
  roles?: Role[];
  body?: B;
  /** Accepted body content types (default JSON). */
  bodyTypes?: BodyType[];
  /** A body schema may be absent from the request (an empty POST is then `{}`). */
  bodyOptional?: boolean;
  /** The body schema is for the docs only; the handler validates the raw body itself (OAuth2 errors). */
  documentOnlyBody?: boolean;
  query?: Q;
  params?: P;
  /** Extra middleware run after validation and before the handler (e.g. multipart parsing). */
  before?: Middleware<AppState>[];
  responses: Record<number, { description: string; schema?: ZodType; contentType?: string }>;
  handler: (ctx: AppContext, input: { body: Infer<B>; query: Infer<Q>; params: Infer<P> }) => Promise<void> | void;
}

const toOpenApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

function fieldErrors(where: string, error: z.ZodError) {
  return error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
  }));
}

function hasRequestBody(ctx: AppContext): boolean {
  return Boolean(ctx.get('transfer-encoding')) || Number(ctx.get('content-length') || 0) > 0;
}

/**
 * Declares routes once: each one is mounted on a Koa router with authentication, validation and the
 * role gate, and registered in the OpenAPI registry from the same zod schemas, so the served document
 * cannot drift from what the code accepts.
 */
export class RouteBuilder {
  constructor(
    private readonly router: Router<AppState>,
    private readonly registry: OpenAPIRegistry,
    private readonly authenticate: Middleware<AppState>,
    /** Prefix the router is mounted under, for the OpenAPI paths (e.g. `/api/v1`). */
    private readonly prefix: string,
  ) {}

  route<
    B extends ZodType | undefined = undefined,
    Q extends ZodObject | undefined = undefined,
    P extends ZodObject | undefined = undefined,
  >(spec: RouteSpec<B, Q, P>): this {
    this.document(spec);
    const bodyTypes = spec.bodyTypes ?? ['application/json'];
    const validate: Middleware<AppState> = async (ctx, next) => {
      const errors: { path: string; message: string }[] = [];
      const input: Record<string, unknown> = {};
      if (spec.params) {
        const r = spec.params.safeParse(ctx.params ?? {});
        if (r.success) input.params = r.data;
        else errors.push(...fieldErrors('path', r.error));
      }
      if (spec.query) {
        const r = spec.query.safeParse(ctx.query);
        if (r.success) input.query = r.data;
        else errors.push(...fieldErrors('query', r.error));
      } else if (Object.keys(ctx.query).length > 0) {
        errors.push({ path: 'query', message: `unknown parameter(s): ${Object.keys(ctx.query).join(', ')}` });
      }
      const hasBody = hasRequestBody(ctx);
      if (hasBody && ctx.is(bodyTypes) === false) {
        throw new AppError(415, 'unsupported_media_type', `Send the body as ${bodyTypes.join(' or ')}.`);
      }
      const raw = (ctx.request as { body?: unknown }).body;
      if (spec.documentOnlyBody) {
        input.body = raw ?? {};
      } else if (spec.body && !bodyTypes.includes('multipart/form-data')) {
        const value = !hasBody && spec.bodyOptional ? {} : raw;
        const r = spec.body.safeParse(value === undefined ? undefined : value);
        if (r.success) input.body = r.data;
        else errors.push(...fieldErrors('body', r.error));
      } else if (!spec.body && hasBody && raw && typeof raw === 'object' && Object.keys(raw).length > 0) {
        errors.push({ path: 'body', message: 'this endpoint takes no body' });
      }
      if (errors.length > 0) throw badRequest('The request is not valid.', errors);
      ctx.state.input = input;
      await next();
    };
    const gate: Middleware<AppState> = async (ctx, next) => {
      if (spec.roles && !hasRole(ctx.state.user, ...spec.roles)) throw forbidden();
      await next();
    };
    const handler: Middleware<AppState> = async (ctx) => {
      const input = (ctx.state as unknown as { input: { body: Infer<B>; query: Infer<Q>; params: Infer<P> } }).input;
      await spec.handler(ctx, { body: input.body, query: input.query, params: input.params });
    };
    const chain: Middleware<AppState>[] = [
      ...(spec.auth === 'public' ? [] : [this.authenticate, gate]),
      validate,
      ...(spec.before ?? []),
      handler,
    ];
    this.router.register(spec.path, [spec.method.toUpperCase()], chain as never);
    return this;
  }

  private document(spec: RouteSpec<ZodType | undefined, ZodObject | undefined, ZodObject | undefined>): void {
    const problem = (description: string) => ({
      description,
      content: { 'application/problem+json': { schema: problemSchema } },
    });
    const responses: RouteConfig['responses'] = {};
    for (const [status, r] of Object.entries(spec.responses)) {
      responses[status] = {
        description: r.description,
        ...(r.schema ? { content: { [r.contentType ?? 'application/json']: { schema: r.schema } } } : {}),
      };
    }
    responses['400'] ??= problem('Malformed or invalid input.');
    if (spec.auth !== 'public') {
      responses['401'] ??= problem('Missing or invalid bearer token.');
      responses['403'] ??= problem('Authenticated but not allowed.');
    }
    const bodyTypes = spec.bodyTypes ?? ['application/json'];
    if (spec.body) responses['415'] ??= problem('Unsupported content type.');
    this.registry.registerPath({
      method: spec.method,
      path: this.prefix + toOpenApiPath(spec.path),
      summary: spec.summary,
      description: spec.description,
      tags: spec.tags,
      security: spec.auth === 'public' ? [] : [{ bearerAuth: [] }],
      request: {
        params: spec.params,
        query: spec.query,
        body: spec.body
          ? {
              required: !spec.bodyOptional,
              content: Object.fromEntries(bodyTypes.map((t) => [t, { schema: spec.body! }])),
            }
          : undefined,
      },
      responses,
    });
  }
}
