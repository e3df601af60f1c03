import pg from 'pg';

/**
 * Suites that need a real PostgreSQL skip where none is reachable (a laptop with only Node), saying
 * why. CI sets PARLEY_REQUIRE_SERVICES=true, and there a missing service fails the run instead.
 */
export const POSTGRES_URL = process.env.PARLEY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const required = process.env.PARLEY_REQUIRE_SERVICES === 'true';

export async function postgresAvailable(): Promise<{ ok: true } | { ok: false; why: string }> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return { ok: true };
  } catch (e) {
    const why = `PostgreSQL not reachable at ${POSTGRES_URL.replace(/:[^:@/]*@/, ':***@')}: ${(e as Error).message}`;
    if (required) throw new Error(`${why} (PARLEY_REQUIRE_SERVICES=true: this suite must not skip)`);
    console.warn(`skipping PostgreSQL suite: ${why}`);
    return { ok: false, why };
  } finally {
    await client.end().catch(() => {});
  }
}

/** A fresh schema per run so parallel or repeated runs never see each other's rows. */
export async function freshPostgresSchema(name: string): Promise<string> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`drop schema if exists ${name} cascade`);
  await client.query(`create schema ${name}`);
  await client.end();
  const url = new URL(POSTGRES_URL);
  url.searchParams.set('options', `-c search_path=${name}`);
  return url.toString();
}

export async function dropPostgresSchema(name: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`drop schema if exists ${name} cascade`);
  await client.end();
}

/** Suites that need a real Redis skip (or, with PARLEY_REQUIRE_SERVICES=true, fail) where none answers. */
export const REDIS_URL = process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export async function redisAvailable(): Promise<{ ok: true } | { ok: false; why: string }> {
  const { Redis } = await import('ioredis');
  const client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2000, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return { ok: true };
  } catch (e) {
    const why = `Redis not reachable at ${REDIS_URL.replace(/:[^:@/]*@/, ':***@')}: ${(e as Error).message}`;
    if (required) throw new Error(`${why} (PARLEY_REQUIRE_SERVICES=true: this suite must not skip)`);
    console.warn(`skipping Redis suite: ${why}`);
    return { ok: false, why };
  } finally {
    client.disconnect();
  }
}

/** A Redis key prefix no other test (or helper running in parallel) uses; delete its keys with `dropRedisPrefix`. */
export function freshRedisPrefix(name: string): string {
  return `ptest-${name}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export async function dropRedisPrefix(prefix: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const client = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  client.on('error', () => {});
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}
