import Redis from 'ioredis';
import type { Config } from './config';
import type { ReadinessCheck } from './readiness';

/** ioredis client. Commands fail fast while Redis is unreachable instead of queueing forever. */
export class Cache implements ReadinessCheck {
  readonly name = 'redis';
  readonly redis: Redis;

  constructor(config: Pick<Config, 'REDIS_URL'>) {
    this.redis = new Redis(config.REDIS_URL, {
      lazyConnect: true,
      maxRetriesPerRequest: 2,
      enableOfflineQueue: true,
      connectTimeout: 5000,
    });
    // Connection errors surface through commands and /readyz; without a listener ioredis would print them.
    this.redis.on('error', () => undefined);
  }

  async ready(): Promise<void> {
    if (this.redis.status === 'wait') await this.redis.connect();
    const pong: string = await this.redis.ping();
    if (pong !== 'PONG') throw new Error(`unexpected PING answer ${pong}`);
  }

  async close(): Promise<void> {
    if (this.redis.status !== 'end') await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
