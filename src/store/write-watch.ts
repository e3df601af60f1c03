import type { CompiledQuery, DatabaseConnection, Dialect, Driver, Kysely, QueryResult, TransactionSettings } from 'kysely';

/**
 * A counter of the writes this process has made that can change what a read answers. It moves
 * *after* the write is visible: after an autocommitted statement, or after the commit of a
 * transaction that wrote (a write inside a transaction is invisible to other connections until
 * then). So an answer computed while the counter held `n` was computed from data at least as new as
 * every write counted up to `n`, and any later write moves it past `n`.
 *
 * It sees only this process's writes; another process's (a replica, a worker, the CLI beside a
 * server) are bounded by whoever keeps answers (see src/api/warm-answers.ts).
 */
export class WriteGeneration {
  private n = 0;

  get value(): number {
    return this.n;
  }

  bump(): void {
    this.n++;
  }
}

/**
 * Tables no read answer comes from: webhook bookkeeping, connect sessions, OAuth states, the sync's
 * resume points and API tokens (checked on every request before any answer is reused). Writes to
 * them do not move the counter, so the webhook dispatcher's leases and a sync's checkpoints do not
 * throw away every kept answer.
 */
const NOT_READ = new Set(['outbox', 'webhooks', 'webhook_deliveries', 'webhook_attempts', 'connect_sessions', 'oauth_states', 'sync_checkpoints', 'api_tokens']);

const WRITE_TARGET = /^\s*(?:insert\s+(?:or\s+\w+\s+)?into|update|delete\s+from)\s+(?:"?[\w]+"?\.)?"?(\w+)"?/i;

/** Whether `sql` may change what a read answers: anything but a plain select, and writes to read tables. */
export function changesReads(sql: string): boolean {
  if (/^\s*select\b/i.test(sql)) return false;
  const target = WRITE_TARGET.exec(sql);
  return !(target && NOT_READ.has(target[1]!.toLowerCase()));
}

const generations = new WeakMap<Kysely<any>, WriteGeneration>();

/** The write counter of a database opened by `openDatabase` (undefined for any other Kysely). */
export function writesOf(db: Kysely<any>): WriteGeneration | undefined {
  return generations.get(db);
}

export function registerWrites(db: Kysely<any>, writes: WriteGeneration): void {
  generations.set(db, writes);
}

/** The same dialect, its connections counting their writes into `writes`. */
export function watchWrites(dialect: Dialect, writes: WriteGeneration): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createDriver: () => new WatchedDriver(dialect.createDriver(), writes),
  };
}

class WatchedConnection implements DatabaseConnection {
  private inTransaction = false;
  /** a write inside the open transaction: counted at its commit */
  private wrote = false;

  constructor(
    readonly inner: DatabaseConnection,
    private readonly writes: WriteGeneration,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    try {
      return await this.inner.executeQuery<R>(query);
    } finally {
      this.sent(query);
    }
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    this.sent(query);
    return this.inner.streamQuery<R>(query, chunkSize);
  }

  beganTransaction(): void {
    this.inTransaction = true;
    this.wrote = false;
  }

  /** after a commit (counted even when it failed: it may have landed) or a rollback (never counted) */
  endedTransaction(committed: boolean): void {
    if (committed && this.wrote) this.writes.bump();
    this.inTransaction = false;
    this.wrote = false;
  }

  private sent(query: CompiledQuery): void {
    if (!changesReads(query.sql)) return;
    if (this.inTransaction) this.wrote = true;
    else this.writes.bump();
  }
}

class WatchedDriver implements Driver {
  savepoint?: Driver['savepoint'];
  rollbackToSavepoint?: Driver['rollbackToSavepoint'];
  releaseSavepoint?: Driver['releaseSavepoint'];

  constructor(
    private readonly inner: Driver,
    private readonly writes: WriteGeneration,
  ) {
    // savepoints only where the dialect has them (Kysely says "not supported" otherwise)
    const unwrap = (c: DatabaseConnection) => (c as WatchedConnection).inner;
    if (inner.savepoint) this.savepoint = (c, name, compile) => inner.savepoint!(unwrap(c), name, compile);
    if (inner.rollbackToSavepoint) this.rollbackToSavepoint = (c, name, compile) => inner.rollbackToSavepoint!(unwrap(c), name, compile);
    if (inner.releaseSavepoint) this.releaseSavepoint = (c, name, compile) => inner.releaseSavepoint!(unwrap(c), name, compile);
  }

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new WatchedConnection(await this.inner.acquireConnection(), this.writes);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const c = connection as WatchedConnection;
    await this.inner.beginTransaction(c.inner, settings);
    c.beganTransaction();
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as WatchedConnection;
    try {
      await this.inner.commitTransaction(c.inner);
    } finally {
      c.endedTransaction(true);
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as WatchedConnection;
    try {
      await this.inner.rollbackTransaction(c.inner);
    } finally {
      c.endedTransaction(false);
    }
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection((connection as WatchedConnection).inner);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}
