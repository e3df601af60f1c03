import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { expect } from 'vitest';
import type { Config } from '../../src/config.js';
import { createParley, type Parley } from '../../src/server.js';
import { LOG_REDACT } from '../../src/api/app.js';
import type { Clock } from '../../src/domain/clock.js';
import type { ParleyOverrides } from '../../src/server.js';

export interface TestParley {
  parley: Parley;
  token: string;
  logs: string[];
  dbPath: string;
  config: Config;
  /** an authorized request through fastify's inject (no socket) */
  call(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown, token?: string): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
  /** every record of a list route, following next_cursor with `limit` per page; each page must be a 200 envelope */
  listAll(url: string, limit: number): Promise<{ all: any[]; pages: number }>;
  close(): Promise<void>;
}

export interface TestParleyOptions {
  pageBudgetMs?: number;
  /** the calendar Parley reads; pin it (clockAt) whenever a test depends on what day it is */
  clock?: Clock;
  /** webhook delivery pacing (poll interval, backoff) */
  webhooks?: ParleyOverrides['webhooks'];
}

export async function startTestParley(overrides: Partial<Config> = {}, options: TestParleyOptions = {}): Promise<TestParley> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-test-'));
  const dbPath = join(dir, 'parley.db');
  const token = `boot_${randomBytes(12).toString('hex')}`;
  const config: Config = {
    port: 0,
    host: '127.0.0.1',
    production: false,
    databaseUrl: `sqlite:${dbPath}`,
    secretKey: randomBytes(32),
    bootstrapToken: token,
    sandbox: false,
    allowPrivateUpstreams: true,
    logLevel: 'debug',
    upstreamPatienceMs: 20_000,
    upstreamTimeoutMs: 2_000,
    role: 'all',
    syncConcurrency: 2,
    ...overrides,
  };
  const logs: string[] = [];
  const logger = pino({ level: 'debug', redact: LOG_REDACT }, { write: (s: string) => logs.push(s) });
  const parley = await createParley(config, {
    logger,
    retry: { maxAttempts: 4, baseDelayMs: 50, maxDelayMs: 400 },
    pageBudgetMs: options.pageBudgetMs,
    clock: options.clock,
    webhooks: options.webhooks,
  });
  const helper: TestParley = {
    parley,
    token,
    logs,
    dbPath,
    config,
    async call(method, url, body, tok = token) {
      const res = await parley.app.inject({
        method,
        url,
        headers: tok ? { authorization: `Bearer ${tok}` } : {},
        ...(body !== undefined ? { payload: body as object } : {}),
      });
      return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined, headers: res.headers };
    },
    async listAll(url, limit) {
      const all: any[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const sep = url.includes('?') ? '&' : '?';
        const res = await helper.call('GET', `${url}${sep}limit=${limit}${cursor ? `&next_cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body.result_count).toBe(res.body.result.length);
        all.push(...res.body.result);
        cursor = res.body.next_cursor;
        pages += 1;
      } while (cursor && pages < 500);
      return { all, pages };
    },
    async close() {
      await parley.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return helper;
}
