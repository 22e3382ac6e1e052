import pino, { type Logger } from 'pino';
import type { Config } from './config';

export type { Logger };

/**
 * One pino logger per process. Secrets that can appear in logged objects are redacted.
 * `pino-pretty` is only used when a developer pipes the output through it; the process always writes JSON.
 */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, name: string): Logger {
  return pino({
    name,
    level: config.LOG_LEVEL,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        '*.password',
        '*.client_secret',
        '*.refresh_token',
        '*.access_token',
      ],
      censor: '[redacted]',
    },
  });
}
