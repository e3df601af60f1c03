import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { FaultQueue } from '../shared/fault-injection.js';
import { SlidingWindowRateLimiter } from '../shared/rate-limiter.js';
import { RequestLog, type RecordedRequest } from '../shared/request-log.js';
import { installSimulatorHttp } from '../shared/simulator-http.js';
import { AvomaDataset } from './dataset.js';
import { registerAvomaRoutes } from './routes.js';

/**
 * A local stand-in for Avoma's REST API (https://dev.avoma.com): users, meetings and
 * transcriptions with Avoma's Bearer auth, its 60-requests-a-minute limit (429 with Retry-After),
 * DRF pages followed by absolute `next` URLs, `{"detail": …}` errors, and deterministic synthetic
 * data generated lazily per day, so "the last 30 days" always has meetings.
 */

export { AvomaDataset, avomaUuid, digitsOfAvomaUuid } from './dataset.js';
export type { AvomaMeetingRecord, AvomaTranscriptionRecord, AvomaUserRecord, AvomaSpeakerRecord, AvomaParagraphRecord } from './dataset.js';
export { FaultQueue, type FaultSpec, type FaultKind } from '../shared/fault-injection.js';
export type { RecordedRequest } from '../shared/request-log.js';

export interface AvomaSimulatorOptions {
  /** the Bearer token accepted; default 'sandbox-avoma-key' */
  apiKey?: string;
  /** seed of the synthetic data; default 7 */
  seed?: number;
  /** active users (a departed one comes on top); default 6 */
  userCount?: number;
  /** cap on `page_size` (Avoma: 100; default page size 10) */
  maxPageSize?: number;
  /** requests admitted per window; default 60 ("60 request in 1 minute period"); Infinity disables */
  rateLimit?: number;
  /** the window of `rateLimit`, ms; default 60,000 */
  rateWindowMs?: number;
  /** the clock for meeting states (scheduled, in progress, completed); default real time */
  now?: () => Date;
  /** first day with meetings, YYYY-MM-DD; default 2023-01-01 */
  historyStart?: string;
  /** origin written into `next`/`previous` links; default the origin requests arrive on */
  linkOrigin?: string;
  host?: string;
  port?: number;
  logger?: boolean;
}

export interface AvomaSimulator {
  /** e.g. http://127.0.0.1:PORT; use as the connector's base URL */
  url: string;
  app: FastifyInstance;
  /** every vendor request received, in order (control-plane requests excluded) */
  requests: RecordedRequest[];
  faults: FaultQueue;
  dataset: AvomaDataset;
  apiKey: string;
  resetRateLimits(): void;
  close(): Promise<void>;
}

export function buildAvomaSimulatorApp(options: AvomaSimulatorOptions = {}) {
  const apiKey = options.apiKey ?? 'sandbox-avoma-key';
  const dataset = new AvomaDataset({
    seed: options.seed ?? 7,
    userCount: options.userCount ?? 6,
    ...(options.historyStart ? { historyStart: options.historyStart } : {}),
  });
  const log = new RequestLog();
  const faults = new FaultQueue();
  const limiter = new SlidingWindowRateLimiter([{ limit: options.rateLimit ?? 60, windowMs: options.rateWindowMs ?? 60_000 }]);

  const app = Fastify({ logger: options.logger ?? false });
  const http = installSimulatorHttp(app, {
    log,
    faults,
    errorBody: (_status, messages) => ({ detail: messages.join('; ') }),
    wrongShapeBody: () => ({ count: 'unknown', next: 42, results: { detail: 'this body has the wrong shape on purpose' } }),
    notFoundMessage: () => 'Not Found',
  });

  // Avoma's order (DRF): authentication, then throttling, then the view.
  app.addHook('preHandler', async (request, reply) => {
    if (http.isControlRequest(request)) return undefined;
    const authorization = request.headers.authorization;
    if (!authorization) return http.sendError(request, reply, 401, ['Auth missing in header and cookie']);
    if (authorization !== `Bearer ${apiKey}`) return http.sendError(request, reply, 401, ['Invalid Token']);
    const decision = limiter.tryAcquire();
    if (!decision.allowed) {
      const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
      reply.header('retry-after', String(seconds));
      return http.sendError(request, reply, 429, [`Request was throttled. Expected available in ${seconds} seconds.`]);
    }
    return undefined;
  });

  registerAvomaRoutes(app, {
    dataset,
    maxPageSize: Math.max(1, Math.floor(options.maxPageSize ?? 100)),
    now: options.now ?? (() => new Date()),
    ...(options.linkOrigin ? { linkOrigin: options.linkOrigin } : {}),
  });

  return { app, requests: log.entries, faults, dataset, apiKey, resetRateLimits: () => limiter.reset() };
}

/** Starts the simulator on `host:port` (default 127.0.0.1, a free port). */
export async function startAvomaSimulator(options: AvomaSimulatorOptions = {}): Promise<AvomaSimulator> {
  const built = buildAvomaSimulatorApp(options);
  await built.app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const address = built.app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { ...built, url: `http://${host}:${address.port}`, close: () => built.app.close() };
}
