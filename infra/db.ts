import { Sequelize } from 'sequelize';
import type { Config } from './config';
import type { Logger } from './logger';
import type { ReadinessCheck } from './readiness';

/** Sequelize on `pg`, with the pool sized from configuration. */
export class Database implements ReadinessCheck {
  readonly name = 'db';
  readonly sequelize: Sequelize;

  constructor(config: Pick<Config, 'DATABASE_URL' | 'DB_POOL_MAX' | 'DB_POOL_IDLE_MS' | 'DB_SSL'>, logger?: Logger) {
    this.sequelize = new Sequelize(config.DATABASE_URL, {
      dialect: 'postgres',
      logging: logger ? (sql) => logger.trace({ sql }, 'sql') : false,
      pool: { max: config.DB_POOL_MAX, min: 0, idle: config.DB_POOL_IDLE_MS, acquire: 10_000 },
      dialectOptions: config.DB_SSL ? { ssl: { require: true, rejectUnauthorized: true } } : {},
      define: { underscored: true, timestamps: true },
    });
  }

  async ready(): Promise<void> {
    await this.sequelize.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.sequelize.close();
  }
}
