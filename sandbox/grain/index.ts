import Fastify, { type FastifyInstance } from 'fastify';
import { FaultQueue } from '../shared/fault-injection.js';
import { PagingCursors } from '../shared/paging-cursor.js';
import { SlidingWindowRateLimiter } from '../shared/rate-limiter.js';
import { RequestLog, type RecordedRequest } from '../shared/request-log.js';
import { installSimulatorHttp } from '../shared/simulator-http.js';
import { listenOn, type ListenOptions, type SyntheticWorldOptions } from '../shared/synthetic-world.js';
import { GrainDataset } from './dataset.js';
import { registerGrainRoutes } from './routes.js';

/**
 * A local stand-in for Grain's public API v2 (https://developers.grain.com): recordings with their
 * participants, transcripts and users under `/_/public-api/v2`, with Bearer tokens, the required
 * `Public-Api-Version` header, Grain's 300 requests a minute (429 with `Retry-After`;
 * `x-ratelimit-limit`/`x-ratelimit-remaining` on every answer), POST reads with opaque cursors, and
 * deterministic synthetic data from the shared world. Faults and the request log are the shared
 * simulator infrastructure.
 */

export { GrainDataset } from './dataset.js';
export type { GrainRecordingEntry, GrainRecordingRecord, GrainParticipantRecord, GrainTranscriptSectionRecord, GrainUserRecord } from './dataset.js';
export { FaultQueue, type FaultSpec, type FaultKind } from '../shared/fault-injection.js';
export type { RecordedRequest } from '../shared/request-log.js';

/** The API version this simulator serves (Grain's current one). */
export const GRAIN_SIMULATED_VERSION = '2025-10-31';

export interface GrainSimulatorOptions extends SyntheticWorldOptions, ListenOptions {
  /** the token accepted as `Authorization: Bearer <token>`; default 'sandbox-grain-token' */
  token?: string;
  /** recordings per page; default 10 (Grain documents no page size) */
  pageSize?: number;
  /** requests admitted per window; default 300 ("a total of 300 requests per minute"); Infinity disables */
  rateLimit?: number;
  /** the window of `rateLimit`, ms; default 60,000 */
  rateWindowMs?: number;
  /** the clock deciding what exists and what is transcribed (epoch ms); default real time */
  now?: () => number;
}

export interface GrainSimulator {
  /** e.g. http://127.0.0.1:PORT: the connector's base URL (routes are under /_/public-api/v2) */
  url: string;
  app: FastifyInstance;
  requests: RecordedRequest[];
  faults: FaultQueue;
  dataset: GrainDataset;
  token: string;
  resetRateLimits(): void;
  close(): Promise<void>;
}

export async function startGrainSimulator(options: GrainSimulatorOptions = {}): Promise<GrainSimulator> {
  const token = options.token ?? 'sandbox-grain-token';
  const dataset = new GrainDataset(options);
  const log = new RequestLog();
  const faults = new FaultQueue();
  const limit = options.rateLimit ?? 300;
  const limiter = new SlidingWindowRateLimiter([{ limit, windowMs: options.rateWindowMs ?? 60_000 }]);

  const app = Fastify({ logger: false });
  const http = installSimulatorHttp(app, {
    log,
    faults,
    errorBody: (_status, messages) => ({ errors: { detail: messages.join('; ') } }),
    wrongShapeBody: () => ({ cursor: 12, recordings: { detail: 'this body has the wrong shape on purpose' }, users: 'none' }),
    notFoundMessage: () => 'Not Found',
  });

  // The token, then the version header (both free), then the budget.
  app.addHook('preHandler', async (request, reply) => {
    if (http.isControlRequest(request)) return undefined;
    const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (bearer !== token) return http.sendError(request, reply, 401, ['Unauthorized']);
    const version = request.headers['public-api-version'];
    if (version === undefined) return http.sendError(request, reply, 400, ['The Public-Api-Version header is required']);
    if (version !== GRAIN_SIMULATED_VERSION) return http.sendError(request, reply, 400, [`Unsupported Public-Api-Version "${String(version)}"; supported: ${GRAIN_SIMULATED_VERSION}`]);
    if (Number.isFinite(limit)) reply.header('x-ratelimit-limit', String(limit));
    const decision = limiter.tryAcquire();
    if (!decision.allowed) {
      reply.header('retry-after', String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000)))).header('x-ratelimit-remaining', '0');
      return http.sendError(request, reply, 429, ['Too Many Requests']);
    }
    return undefined;
  });

  registerGrainRoutes(app, {
    dataset,
    pageSize: Math.max(1, Math.floor(options.pageSize ?? 10)),
    now: options.now ?? Date.now,
    cursors: new PagingCursors(`grain-sandbox-${dataset.seed}`),
  });

  const url = await listenOn(app, options);
  return { url, app, requests: log.entries, faults, dataset, token, resetRateLimits: () => limiter.reset(), close: () => app.close() };
}
