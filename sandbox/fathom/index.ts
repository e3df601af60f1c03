import Fastify, { type FastifyInstance } from 'fastify';
import { FaultQueue } from '../shared/fault-injection.js';
import { SlidingWindowRateLimiter } from '../shared/rate-limiter.js';
import { RequestLog, type RecordedRequest } from '../shared/request-log.js';
import { installSimulatorHttp } from '../shared/simulator-http.js';
import { listenOn, type ListenOptions, type SyntheticWorldOptions } from '../shared/synthetic-world.js';
import { FathomDataset } from './dataset.js';
import { registerFathomRoutes } from './routes.js';

/**
 * A local stand-in for Fathom's external API (https://developers.fathom.ai): meetings (recordings)
 * with their invitees and optional transcripts, per-recording transcripts and team members, under
 * `/external/v1`, with Fathom's `X-Api-Key` auth, its 60-calls-a-minute limit (429 with
 * `Retry-After` and `RateLimit-*` headers), page-number cursors, and deterministic synthetic data
 * from the shared world. Faults and the request log are the shared simulator infrastructure.
 */

export { FathomDataset } from './dataset.js';
export type { FathomMeetingEntry, FathomMeetingRecord, FathomTeamMemberRecord, FathomTranscriptItemRecord } from './dataset.js';
export { FaultQueue, type FaultSpec, type FaultKind } from '../shared/fault-injection.js';
export type { RecordedRequest } from '../shared/request-log.js';

/** The path prefix of every route: point an account's `base_url` at `${url}${FATHOM_API_PREFIX}`. */
export const FATHOM_API_PREFIX = '/external/v1';

export interface FathomSimulatorOptions extends SyntheticWorldOptions, ListenOptions {
  /** the API key accepted in `X-Api-Key`; default 'sandbox-fathom-key' */
  apiKey?: string;
  /** items per page on every paged route; default 10 (the page size of Fathom's examples) */
  pageSize?: number;
  /** requests admitted per window; default 60 ("60 calls to the API in a 60 second window"); Infinity disables */
  rateLimit?: number;
  /** the window of `rateLimit`, ms; default 60,000 */
  rateWindowMs?: number;
  /** the clock deciding what exists and what is transcribed (epoch ms); default real time */
  now?: () => number;
}

export interface FathomSimulator {
  /** e.g. http://127.0.0.1:PORT; the API is under `${url}/external/v1` */
  url: string;
  /** the connector's base URL: `url` + `/external/v1` */
  baseUrl: string;
  app: FastifyInstance;
  requests: RecordedRequest[];
  faults: FaultQueue;
  dataset: FathomDataset;
  apiKey: string;
  resetRateLimits(): void;
  close(): Promise<void>;
}

export async function startFathomSimulator(options: FathomSimulatorOptions = {}): Promise<FathomSimulator> {
  const apiKey = options.apiKey ?? 'sandbox-fathom-key';
  const dataset = new FathomDataset(options);
  const log = new RequestLog();
  const faults = new FaultQueue();
  const limit = options.rateLimit ?? 60;
  const windowMs = options.rateWindowMs ?? 60_000;
  const limiter = new SlidingWindowRateLimiter([{ limit, windowMs }]);

  const app = Fastify({ logger: false });
  const http = installSimulatorHttp(app, {
    log,
    faults,
    errorBody: (_status, messages) => ({ error: messages.join('; ') }),
    wrongShapeBody: () => ({ limit: 'ten', next_cursor: 7, items: { error: 'this body has the wrong shape on purpose' } }),
    notFoundMessage: (method, path) => `Not found - ${method} ${path} is not an endpoint of the Parley Fathom sandbox`,
  });

  // The key first (a 401 costs no budget), then the global per-minute budget.
  app.addHook('preHandler', async (request, reply) => {
    if (http.isControlRequest(request)) return undefined;
    const key = request.headers['x-api-key'];
    const bearer = request.headers.authorization?.replace(/^Bearer\s+/i, '');
    if (key !== apiKey && bearer !== apiKey) {
      return http.sendError(request, reply, 401, ['Unauthorized - missing or invalid X-Api-Key header']);
    }
    if (Number.isFinite(limit)) reply.header('ratelimit-limit', String(limit));
    const decision = limiter.tryAcquire();
    if (!decision.allowed) {
      const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
      reply.header('retry-after', String(seconds)).header('ratelimit-remaining', '0').header('ratelimit-reset', String(seconds));
      return http.sendError(request, reply, 429, ['Rate limited - you have exceeded the rate limit for the requested endpoint.']);
    }
    return undefined;
  });

  registerFathomRoutes(app, { dataset, pageSize: Math.max(1, Math.floor(options.pageSize ?? 10)), now: options.now ?? Date.now });

  const url = await listenOn(app, options);
  return {
    url,
    baseUrl: `${url}${FATHOM_API_PREFIX}`,
    app,
    requests: log.entries,
    faults,
    dataset,
    apiKey,
    resetRateLimits: () => limiter.reset(),
    close: () => app.close(),
  };
}
