import { initModels } from '../models';
import { TokenService } from './auth';
import { Cache } from './cache';
import type { Config } from './config';
import { Database } from './db';
import { EventBus } from './kafka';
import { createLogger, type Logger } from './logger';
import { SearchEngine } from './search';
import { ObjectStorage } from './storage';
import { TemporalClient } from './temporal';

/** Every external system's client for one process, built from one configuration. */
export interface Infra {
  config: Config;
  logger: Logger;
  db: Database;
  cache: Cache;
  kafka: EventBus;
  search: SearchEngine;
  storage: ObjectStorage;
  temporal: TemporalClient;
  tokens: TokenService;
  /** Closes every client; safe to call once at shutdown. */
  close(): Promise<void>;
}

/** Builds the clients. Nothing connects yet: each connects on first use, so a process can start while a dependency is down. */
export function createInfra(config: Config, name: string, logger: Logger = createLogger(config, name)): Infra {
  const db = new Database(config, logger);
  initModels(db.sequelize);
  const cache = new Cache(config);
  const kafka = new EventBus(config, logger);
  const search = new SearchEngine(config);
  const storage = new ObjectStorage(config);
  const temporal = new TemporalClient(config);
  const tokens = new TokenService(config);
  return {
    config,
    logger,
    db,
    cache,
    kafka,
    search,
    storage,
    temporal,
    tokens,
    async close() {
      const results = await Promise.allSettled([
        db.close(),
        cache.close(),
        kafka.close(),
        search.close(),
        temporal.close(),
      ]);
      for (const r of results)
        if (r.status === 'rejected') logger.warn({ err: r.reason }, 'error while closing a client');
    },
  };
}
