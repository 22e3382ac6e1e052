import type { Middleware } from 'koa';
import { HttpMethodEnum, koaBody } from 'koa-body';
import type { AppState } from '../http/state';

/**
 * Parses JSON and form bodies within the configured size limit. Multipart uploads are parsed only by
 * the routes that accept files. Parse errors carry an HTTP status and are rendered as problems.
 */
export function parseBody(limitBytes: number): Middleware<AppState> {
  return koaBody({
    json: true,
    urlencoded: true,
    text: false,
    multipart: false,
    jsonLimit: limitBytes,
    formLimit: limitBytes,
    jsonStrict: true,
    parsedMethods: [HttpMethodEnum.POST, HttpMethodEnum.PUT, HttpMethodEnum.PATCH, HttpMethodEnum.DELETE],
  });
}
