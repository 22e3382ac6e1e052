import { SequelizeStorage, Umzug } from 'umzug';
import type { Sequelize } from 'sequelize';
import { MIGRATIONS } from '../migrations';
import type { Logger } from './logger';

/**
 * Umzug over the explicit migration list. Applied migrations are recorded in `schema_migrations`.
 * A PostgreSQL advisory lock keeps two processes (say, two API replicas starting together) from
 * migrating at once.
 */
export function createMigrator(sequelize: Sequelize, logger?: Logger) {
  return new Umzug({
    migrations: MIGRATIONS.map((m) => ({ name: m.name, up: m.up, down: m.down })),
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize, tableName: 'schema_migrations' }),
    logger: logger
      ? {
          info: (msg) => logger.info(msg, 'migration'),
          warn: (msg) => logger.warn(msg, 'migration'),
          error: (msg) => logger.error(msg, 'migration'),
          debug: (msg) => logger.debug(msg, 'migration'),
        }
      : undefined,
  });
}

const LOCK_KEY = 727_172_001;

/** Applies every pending migration under an advisory lock; returns the names applied. */
export async function migrateUp(sequelize: Sequelize, logger?: Logger): Promise<string[]> {
  return withLock(sequelize, async () => (await createMigrator(sequelize, logger).up()).map((m) => m.name));
}

/** Reverts the last `steps` migrations, newest first; returns the names reverted. */
export async function migrateDown(sequelize: Sequelize, steps = 1, logger?: Logger): Promise<string[]> {
  return withLock(sequelize, async () =>
    (await createMigrator(sequelize, logger).down({ step: steps })).map((m) => m.name),
  );
}

async function withLock<T>(sequelize: Sequelize, fn: () => Promise<T>): Promise<T> {
  // Session-level advisory locks belong to one connection, so hold a dedicated one for the duration.
  const { Client } = await import('pg');
  const config = sequelize.config;
  const client = new Client({
    host: config.host,
    port: Number(config.port),
    user: config.username,
    password: config.password ?? undefined,
    database: config.database,
  });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    return await fn();
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}
