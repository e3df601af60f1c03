import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { FaultQueue } from '../shared/fault-injection.js';
import { PagingCursors } from '../shared/paging-cursor.js';
import { createRng, hashSeed } from '../shared/prng.js';
import { SlidingWindowRateLimiter } from '../shared/rate-limiter.js';
import { RequestLog, type RecordedRequest } from '../shared/request-log.js';
import { installSimulatorHttp, pathOf } from '../shared/simulator-http.js';
import { GongDataset } from './dataset.js';
import { gongOpenApi, validateGongRequest } from './openapi.js';
import { registerGongRoutes } from './routes.js';
import type { GongActivityWorld } from './activity.js';
import { installGongOAuth, OAUTH_PREFIX, type GongOAuth, type GongOAuthOptions } from './oauth.js';

/**
 * A local stand-in for Gong's REST API (v2): the routes Parley reads, with Gong's auth, rate
 * limits, paging, "no records" 404s and error bodies, serving deterministic synthetic data.
 * See README.md in this folder.
 */

export { GongActivityWorld, GONG_ACTIVITY_COUNTERS, type SimulatedScorecard, type SimulatedTemplate, type ActivityCounters } from './activity.js';
export { GongDataset, MAX_DAYS_PER_QUERY, QueryTooLargeError } from './dataset.js';
export type {
  GongCallMetaData,
  GongParty,
  GongPersonInteractionStats,
  GongUserMetadata,
  InteractionStatsQuery,
  MetricsCallInput,
  SimulatedCall,
} from './dataset.js';
export type { GongMonologue, GongSentence, Utterance, CallKind } from './conversation.js';
export type { NativeCallStats, NativeUserCallStats, GongStat } from './native-stats.js';
export { GONG_OPENAPI_URL, gongOpenApi, validateGongRequest, validateGongResponse } from './openapi.js';
export { FaultQueue, type FaultSpec, type FaultKind } from '../shared/fault-injection.js';
export type { RecordedRequest } from '../shared/request-log.js';
export type { ValidationResult } from '../shared/openapi-validator.js';

export interface GongSimulatorOptions {
  /** Basic-auth user name; default 'sandbox-key' */
  accessKey?: string;
  /** Basic-auth password; default 'sandbox-secret' */
  accessKeySecret?: string;
  /** the company zone, as Gong names zones; default 'US/Pacific' */
  timeZone?: string;
  /** seed of the synthetic data; default 42 */
  seed?: number;
  /** active users (a departed user and an avatar come on top); default 12 */
  userCount?: number;
  /** records per page on every paged route; default 100 */
  pageSize?: number;
  /** requests per second (sliding window), per company; default 3; Infinity disables */
  ratePerSecond?: number;
  /** requests per 24 hours (sliding window), per company; default 10,000; Infinity disables */
  perDay?: number;
  /** the clock for "today" and for which calls are over; default real time */
  now?: () => Date;
  /** default 127.0.0.1 */
  host?: string;
  /** default 0 (any free port) */
  port?: number;
  /** validate requests against Gong's OpenAPI document (400 when invalid); default true */
  validate?: boolean;
  /** first day with calls, YYYY-MM-DD in the company zone; default 2023-01-01 */
  historyStart?: string;
  /** monotonic milliseconds for the rate limiter; default performance.now (tests may fake it) */
  rateClock?: () => number;
  /** requests kept in `requests` (oldest dropped first); default 10,000 */
  requestLogLimit?: number;
  /** Fastify logging; default off */
  logger?: boolean;
  /** the OAuth app this Gong knows (client id and secret, access token lifetime) */
  oauth?: GongOAuthOptions;
}

export interface GongSimulatorApp {
  /** the Fastify instance, not listening yet (use `app.inject` or `app.listen`) */
  app: FastifyInstance;
  /** every vendor request received, in order (control-plane requests excluded) */
  requests: RecordedRequest[];
  faults: FaultQueue;
  dataset: GongDataset;
  /** what the activity stats and scorecard routes serve (events and scorecards of the dataset's calls) */
  activity: GongActivityWorld;
  /** forget past requests for rate limiting */
  resetRateLimits(): void;
  /** OAuth: the app it accepts, token requests seen, expiry and revocation */
  oauth: GongOAuth;
  /** the API origin token responses name as api_base_url_for_customer (startGongSimulator sets it once listening) */
  setApiBaseUrl(url: string): void;
}

export interface GongSimulator extends GongSimulatorApp {
  /** e.g. http://127.0.0.1:PORT; use as the connector's base URL */
  url: string;
  close(): Promise<void>;
}

const REQUEST_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function buildGongSimulatorApp(options: GongSimulatorOptions = {}): GongSimulatorApp {
  const seed = options.seed ?? 42;
  const accessKey = options.accessKey ?? 'sandbox-key';
  const accessKeySecret = options.accessKeySecret ?? 'sandbox-secret';
  const pageSize = Math.max(1, Math.floor(options.pageSize ?? 100));
  const now = options.now ?? (() => new Date());
  const validate = options.validate ?? true;
  const dataset = new GongDataset({
    seed,
    timeZone: options.timeZone ?? 'US/Pacific',
    userCount: options.userCount ?? 12,
    ...(options.historyStart ? { historyStart: options.historyStart } : {}),
  });
  const log = new RequestLog(options.requestLogLimit);
  const faults = new FaultQueue();
  const rateClock = options.rateClock ?? (() => performance.now());
  const limiter = new SlidingWindowRateLimiter(
    [
      { limit: options.ratePerSecond ?? 3, windowMs: 1000 },
      { limit: options.perDay ?? 10_000, windowMs: 86_400_000 },
    ],
    rateClock,
  );
  // Gong counts a request where it arrived, however long it then spends in here.
  const arrivals = new WeakMap<object, number>();
  const expectedAuthorization = `Basic ${Buffer.from(`${accessKey}:${accessKeySecret}`).toString('base64')}`;
  const requestIds = createRng(hashSeed(seed, 'request-ids'));
  if (validate) gongOpenApi(); // load the 700 KB document now rather than on the first request

  // No automatic HEAD routes: Gong documents none.
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 1_048_576, exposeHeadRoutes: false });
  const http = installSimulatorHttp(app, {
    log,
    faults,
    errorBody: (_status, messages, requestId) => ({ requestId, errors: messages }),
    newRequestId: () => {
      let id = '';
      for (let i = 0; i < 19; i++) id += REQUEST_ID_ALPHABET.charAt(requestIds.int(0, REQUEST_ID_ALPHABET.length - 1));
      return id;
    },
    wrongShapeBody: () => ({ requestId: 4711, records: 'unavailable', message: 'this body has the wrong shape on purpose' }),
    notFoundMessage: (method, path) =>
      validate && gongOpenApi().hasPath(path)
        ? `${method} ${path} is not simulated by the Parley Gong sandbox`
        : `No such endpoint: ${method} ${path}`,
  });

  app.addHook('onRequest', async (request) => {
    arrivals.set(request, rateClock());
  });
  // Set once listening (startGongSimulator): the API origin the token response names.
  let apiBaseUrl = '';
  const oauth = installGongOAuth(app, { ...options.oauth, now, apiBaseUrl: () => apiBaseUrl });
  const setApiBaseUrl = (url: string) => {
    apiBaseUrl = url;
  };

  // Gong's order: credentials, then the company's rate budget, then the request itself.
  app.addHook('preHandler', async (request, reply) => {
    if (http.isControlRequest(request) || pathOf(request.url).startsWith(OAUTH_PREFIX)) return;
    const authorization = request.headers.authorization;
    if (authorization !== expectedAuthorization && !oauth.accepts(authorization)) {
      const message = authorization
        ? 'Access denied: the access key or access key secret is not valid'
        : 'Access denied: send Authorization: Basic base64(<accessKey>:<accessKeySecret>)';
      return http.sendError(request, reply, 401, [message]);
    }
    const decision = limiter.tryAcquire(arrivals.get(request));
    if (!decision.allowed) {
      const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
      reply.header('retry-after', String(seconds));
      const per = decision.window.windowMs === 1000 ? 'second' : 'day';
      return http.sendError(request, reply, 429, [`API request limit exceeded (${decision.window.limit} calls per ${per}); retry after ${seconds} seconds`]);
    }
    if (validate && !request.is404) {
      const path = pathOf(request.url);
      const result = validateGongRequest(request.method, path, { query: request.query as Record<string, unknown>, body: request.body });
      if (!result.valid) return http.sendError(request, reply, 400, result.errors);
    }
    return undefined;
  });

  const activity = registerGongRoutes(app, {
    dataset,
    pageSize,
    now,
    cursors: new PagingCursors(`gong-sandbox:${hashSeed(seed, 'cursor-secret')}`),
    requestIdOf: (request) => http.requestIdOf(request),
  });

  return { app, requests: log.entries, faults, dataset, activity, resetRateLimits: () => limiter.reset(), oauth, setApiBaseUrl };
}

/** Starts the simulator on `host:port` (default 127.0.0.1, a free port). */
export async function startGongSimulator(options: GongSimulatorOptions = {}): Promise<GongSimulator> {
  const built = buildGongSimulatorApp(options);
  const host = options.host ?? '127.0.0.1';
  await built.app.listen({ host, port: options.port ?? 0 });
  const address = built.app.server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${urlHost}:${address.port}`;
  built.setApiBaseUrl(url);
  return {
    ...built,
    url,
    close: () => built.app.close(),
  };
}
