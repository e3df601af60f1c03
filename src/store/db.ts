import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresAdapter, PostgresDialect, SqliteDialect, sql, type Dialect, type SqliteDatabase } from 'kysely';
import type { Database } from './schema.js';
import { migrationProvider } from './migrations.js';
import { registerWrites, watchWrites, WriteGeneration } from './write-watch.js';

/**
 * The database holds encrypted credentials and transcripts, token hashes and account settings: it is
 * readable by its owner only, like the key file beside it. Directories Parley creates are 0700; the
 * database file is created 0600 before SQLite opens it (SQLite gives its -wal and -shm files the
 * database file's mode), and files of an older Parley are tightened to 0600.
 */
function prepareDatabaseFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) {
    if (existsSync(file) && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  }
}

/**
 * The dialect is chosen from the URL and nothing else: SQLite (embedded, default) or Postgres.
 * Everything above this file speaks Kysely and is dialect-agnostic.
 */
export function openDatabase(url: string): Kysely<Database> {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length) || ':memory:';
    if (path !== ':memory:') prepareDatabaseFile(path);
    const sqlite = new SQLite(path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('mmap_size = 268435456');
    return watched(new SqliteDialect({ database: withStatementCache(sqlite) }));
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    return watched(new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 10 }) }));
  }
  throw new Error(`PARLEY_DATABASE_URL must start with sqlite: or postgres:// (got "${url.split(':')[0]}:")`);
}

/** A Kysely over `dialect` whose writes are counted (`writesOf(db)`, for the answers kept in memory). */
function watched(dialect: Dialect): Kysely<Database> {
  const writes = new WriteGeneration();
  const db = new Kysely<Database>({ dialect: watchWrites(dialect, writes) });
  registerWrites(db, writes);
  return db;
}

/**
 * Kysely prepares every query afresh; the same few queries (token, account, sync state lookups) run
 * on every request, and preparing costs as much as running them. Statements are kept per SQL text
 * (least recently used out first); better-sqlite3 runs one statement at a time, synchronously, so a
 * shared statement is never busy when reused.
 */
function withStatementCache(sqlite: SQLite.Database, max = 256): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    prepare(sql: string) {
      let stmt = statements.get(sql);
      if (stmt) {
        statements.delete(sql);
      } else {
        stmt = sqlite.prepare(sql);
        if (statements.size >= max) statements.delete(statements.keys().next().value as string);
      }
      statements.set(sql, stmt);
      return stmt as unknown as ReturnType<SqliteDatabase['prepare']>;
    },
    close() {
      statements.clear();
      sqlite.close();
    },
  };
}

export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  // On Postgres, Kysely looks for its migration tables across schemas unless told which one: name
  // the current schema (search_path), so two Parleys in two schemas of one database never collide.
  let migrationTableSchema: string | undefined;
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
    migrationTableSchema = rows[0]?.schema;
  }
  const migrator = new Migrator({ db, provider: migrationProvider, migrationTableSchema });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}
