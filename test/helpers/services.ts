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
