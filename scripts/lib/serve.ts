import type { Server } from 'node:http';
import type Koa from 'koa';
import { createInfra } from '../../infra';
import type { Config } from '../../infra/config';
import type { ApiDeps } from '../../api/deps';
import type { AppState } from '../../api/http/state';

/** Starts one API on its port; returns the shutdown function. */
export async function serve(
  name: string,
  config: Config,
  port: number,
  build: (deps: ApiDeps) => Koa<AppState>,
): Promise<() => Promise<void>> {
  const infra = createInfra(config, name);
  const app = build(infra);
  const server: Server = app.listen(port, config.HOST);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  infra.logger.info({ port, host: config.HOST }, `${name} listening on http://${config.HOST}:${port} (docs at /docs)`);
  return async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await infra.close();
  };
}
