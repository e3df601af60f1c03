import type { AddressInfo } from 'node:net';
import { STATUS_CODES } from 'node:http';
import Fastify from 'fastify';
import { FaultQueue } from '../shared/fault-injection.js';
import { SlidingWindowRateLimiter } from '../shared/rate-limiter.js';
import { RequestLog, type RecordedRequest } from '../shared/request-log.js';
import { installSimulatorHttp } from '../shared/simulator-http.js';
import { ChorusDataset } from './dataset.js';
import { registerChorusRoutes } from './routes.js';

/**
 * A local stand-in for the Chorus (ZoomInfo) API as Parley reads it: raw-token auth, v3 users and
 * engagements with continuation keys, v1 JSON:API conversations with utterances, JSON:API error
 * bodies, a request budget answered with 429 + Retry-After, and injectable faults (429 with and
 * without Retry-After, 5xx, timeouts, malformed bodies) through `faults` or POST /__sandbox/faults.
 * Chorus publishes no rate limit; the default here (10 per minute) is the one public hint, and the
 * 429 body and header are this simulator's assumption.
 */

export { ChorusDataset } from './dataset.js';
export type { ChorusUserRecord, ChorusParticipantRecord, SpeakerRecord } from './dataset.js';
export type { RecordedRequest } from '../shared/request-log.js';

export interface ChorusSimulatorOptions {
  /** the API token accepted in `Authorization` (raw, or after "Bearer "); default 'sandbox-chorus-token' */
  token?: string;
  /** seed of the synthetic data; default 7 */
  seed?: number;
  /** active company users; default 6 */
  userCount?: number;
  /** engagements per page; default 100 */
  pageSize?: number;
  /** the request budget (sliding window); default 10 per minute; null disables */
  rateLimit?: { limit: number; windowMs: number } | null;
  /** minutes every call stays `processing` after it ended; default: each call's transcript lag in the synthetic world (10 minutes to 4 hours) */
  processingMinutes?: number;
  /** share of co-hosted calls whose co-host Chorus leaves unlinked; default 0.3 */
  unlinkedShare?: number;
  /** the clock deciding which calls are over (epoch ms); default real time */
  now?: () => number;
}

export interface ChorusSimulator {
  url: string;
  token: string;
  /** every vendor request received, in order (control-plane requests excluded) */
  requests: RecordedRequest[];
  faults: FaultQueue;
  dataset: ChorusDataset;
  close(): Promise<void>;
}

let errorIds = 0;

/** Chorus's error envelope (spec schema `Error`): JSON:API `errors[]`. */
function chorusErrorBody(status: number, messages: string[]): unknown {
  return {
    errors: messages.map((detail) => ({
      id: `sim-${(++errorIds).toString(36)}`,
      status: String(status),
      code: (STATUS_CODES[status] ?? 'error').toLowerCase().replace(/\W+/g, '_'),
      title: STATUS_CODES[status] ?? 'Error',
      detail,
    })),
  };
}

export async function startChorusSimulator(options: ChorusSimulatorOptions = {}): Promise<ChorusSimulator> {
  const token = options.token ?? 'sandbox-chorus-token';
  const now = options.now ?? Date.now;
  const dataset = new ChorusDataset({
    seed: options.seed ?? 7,
    userCount: options.userCount ?? 6,
    ...(options.processingMinutes !== undefined ? { processingMinutes: options.processingMinutes } : {}),
    ...(options.unlinkedShare !== undefined ? { unlinkedShare: options.unlinkedShare } : {}),
  });
  const budget = options.rateLimit === null ? undefined : (options.rateLimit ?? { limit: 10, windowMs: 60_000 });
  const limiter = new SlidingWindowRateLimiter(budget ? [budget] : []);
  const log = new RequestLog();
  const faults = new FaultQueue();

  const app = Fastify({ logger: false });
  const http = installSimulatorHttp(app, {
    log,
    faults,
    errorBody: (status, messages) => chorusErrorBody(status, messages),
    wrongShapeBody: () => ({ users: 'unavailable', engagements: 'unavailable', data: 'unavailable' }),
    notFoundMessage: (method, path) => `${method} ${path} is not an endpoint of the Parley Chorus sandbox`,
  });

  // Errors are JSON:API documents, as on every Chorus surface.
  app.addHook('onSend', async (request, reply, payload) => {
    if (!http.isControlRequest(request) && reply.statusCode >= 400) reply.type('application/vnd.api+json');
    return payload;
  });

  // The token first (a 401 costs no budget), then the budget.
  app.addHook('preHandler', async (request, reply) => {
    if (http.isControlRequest(request)) return undefined;
    const authorization = request.headers.authorization?.trim();
    const given = authorization?.replace(/^Bearer\s+/i, '');
    if (given !== token) {
      return http.sendError(request, reply, 401, [
        authorization ? 'The API token is not valid' : 'Send your API token in the Authorization header (Authorization: <token>)',
      ]);
    }
    const decision = limiter.tryAcquire();
    if (!decision.allowed) {
      const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
      reply.header('retry-after', String(seconds));
      return http.sendError(request, reply, 429, [`Too many requests (${decision.window.limit} per ${decision.window.windowMs / 1000} s); retry after ${seconds} s`]);
    }
    return undefined;
  });

  registerChorusRoutes(app, { dataset, pageSize: Math.max(1, Math.floor(options.pageSize ?? 100)), now });

  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, token, requests: log.entries, faults, dataset, close: () => app.close() };
}
