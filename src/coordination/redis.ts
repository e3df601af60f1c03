import { Redis } from 'ioredis';

/**
 * The Redis connections of one scaled-out process (PARLEY_REDIS_URL). `commands` serves the rate
 * budgets and locks (a command fails after a few reconnect attempts instead of hanging a request);
 * `jobs` is BullMQ's, which wants commands to wait across reconnects (`maxRetriesPerRequest: null`).
 * Every key starts with `prefix:` so deployments (and tests) can share one Redis.
 */
export interface RedisConnections {
  commands: Redis;
  jobs: Redis;
  prefix: string;
  close(): Promise<void>;
}

export function connectRedis(url: string, prefix = 'parley'): RedisConnections {
  const commands = new Redis(url, { maxRetriesPerRequest: 3, connectionName: `${prefix}:commands` });
  const jobs = new Redis(url, { maxRetriesPerRequest: null, connectionName: `${prefix}:jobs` });
  // errors surface on the commands that fail; the client reconnects by itself
  commands.on('error', () => {});
  jobs.on('error', () => {});
  return {
    commands,
    jobs,
    prefix,
    async close() {
      await Promise.all([commands.quit().catch(() => commands.disconnect()), jobs.quit().catch(() => jobs.disconnect())]);
    },
  };
}
