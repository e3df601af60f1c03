import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FaultQueue, InvalidFaultError, type FaultSpec } from './fault-injection.js';
import { RequestLog, preciseNow, type RecordedRequest } from './request-log.js';

/**
 * The HTTP plumbing every vendor simulator shares, installed on its Fastify app:
 * - records every vendor request (method, path, query, headers, body, time, status served);
 * - serves queued faults before any vendor logic (so a fault wins over auth and rate limits);
 * - answers framework errors and unknown routes in the vendor's error shape;
 * - serves the control plane under `/__sandbox` (faults and the request log over HTTP, for the
 *   interactive sandbox). Control requests need no vendor auth and are never recorded, limited
 *   or faulted.
 *
 * Hooks run in registration order, so install this before the vendor's own hooks.
 */

export const CONTROL_PREFIX = '/__sandbox';

/** Thrown by vendor route handlers: answered with the vendor's error body and this status. */
export class SimulatorHttpError extends Error {
  readonly messages: string[];
  constructor(
    readonly statusCode: number,
    ...messages: [string, ...string[]]
  ) {
    super(messages.join('; '));
    this.messages = messages;
  }
}

export interface SimulatorHttpOptions {
  log: RequestLog;
  faults: FaultQueue;
  /** the vendor's error body for a status and its messages */
  errorBody(status: number, messages: string[], requestId: string | undefined): unknown;
  /** a fresh vendor request id (also used by `errorBody`); omit when the vendor has none */
  newRequestId?(): string;
  /** the 200 body of the `malformed`/`wrong-shape` fault: valid JSON the client cannot use */
  wrongShapeBody?(requestId: string | undefined): unknown;
  /** the message of the vendor's 404 for unknown routes */
  notFoundMessage?(method: string, path: string): string;
}

export interface SimulatorHttp {
  isControlRequest(request: FastifyRequest): boolean;
  /** the recorded entry of a vendor request */
  recordOf(request: FastifyRequest): RecordedRequest | undefined;
  requestIdOf(request: FastifyRequest): string | undefined;
  /** sends the vendor error body with this status */
  sendError(request: FastifyRequest, reply: FastifyReply, status: number, messages: string[]): FastifyReply;
}

const DEFAULT_STATUS_MESSAGES: Record<number, string> = {
  400: 'Malformed request',
  401: 'Access denied',
  403: 'Access denied',
  404: 'Not found',
  429: 'API request limit exceeded',
  500: 'Failed to complete the operation due to an unexpected error',
  502: 'Bad gateway',
  503: 'Service temporarily unavailable',
  504: 'Gateway timeout',
};

export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

export function installSimulatorHttp(app: FastifyInstance, options: SimulatorHttpOptions): SimulatorHttp {
  const records = new WeakMap<FastifyRequest, RecordedRequest>();
  const hung = new Set<FastifyReply>();
  const delays = new Set<() => void>();

  const isControlRequest = (request: FastifyRequest): boolean => {
    const path = pathOf(request.url);
    return path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`);
  };
  const requestIdOf = (request: FastifyRequest): string | undefined => records.get(request)?.requestId;
  const sendError = (request: FastifyRequest, reply: FastifyReply, status: number, messages: string[]): FastifyReply =>
    reply.code(status).send(options.errorBody(status, messages, requestIdOf(request)));

  app.addHook('onRequest', async (request, reply) => {
    if (isControlRequest(request)) return;
    const entry = options.log.record({
      method: request.method,
      path: pathOf(request.url),
      query: { ...(request.query as Record<string, string | string[]>) },
      headers: { ...request.headers },
      body: undefined,
      at: preciseNow(),
      status: 0,
    });
    if (options.newRequestId) {
      entry.requestId = options.newRequestId();
      reply.header('x-traceid', entry.requestId);
    }
    records.set(request, entry);
  });

  app.addHook('preHandler', async (request, reply) => {
    const entry = records.get(request);
    if (!entry) return;
    entry.body = request.body;
    const fault = options.faults.take(request.method, entry.path);
    if (!fault) return;
    entry.fault = fault.kind;
    return serveFault(fault, request, reply, entry);
  });

  app.addHook('onSend', async (request, reply) => {
    const entry = records.get(request);
    if (entry) entry.status = reply.statusCode;
  });

  // A closing simulator drops its connections at once, so a client's spare connection (opened
  // for a request that was aborted before it was written) cannot hold up close() until it idles out.
  const sockets = new Set<Socket>();
  app.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  app.addHook('preClose', async () => {
    for (const reply of hung) reply.raw.destroy();
    hung.clear();
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    for (const release of delays) release();
    delays.clear();
  });

  app.setErrorHandler(async (error: Error & { statusCode?: number }, request, reply) => {
    if (error instanceof SimulatorHttpError) return sendError(request, reply, error.statusCode, error.messages);
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) request.log.error(error);
    // Framework errors (unparsable JSON, unsupported content type, body too large) keep their
    // status and message; anything unexpected is a generic 500, as vendors answer it.
    const message = status >= 500 ? (DEFAULT_STATUS_MESSAGES[500] as string) : error.message;
    if (isControlRequest(request)) return reply.code(status).send({ errors: [message] });
    return sendError(request, reply, status, [message]);
  });

  app.setNotFoundHandler(async (request, reply) => {
    const path = pathOf(request.url);
    const message = options.notFoundMessage?.(request.method, path) ?? `No route ${request.method} ${path}`;
    if (isControlRequest(request)) return reply.code(404).send({ errors: [message] });
    return sendError(request, reply, 404, [message]);
  });

  async function serveFault(
    fault: FaultSpec,
    request: FastifyRequest,
    reply: FastifyReply,
    entry: RecordedRequest,
  ): Promise<FastifyReply | undefined> {
    const requestId = entry.requestId;
    switch (fault.kind) {
      case 'status': {
        reply.code(fault.status);
        for (const [name, value] of Object.entries(fault.headers ?? {})) reply.header(name, value);
        const body =
          fault.body !== undefined
            ? fault.body
            : options.errorBody(fault.status, [DEFAULT_STATUS_MESSAGES[fault.status] ?? `HTTP ${fault.status}`], requestId);
        if (typeof body === 'string') {
          reply.type(fault.contentType ?? 'text/plain; charset=utf-8');
          return reply.send(body);
        }
        if (fault.contentType) reply.type(fault.contentType);
        return reply.send(body);
      }
      case 'rate-limit': {
        reply.code(429);
        const retryAfter = fault.retryAfterSeconds === undefined ? 1 : fault.retryAfterSeconds;
        if (retryAfter !== null) reply.header('retry-after', String(retryAfter));
        return reply.send(fault.body ?? options.errorBody(429, [DEFAULT_STATUS_MESSAGES[429] as string], requestId));
      }
      case 'timeout': {
        if (fault.afterMs === undefined) {
          // Never answer: keep the socket open until the client gives up or the simulator closes.
          reply.hijack();
          hung.add(reply);
          reply.raw.on('close', () => hung.delete(reply));
          return reply;
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, fault.afterMs);
          function done(): void {
            clearTimeout(timer);
            delays.delete(done);
            resolve();
          }
          delays.add(done);
        });
        return undefined; // then answer normally
      }
      case 'malformed': {
        const payload =
          fault.body ??
          (fault.variant === 'wrong-shape'
            ? JSON.stringify(options.wrongShapeBody?.(requestId) ?? { unexpected: true })
            : `{"requestId":${JSON.stringify(requestId ?? 'x')},"records":{"totalRecords":1,"currentPageSize":1,"currentPageNumber":0},"`);
        reply.code(fault.status ?? 200).type('application/json; charset=utf-8');
        return reply.send(payload);
      }
      case 'reset': {
        reply.hijack();
        request.raw.socket.destroy();
        return reply;
      }
      case 'redirect': {
        const location = fault.location ?? `https://redirected.sandbox.example${request.url}`;
        return reply.code(fault.status ?? 302).header('location', location).send(options.errorBody(fault.status ?? 302, ['Moved'], requestId));
      }
    }
  }

  registerControlRoutes(app, options);
  return { isControlRequest, recordOf: (request) => records.get(request), requestIdOf, sendError };
}

function registerControlRoutes(app: FastifyInstance, options: SimulatorHttpOptions): void {
  const { faults, log } = options;

  app.get(CONTROL_PREFIX, async () => ({
    description: 'Simulator control plane: no vendor auth, not recorded, not rate-limited, never faulted.',
    routes: {
      [`GET ${CONTROL_PREFIX}/faults`]: 'faults waiting to be served',
      [`POST ${CONTROL_PREFIX}/faults`]: 'queue one fault or an array of faults (JSON as in sandbox README)',
      [`DELETE ${CONTROL_PREFIX}/faults`]: 'drop every queued fault',
      [`GET ${CONTROL_PREFIX}/requests`]: 'recorded vendor requests (?since=<seq> for newer ones only)',
      [`DELETE ${CONTROL_PREFIX}/requests`]: 'clear the request log',
    },
  }));

  app.get(`${CONTROL_PREFIX}/faults`, async () => ({
    faults: faults.pending.map((f) => ({ ...f.spec, remaining: f.remaining })),
  }));

  app.post(`${CONTROL_PREFIX}/faults`, async (request, reply) => {
    const specs = Array.isArray(request.body) ? (request.body as unknown[]) : [request.body];
    try {
      faults.push(...specs);
    } catch (error) {
      if (error instanceof InvalidFaultError) return reply.code(400).send({ errors: [error.message] });
      throw error;
    }
    return reply.code(201).send({
      queued: specs.length,
      faults: faults.pending.map((f) => ({ ...f.spec, remaining: f.remaining })),
    });
  });

  app.delete(`${CONTROL_PREFIX}/faults`, async (_request, reply) => {
    faults.clear();
    return reply.code(204).send();
  });

  app.get(`${CONTROL_PREFIX}/requests`, async (request) => {
    const since = Number((request.query as Record<string, unknown>).since ?? 0) || 0;
    return {
      requests: log.entries
        .filter((entry) => entry.seq > since)
        .map((entry) => ({ ...entry, headers: redactCredentials(entry.headers) })),
    };
  });

  app.delete(`${CONTROL_PREFIX}/requests`, async (_request, reply) => {
    log.clear();
    return reply.code(204).send();
  });
}

/** Over HTTP the log may be read by anyone who can reach the sandbox; credentials stay in-process. */
function redactCredentials(headers: RecordedRequest['headers']): RecordedRequest['headers'] {
  const out = { ...headers };
  for (const name of Object.keys(out)) {
    const value = out[name];
    if (typeof value !== 'string') continue;
    if (name === 'authorization') {
      // keep a scheme word (Basic, Bearer) but never a raw token sent without one (Chorus)
      const [scheme, rest] = value.split(/\s+/, 2);
      out[name] = rest !== undefined && /^[A-Za-z]+$/.test(scheme ?? '') ? `${scheme} [redacted]` : '[redacted]';
    } else if (/key|password|secret|token/i.test(name)) {
      out[name] = '[redacted]';
    }
  }
  return out;
}
