import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { FaultQueue } from '../shared/fault-injection.js';
import { SlidingWindowRateLimiter } from '../shared/rate-limiter.js';
import { RequestLog, type RecordedRequest } from '../shared/request-log.js';
import { installSimulatorHttp } from '../shared/simulator-http.js';
import { ClariDataset } from './dataset.js';
import { registerClariRoutes } from './routes.js';

/**
 * A local stand-in for the Clari Copilot REST API (https://api-doc.copilot.clari.com): the routes
 * Parley reads, with Clari's two auth headers, its limits (10 requests per second, 100k per
 * calendar week from Sunday 00:00 GMT), skip/limit paging, statuses, and `{"errorMessage": …}`
 * error bodies, serving deterministic synthetic data. Fault injection and the request log come
 * from sandbox/shared; control routes live under /__sandbox.
 */

export { ClariDataset } from './dataset.js';
export type { ClariCallJson, ClariSimCall, ClariTranscriptTurnJson, ClariUserJson } from './dataset.js';
export type { ClariCallMetricsRecord } from './call-metrics.js';
export { FaultQueue, type FaultSpec } from '../shared/fault-injection.js';
export type { RecordedRequest } from '../shared/request-log.js';

export interface ClariCopilotSimulatorOptions {
  /** X-Api-Key; default 'sandbox-key' */
  apiKey?: string;
  /** X-Api-Password; default 'sandbox-password' */
  apiPassword?: string;
  /** seed of the synthetic data; default 7 */
  seed?: number;
  /** people of the company (solutions engineers among them have no seat); default 8 */
  userCount?: number;
  /** the company's working-day zone; default America/New_York */
  timeZone?: string;
  /** first day with calls, YYYY-MM-DD; default 2023-01-01 */
  historyStart?: string;
  /** most calls one page of GET /calls holds; default 100 (Clari's maximum `limit`) */
  pageSize?: number;
  /** largest `skip` GET /calls accepts; default 10000 */
  maxSkip?: number;
  /** requests per second (sliding window); default 10; Infinity disables */
  ratePerSecond?: number;
  /** requests per calendar week from Sunday 00:00 GMT; default 100,000; Infinity disables */
  perWeek?: number;
  /** the clock for statuses and "now"; default real time */
  now?: () => Date;
  /** monotonic milliseconds for the per-second limiter; default performance.now */
  rateClock?: () => number;
  host?: string;
  port?: number;
  requestLogLimit?: number;
  logger?: boolean;
}

export interface ClariCopilotSimulator {
  app: FastifyInstance;
  /** e.g. http://127.0.0.1:PORT; the connector's base_url */
  url: string;
  /** every vendor request received, in order (control-plane requests excluded) */
  requests: RecordedRequest[];
  faults: FaultQueue;
  dataset: ClariDataset;
  resetRateLimits(): void;
  close(): Promise<void>;
}

const WEEK_MS = 7 * 86_400_000;
/** 1970-01-04 was a Sunday: weeks counted from there start on Sunday 00:00 GMT. */
const FIRST_SUNDAY_MS = 3 * 86_400_000;
const DOCS = 'see documentation: https://api-doc.copilot.clari.com';

export async function startClariCopilotSimulator(options: ClariCopilotSimulatorOptions = {}): Promise<ClariCopilotSimulator> {
  const apiKey = options.apiKey ?? 'sandbox-key';
  const apiPassword = options.apiPassword ?? 'sandbox-password';
  const now = options.now ?? (() => new Date());
  const dataset = new ClariDataset({
    seed: options.seed ?? 7,
    userCount: options.userCount ?? 8,
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
    ...(options.historyStart ? { historyStart: options.historyStart } : {}),
  });
  const log = new RequestLog(options.requestLogLimit);
  const faults = new FaultQueue();
  const perSecond = new SlidingWindowRateLimiter([{ limit: options.ratePerSecond ?? 10, windowMs: 1000 }], options.rateClock);
  const perWeek = options.perWeek ?? 100_000;
  let week = { index: -1, count: 0 };

  const app = Fastify({ logger: options.logger ?? false });
  const http = installSimulatorHttp(app, {
    log,
    faults,
    errorBody: (_status, messages) => ({ errorMessage: messages.join('; ') }),
    wrongShapeBody: () => ({ errorMessage: null, data: 'this body has the wrong shape on purpose' }),
    notFoundMessage: (method, path) => `Cannot ${method} ${path}`,
  });

  // Clari's order, as the sandbox assumes it: credentials, then the rate limits, then the request.
  app.addHook('preHandler', async (request, reply) => {
    if (http.isControlRequest(request)) return;
    const key = request.headers['x-api-key'];
    const password = request.headers['x-api-password'];
    if (!key || !password) return http.sendError(request, reply, 401, [`Credentials not provided!, ${DOCS}`]);
    if (key !== apiKey || password !== apiPassword) return http.sendError(request, reply, 401, [`Invalid credentials!, ${DOCS}`]);
    const index = Math.floor((now().getTime() - FIRST_SUNDAY_MS) / WEEK_MS);
    if (week.index !== index) week = { index, count: 0 };
    if (week.count >= perWeek) {
      return http.sendError(request, reply, 429, [`Weekly limit of ${perWeek} requests exceeded; the week starts again on Sunday 00:00 GMT`]);
    }
    // Clari declares no Retry-After or rate-limit headers: a 429 here carries none.
    if (!perSecond.tryAcquire().allowed) {
      return http.sendError(request, reply, 429, [`Rate limit of ${options.ratePerSecond ?? 10} requests per second exceeded`]);
    }
    week.count += 1;
    return undefined;
  });

  registerClariRoutes(app, {
    dataset,
    pageSize: Math.max(1, Math.floor(options.pageSize ?? 100)),
    maxSkip: Math.max(0, Math.floor(options.maxSkip ?? 10_000)),
    now,
  });

  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    app,
    url: `http://${host}:${address.port}`,
    requests: log.entries,
    faults,
    dataset,
    resetRateLimits: () => {
      perSecond.reset();
      week = { index: -1, count: 0 };
    },
    close: () => app.close(),
  };
}
