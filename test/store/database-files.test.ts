import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { migrateToLatest, openDatabase } from '../../src/store/db.js';

/** The embedded store is readable by its owner only, like the key file beside it. */

const mode = (path: string) => statSync(path).mode & 0o777;
let dir: string;
let cwd: string;
let umask: number;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'parley-files-'));
  cwd = process.cwd();
  umask = process.umask(0o022); // the usual umask, under which new files are world-readable
  process.chdir(dir);
});
afterEach(() => {
  process.chdir(cwd);
  process.umask(umask);
  rmSync(dir, { recursive: true, force: true });
});

describe('database files', () => {
  it('creates .parley/ 0700 and the database, -wal and -shm 0600 (default development setup)', async () => {
    const config = loadConfig({});
    expect(mode('.parley')).toBe(0o700);
    expect(mode('.parley/secret.key')).toBe(0o600);
    const db = openDatabase(config.databaseUrl);
    await migrateToLatest(db);
    try {
      for (const f of ['parley.db', 'parley.db-wal', 'parley.db-shm']) expect(mode(join('.parley', f)), f).toBe(0o600);
    } finally {
      await db.destroy();
    }
  });

  it('tightens database files an older Parley left world-readable', async () => {
    const path = join(dir, 'old.db');
    writeFileSync(path, '');
    chmodSync(path, 0o644);
    const db = openDatabase(`sqlite:${path}`);
    await migrateToLatest(db);
    try {
      expect(mode(path)).toBe(0o600);
      expect(mode(`${path}-wal`)).toBe(0o600);
    } finally {
      await db.destroy();
    }
  });
});
