import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { FaultQueue } from '../shared/fault-injection.js';
import { createRng, hashSeed } from '../shared/prng.js';
import { SlidingWindowRateLimiter, type RateWindow } from '../shared/rate-limiter.js';
import { RequestLog, type RecordedRequest } from '../shared/request-log.js';
import { installSimulatorHttp } from '../shared/simulator-http.js';
import { FirefliesDataset } from './dataset.js';
import { FirefliesQueryError, firefliesErrorBody, registerFirefliesRoutes } from './routes.js';

/**
 * A local stand-in for Fireflies.ai's GraphQL API (https://docs.fireflies.ai/): one endpoint,
 * `POST /graphql`, Bearer API keys, offset pagination (`skip`/`limit`, at most 50), per-plan rate
 * limits with `X-RateLimit-*` headers, and errors as GraphQL `errors` — on HTTP 200 for rate limits
 * and authentication, as Fireflies reports them. Deterministic synthetic data from a seed.
 */

export { FirefliesDataset } from './dataset.js';
export type { FfSimTranscript, FfSimUser, FfSimSentence } from './dataset.js';
export { FaultQueue, type FaultSpec, type FaultKind } from '../shared/fault-injection.js';
export type { RecordedRequest } from '../shared/request-log.js';

export interface FirefliesSimulatorOptions {
  /** the accepted API key; default 'sandbox-fireflies-key' */
  apiKey?: string;
  /** seed of the synthetic data; default 7 */
  seed?: number;
  /** company users (one of them without a Fireflies seat); default 8 */
  userCount?: number;
  /** the largest `limit` of the transcripts query; default 50 */
  maxPageSize?: number;
  /** requests per minute (the Business plan's 60 by default); Infinity disables */
  requestsPerMinute?: number;
  /** replaces the per-minute window (tests use short windows to catch bursts) */
  rateWindows?: RateWindow[];
  /**
   * how a rejected request is answered: 'graphql' (default) — HTTP 200 with a `too_many_requests`
   * error whose `extensions.metadata.retryAfter` is an epoch time in ms; 'http' — HTTP 429 with
   * `Retry-After` (seconds) and the same body
   */
  rateLimitResponse?: 'graphql' | 'http';
  /** the clock deciding which meetings are over; default real time */
  now?: () => Date;
  host?: string;
  port?: number;
  requestLogLimit?: number;
  logger?: boolean;
}

export interface FirefliesSimulatorApp {
  app: FastifyInstance;
  /** every vendor request received, in order (control-plane requests excluded) */
  requests: RecordedRequest[];
  faults: FaultQueue;
  dataset: FirefliesDataset;
  apiKey: string;
  resetRateLimits(): void;
}

export interface FirefliesSimulator extends FirefliesSimulatorApp {
  /** e.g. http://127.0.0.1:PORT — the connector's base_url (requests go to <url>/graphql) */
  url: string;
  close(): Promise<void>;
}

const HEX = '0123456789abcdef';
const STATUS_CODES: Record<number, string> = {
  400: 'invalid_arguments',
  401: 'auth_failed',
  402: 'paid_required',
  403: 'forbidden',
  404: 'object_not_found',
  429: 'too_many_requests',
};

export function buildFirefliesSimulatorApp(options: FirefliesSimulatorOptions = {}): FirefliesSimulatorApp {
  const seed = options.seed ?? 7;
  const apiKey = options.apiKey ?? 'sandbox-fireflies-key';
  const now = options.now ?? (() => new Date());
  const dataset = new FirefliesDataset({ seed, userCount: options.userCount ?? 8 });
  const log = new RequestLog(options.requestLogLimit);
  const faults = new FaultQueue();
  const windows = options.rateWindows ?? [{ limit: options.requestsPerMinute ?? 60, windowMs: 60_000 }];
  const limiter = new SlidingWindowRateLimiter(windows);
  const primary = windows.find((w) => Number.isFinite(w.limit) && w.limit > 0);
  const admitted: number[] = [];
  const correlation = createRng(hashSeed(seed, 'correlation-ids'));
  const rateLimitResponse = options.rateLimitResponse ?? 'graphql';

  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 1_048_576 });
  const http = installSimulatorHttp(app, {
    log,
    faults,
    errorBody: (status, messages, requestId) =>
      firefliesErrorBody(new FirefliesQueryError(STATUS_CODES[status] ?? 'internal_server_error', status, messages.join('; ')), requestId),
    newRequestId: () => {
      let id = '';
      for (let i = 0; i < 32; i++) id += HEX.charAt(correlation.int(0, 15));
      return `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`;
    },
    // valid JSON, every root field of the wrong type
    wrongShapeBody: () => ({ data: { users: {}, user: [], transcripts: {}, transcript: [], analytics: [] } }),
    notFoundMessage: (method, path) => `Cannot ${method} ${path}: the Fireflies API is POST /graphql`,
  });

  // Fireflies' order, as far as it shows: the API key, then the rate budget, then the query.
  app.addHook('preHandler', async (request, reply) => {
    if (http.isControlRequest(request)) return;
    if (request.headers.authorization !== `Bearer ${apiKey}`) {
      const message = request.headers.authorization ? 'Invalid API key' : 'Missing API key: send Authorization: Bearer <api key>';
      return reply.code(200).send(firefliesErrorBody(new FirefliesQueryError('auth_failed', 401, message), http.requestIdOf(request)));
    }
    const decision = limiter.tryAcquire();
    const at = performance.now();
    if (primary) {
      while (admitted.length > 0 && admitted[0]! <= at - primary.windowMs) admitted.shift();
      if (decision.allowed) admitted.push(at);
      const resetMs = admitted.length > 0 ? admitted[0]! + primary.windowMs - at : 0;
      reply.header('x-ratelimit-limit', String(primary.limit));
      reply.header('x-ratelimit-remaining', String(Math.max(0, primary.limit - admitted.length)));
      reply.header('x-ratelimit-reset', String(Math.ceil(Math.max(0, resetMs) / 1000)));
    }
    if (!decision.allowed) {
      const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
      const error = new FirefliesQueryError('too_many_requests', 429, `Too many requests. Please retry after ${seconds} seconds.`, {
        retryAfter: Date.now() + decision.retryAfterMs,
      });
      if (rateLimitResponse === 'http') reply.code(429).header('retry-after', String(seconds));
      else reply.code(200);
      return reply.send(firefliesErrorBody(error, http.requestIdOf(request)));
    }
    return undefined;
  });

  registerFirefliesRoutes(app, {
    dataset,
    maxPageSize: Math.max(1, Math.floor(options.maxPageSize ?? 50)),
    now,
    correlationIdOf: (request) => http.requestIdOf(request),
  });

  return {
    app,
    requests: log.entries,
    faults,
    dataset,
    apiKey,
    resetRateLimits: () => {
      limiter.reset();
      admitted.length = 0;
    },
  };
}

/** Starts the simulator on `host:port` (default 127.0.0.1, a free port). */
export async function startFirefliesSimulator(options: FirefliesSimulatorOptions = {}): Promise<FirefliesSimulator> {
  const built = buildFirefliesSimulatorApp(options);
  await built.app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const address = built.app.server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { ...built, url: `http://${urlHost}:${address.port}`, close: () => built.app.close() };
}
