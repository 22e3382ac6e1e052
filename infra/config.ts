import { z } from 'zod';
import { parseDuration } from '../domain/duration';

/**
 * All configuration comes from environment variables, read once at start-up. Every variable has a
 * default that matches the native stack started by `scripts/stack.sh`, except secrets, which must be
 * set in production. A bad value stops start-up with a message that names the variable.
 *
 * The README's configuration table is generated from {@link CONFIG_DOCS}; keep the two together.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();
const duration = z.string().refine((v) => parseDuration(v) !== undefined, {
  message: 'must be an ISO 8601 duration such as PT15M or P3D',
});
const url = z.string().url();
const list = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
const byteSize = z
  .string()
  .regex(/^\d+(b|kb|mb|gb)?$/i, 'must be a byte size such as 1mb or 26214400')
  .transform((v) => {
    const m = /^(\d+)(b|kb|mb|gb)?$/i.exec(v)!;
    const unit = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(m[2] ?? 'b').toLowerCase() as 'b'];
    return Number(m[1]) * unit;
  });

const DEV_JWT_SECRET = 'dev-only-secret-change-me-0123456789abcdef';
const DEV_ADMIN_PASSWORD = 'admin-dev-password';

/** name -> [schema, default (undefined = optional), description] */
const VARS = {
  NODE_ENV: [
    z.enum(['development', 'test', 'production']),
    'development',
    'Runtime mode; `production` requires real secrets.',
  ],
  LOG_LEVEL: [z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info', 'pino log level.'],
  HOST: [z.string().min(1), '127.0.0.1', 'Interface the APIs listen on (`0.0.0.0` in containers).'],
  TICKET_API_PORT: [port, '8000', 'Ticket API port.'],
  KNOWLEDGE_API_PORT: [port, '8001', 'Knowledge API port.'],
  TRUST_PROXY: [bool, 'false', 'Trust `X-Forwarded-*` headers (set behind a reverse proxy) for client addresses.'],
  PUBLIC_BASE_URL: [url.optional(), undefined, 'External base URL used in links (defaults to http://HOST:PORT).'],
  DATABASE_URL: [url, 'postgres://tk:tk@127.0.0.1:5432/tk', 'PostgreSQL connection URL.'],
  DB_POOL_MAX: [positiveInt, '10', 'Maximum PostgreSQL connections per process.'],
  DB_POOL_IDLE_MS: [positiveInt, '10000', 'Idle time before a pooled connection is closed.'],
  DB_SSL: [bool, 'false', 'Use TLS to PostgreSQL.'],
  REDIS_URL: [url, 'redis://127.0.0.1:6379/0', 'Redis URL (rate limits, idempotency keys, caches).'],
  KAFKA_BROKERS: [list, '127.0.0.1:9092', 'Comma-separated Kafka bootstrap brokers.'],
  KAFKA_CLIENT_ID: [z.string().min(1), 'ticket-knowledge', 'Kafka client id.'],
  KAFKA_TOPIC_PARTITIONS: [positiveInt, '3', 'Partitions for topics created at start-up.'],
  KAFKA_REPLICATION_FACTOR: [positiveInt, '1', 'Replication factor for topics created at start-up.'],
  SEARCH_URL: [url, 'http://127.0.0.1:9200', 'Elasticsearch or OpenSearch URL.'],
  SEARCH_USERNAME: [z.string().optional(), undefined, 'Search engine basic-auth user.'],
  SEARCH_PASSWORD: [z.string().optional(), undefined, 'Search engine basic-auth password.'],
  SEARCH_INDEX_PREFIX: [z.string().regex(/^[a-z0-9_-]+$/), 'tk', 'Prefix of every index and alias name.'],
  S3_ENDPOINT: [z.string().min(1), '127.0.0.1', 'S3-compatible object storage host.'],
  S3_PORT: [port, '9000', 'Object storage port.'],
  S3_USE_SSL: [bool, 'false', 'Use TLS to object storage.'],
  S3_REGION: [z.string().min(1), 'us-east-1', 'Object storage region.'],
  S3_ACCESS_KEY: [z.string().min(1), 'tkadmin', 'Object storage access key.'],
  S3_SECRET_KEY: [z.string().min(1), 'tkadmin-secret', 'Object storage secret key.'],
  S3_BUCKET: [
    z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/),
    'tk-files',
    'Bucket for attachments (created at start-up).',
  ],
  TEMPORAL_ADDRESS: [z.string().min(1), '127.0.0.1:7233', 'Temporal frontend gRPC address.'],
  TEMPORAL_NAMESPACE: [z.string().min(1), 'default', 'Temporal namespace.'],
  TEMPORAL_UI_URL: [url, 'http://127.0.0.1:8233', 'Temporal Web UI, used in links and the README.'],
  TEMPORAL_TASK_QUEUE: [z.string().min(1), 'ticket-knowledge', 'Task queue the worker polls.'],
  JWT_SECRET: [
    z.string().min(32, 'must be at least 32 characters'),
    DEV_JWT_SECRET,
    'HS256 key for tokens this service issues (required in production).',
  ],
  JWT_ISSUER: [z.string().min(1), 'ticket-knowledge', '`iss` of issued tokens, required on local tokens.'],
  JWT_AUDIENCE: [z.string().min(1), 'ticket-knowledge-api', '`aud` of issued tokens, required on local tokens.'],
  ACCESS_TOKEN_TTL: [duration, 'PT15M', 'Access-token lifetime.'],
  REFRESH_TOKEN_TTL: [duration, 'P30D', 'Refresh-token lifetime (rotated on every use).'],
  JWKS_URL: [url.optional(), undefined, 'Optional external identity provider JWKS URL.'],
  JWKS_ISSUER: [z.string().optional(), undefined, 'Required `iss` of external tokens (with JWKS_URL).'],
  JWKS_AUDIENCE: [z.string().optional(), undefined, 'Required `aud` of external tokens (with JWKS_URL).'],
  JWKS_ALGORITHMS: [list, 'RS256', 'Accepted algorithms of external tokens.'],
  JWKS_ROLES_CLAIM: [z.string().min(1), 'roles', 'Claim of external tokens that carries role names.'],
  ADMIN_USERNAME: [z.string().min(1), 'admin', 'Username of the admin created at set-up.'],
  ADMIN_PASSWORD: [
    z.string().min(8, 'must be at least 8 characters'),
    DEV_ADMIN_PASSWORD,
    'Password of the admin created at set-up (required in production).',
  ],
  LOGIN_MAX_ATTEMPTS: [positiveInt, '10', 'Failed logins allowed per username and address in LOGIN_WINDOW.'],
  LOGIN_WINDOW: [duration, 'PT15M', 'Window of the login rate limit.'],
  BODY_LIMIT: [byteSize, '1mb', 'Largest JSON or form body accepted.'],
  UPLOAD_LIMIT: [byteSize, '25mb', 'Largest attachment accepted.'],
} as const satisfies Record<string, readonly [z.ZodType, string | undefined, string]>;

type Vars = typeof VARS;
export type Config = { [K in keyof Vars]: z.output<Vars[K][0]> } & {
  /** Milliseconds, derived from the ISO durations above. */
  accessTokenTtlMs: number;
  refreshTokenTtlMs: number;
  loginWindowMs: number;
};

/** Name, default and description of every variable, for documentation. */
export const CONFIG_DOCS = Object.entries(VARS).map(([name, [, def, description]]) => ({
  name,
  default: def,
  description,
}));

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Reads and validates configuration. Throws a {@link ConfigError} naming every bad variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, [schema, def]] of Object.entries(VARS)) {
    const raw = env[name] === '' ? undefined : (env[name] ?? def);
    const parsed = (schema as z.ZodType).safeParse(raw);
    if (parsed.success) out[name] = parsed.data;
    else problems.push(`${name}=${JSON.stringify(raw)}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  const cfg = out as Config;
  if (problems.length === 0 && cfg.NODE_ENV === 'production') {
    if (cfg.JWT_SECRET === DEV_JWT_SECRET) problems.push('JWT_SECRET: must be set in production');
    if (cfg.ADMIN_PASSWORD === DEV_ADMIN_PASSWORD) problems.push('ADMIN_PASSWORD: must be set in production');
  }
  if (problems.length === 0 && cfg.JWKS_URL && (!cfg.JWKS_ISSUER || !cfg.JWKS_AUDIENCE)) {
    problems.push('JWKS_ISSUER and JWKS_AUDIENCE: required when JWKS_URL is set');
  }
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  cfg.accessTokenTtlMs = parseDuration(cfg.ACCESS_TOKEN_TTL)!;
  cfg.refreshTokenTtlMs = parseDuration(cfg.REFRESH_TOKEN_TTL)!;
  cfg.loginWindowMs = parseDuration(cfg.LOGIN_WINDOW)!;
  return cfg;
}
