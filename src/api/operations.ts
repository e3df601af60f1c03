import { randomUUID } from 'node:crypto';
import { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import compress from '@fastify/compress';
import cors from '@fastify/cors';
import type { Telemetry } from '../observability/telemetry.js';

/**
 * What an operator needs around every route (CONTRACT.md "Operating it"): a request id on every
 * response and log line, compression, CORS when configured, and `GET /metrics`.
 */

export interface OperationsOptions {
  telemetry?: Telemetry;
  /** origins allowed by CORS (`*` for any); absent or empty: no CORS headers at all */
  corsOrigins?: readonly string[];
}

/** An incoming `x-request-id` is kept when it is short and plain; anything else is replaced. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

export const REQUEST_ID_HEADER = 'x-request-id';

/** Fastify's request id options: the client's sane `x-request-id`, else a new UUID; logged as `request_id`. */
export function requestIdOptions(): Pick<FastifyServerOptions, 'genReqId' | 'requestIdHeader' | 'logController'> {
  return {
    requestIdHeader: false,
    logController: new LogController({ requestIdLogLabel: 'request_id' }),
    genReqId(req) {
      const given = req.headers[REQUEST_ID_HEADER];
      return typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID();
    },
  };
}

/** Headers a browser may read from a cross-origin answer. */
const EXPOSED_HEADERS = [REQUEST_ID_HEADER, 'parley-data-as-of', 'retry-after'];

/**
 * Installed before the auth hook, so that a 401 still carries the request id and CORS headers, and
 * a CORS preflight (which carries no token) is answered before auth runs.
 */
export async function installOperations(app: FastifyInstance, options: OperationsOptions): Promise<void> {
  app.addHook('onRequest', async (req, reply) => {
    reply.header(REQUEST_ID_HEADER, req.id);
  });
  if (options.corsOrigins && options.corsOrigins.length > 0) {
    const any = options.corsOrigins.includes('*');
    await app.register(cors, {
      origin: any ? '*' : [...options.corsOrigins],
      methods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', REQUEST_ID_HEADER],
      exposedHeaders: EXPOSED_HEADERS,
      maxAge: 600,
    });
  }
  // gzip, deflate and brotli by Accept-Encoding, for answers above 1 KiB
  await app.register(compress, { global: true, threshold: 1024 });

  const telemetry = options.telemetry;
  if (!telemetry) return;
  app.addHook('onResponse', async (req, reply) => {
    // the route's pattern, never the raw URL: ids in paths must not become label values
    const route = req.routeOptions.url ?? 'unmatched';
    telemetry.httpRequest(req.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });
  // Behind the API token like every route but /health, /openapi.json and /docs (CONTRACT.md
  // "Authentication"); its labels carry no tenant's data. Prometheus sends the token with
  // `authorization: {credentials: …}` in its scrape config.
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    const text = await telemetry.render();
    return reply.header('content-type', telemetry.contentType).send(text);
  });
}
