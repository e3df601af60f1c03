import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';

/** The one config loader: every environment variable of CONTRACT.md is read here and nowhere else. */

/** A request (headers and body) must arrive within this, unless PARLEY_REQUEST_TIMEOUT_MS says otherwise. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  NODE_ENV: z.string().optional(),
  PARLEY_DATABASE_URL: z.string().default('sqlite:./.parley/parley.db'),
  PARLEY_SECRET_KEY: z.string().optional(),
  PARLEY_BOOTSTRAP_TOKEN: z.string().min(1).optional(),
  PARLEY_SANDBOX: z.enum(['true', 'false']).optional(),
  PARLEY_ALLOW_PRIVATE_UPSTREAMS: z.enum(['true', 'false']).default('false'),
  PARLEY_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** how long one live vendor call may take in all (budget, Retry-After, backoff, attempts): a page answers within ~15 s */
  PARLEY_UPSTREAM_PATIENCE_MS: z.coerce.number().int().min(100).default(12_000),
  /** longest single attempt; attempts are also capped at 2/3 of the call's patience, so a hung one is retried */
  PARLEY_UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).default(8_000),
  /** a request (headers and body) must arrive within this; slow uploads of big compute bodies may need more */
  PARLEY_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(DEFAULT_REQUEST_TIMEOUT_MS),
  /** all: API and background work; api: HTTP only; worker: sync runs (and deliveries) only */
  PARLEY_ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  /** sync runs at once across accounts in this process */
  PARLEY_SYNC_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /** browser origins allowed to call the API (comma-separated, or `*`); unset: no CORS headers */
  PARLEY_CORS_ORIGINS: z.string().optional(),
  /** one webhook delivery attempt, connect to last byte */
  PARLEY_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** scaled out: rate budgets, locks and jobs shared through this Redis (redis:// or rediss://) */
  PARLEY_REDIS_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional()),
  /** the first part of every Redis key Parley writes (several deployments may share one Redis) */
  PARLEY_REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - (at most 64)').default('parley'),
  /** Parley's origin as browsers reach it (connect page links, the OAuth redirect URI) */
  PARLEY_PUBLIC_URL: z.url().optional(),
  /** Gong's OAuth endpoints, for tests and private deployments */
  PARLEY_GONG_OAUTH_AUTHORIZE_URL: z.url().optional(),
  PARLEY_GONG_OAUTH_TOKEN_URL: z.url().optional(),
});

export interface Config {
  port: number;
  host: string;
  production: boolean;
  databaseUrl: string;
  secretKey: Buffer;
  bootstrapToken?: string;
  sandbox: boolean;
  allowPrivateUpstreams: boolean;
  logLevel: string;
  upstreamPatienceMs: number;
  upstreamTimeoutMs: number;
  /** absent: DEFAULT_REQUEST_TIMEOUT_MS (configurations built in code, e.g. tests) */
  requestTimeoutMs?: number;
  role: 'all' | 'api' | 'worker';
  syncConcurrency: number;
  /** origins allowed by CORS; absent or empty: CORS off (src/api/operations.ts) */
  corsOrigins?: string[];
  /** absent: 10 s (configurations built in code, e.g. tests) */
  webhookTimeoutMs?: number;
  /** absent: everything in-process (one Parley process) */
  redisUrl?: string;
  /** absent: 'parley' */
  redisPrefix?: string;
  /** PARLEY_PUBLIC_URL; absent: the origin of each request */
  publicUrl?: string;
  /** per integration, OAuth endpoints in place of the provider's (PARLEY_GONG_OAUTH_*_URL) */
  oauthEndpoints?: Record<string, { authorizeUrl?: string; tokenUrl?: string }>;
}

export class ConfigError extends Error {}

export function parseSecretKey(value: string): Buffer {
  const v = value.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(v) ? Buffer.from(v, 'hex') : Buffer.from(v, 'base64');
  if (key.length !== 32) {
    throw new ConfigError('PARLEY_SECRET_KEY must be 32 bytes, written as 64 hex characters or base64');
  }
  return key;
}

/** Development only: a key generated once and kept beside the embedded database. */
function devSecretKey(path: string): Buffer {
  if (existsSync(path)) return parseSecretKey(readFileSync(path, 'utf8'));
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(path, key.toString('base64') + '\n', { mode: 0o600 });
  return key;
}

/** `*`, or origins like `https://app.example.com` separated by commas; each must be an origin (no path). */
export function parseCorsOrigins(value: string | undefined): string[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const origins = value.split(',').map((o) => o.trim()).filter((o) => o !== '');
  for (const o of origins) {
    if (o === '*') continue;
    let url: URL;
    try {
      url = new URL(o);
    } catch {
      throw new ConfigError(`PARLEY_CORS_ORIGINS: ${JSON.stringify(o)} is not an origin (like https://app.example.com) or *`);
    }
    if (url.origin !== o.replace(/\/$/, '')) {
      throw new ConfigError(`PARLEY_CORS_ORIGINS: ${JSON.stringify(o)} is not an origin (scheme://host[:port], no path)`);
    }
  }
  return origins.map((o) => (o === '*' ? o : o.replace(/\/$/, '')));
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`${issue.path.join('.')}: ${issue.message}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  let secretKey: Buffer;
  if (e.PARLEY_SECRET_KEY) secretKey = parseSecretKey(e.PARLEY_SECRET_KEY);
  else if (production) throw new ConfigError('PARLEY_SECRET_KEY is required when NODE_ENV=production');
  else secretKey = devSecretKey(resolve('.parley', 'secret.key'));
  return {
    port: e.PORT,
    host: e.HOST,
    production,
    databaseUrl: e.PARLEY_DATABASE_URL,
    secretKey,
    bootstrapToken: e.PARLEY_BOOTSTRAP_TOKEN,
    sandbox: e.PARLEY_SANDBOX ? e.PARLEY_SANDBOX === 'true' : !production,
    allowPrivateUpstreams: e.PARLEY_ALLOW_PRIVATE_UPSTREAMS === 'true',
    logLevel: e.PARLEY_LOG_LEVEL,
    upstreamPatienceMs: e.PARLEY_UPSTREAM_PATIENCE_MS,
    upstreamTimeoutMs: e.PARLEY_UPSTREAM_TIMEOUT_MS,
    requestTimeoutMs: e.PARLEY_REQUEST_TIMEOUT_MS,
    role: e.PARLEY_ROLE,
    syncConcurrency: e.PARLEY_SYNC_CONCURRENCY,
    corsOrigins: parseCorsOrigins(e.PARLEY_CORS_ORIGINS),
    webhookTimeoutMs: e.PARLEY_WEBHOOK_TIMEOUT_MS,
    redisUrl: e.PARLEY_REDIS_URL,
    redisPrefix: e.PARLEY_REDIS_PREFIX,
    ...(e.PARLEY_PUBLIC_URL ? { publicUrl: e.PARLEY_PUBLIC_URL } : {}),
    ...(e.PARLEY_GONG_OAUTH_AUTHORIZE_URL || e.PARLEY_GONG_OAUTH_TOKEN_URL
      ? { oauthEndpoints: { gong: { authorizeUrl: e.PARLEY_GONG_OAUTH_AUTHORIZE_URL, tokenUrl: e.PARLEY_GONG_OAUTH_TOKEN_URL } } }
      : {}),
  };
}
