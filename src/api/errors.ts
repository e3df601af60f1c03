import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ParleyError, RemoteError } from '../domain/errors.js';
import type { TokenRepository } from '../store/repositories.js';
import { authenticate } from './auth.js';
import { MAX_ID_LENGTH } from './limits.js';
import type { RouteTable } from './route-table.js';

/**
 * Domain errors become HTTP here, once, and so does every error of Fastify, its router and Node's
 * HTTP parser: every non-2xx has exactly the CONTRACT.md body. Nothing a client sends may produce
 * a 500.
 */

export function errorBody(statusCode: number, message: string, extra: Record<string, unknown> = {}) {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, ...extra };
}

const UNEXPECTED = errorBody(500, 'An unexpected error occurred; it has been logged.');

interface ValidationIssue {
  keyword?: string;
  instancePath: string;
  message?: string;
}

/** `users[0][id]` in the query string (the notation the client wrote), `calls[0].id` in a body. */
function parameterName(path: string[], where: string): string {
  if (where === 'querystring') return path.map((p, i) => (i === 0 ? p : `[${p}]`)).join('');
  return path.map((p, i) => (i === 0 ? p : /^\d+$/.test(p) ? `[${p}]` : `.${p}`)).join('');
}

function describeValidation(err: FastifyError & { validation: ValidationIssue[] }): string {
  const where = err.validationContext ?? 'request';
  return err.validation
    .slice(0, 3)
    .map((v) => {
      const path = v.instancePath.replace(/^\//, '').split('/').filter(Boolean);
      const name = path.length > 0 ? parameterName(path, where) : where;
      const message = v.message ?? 'is invalid';
      if (message.startsWith('is required')) return `${name} ${message} (${where})`;
      // zod's own wording for an absent value
      if (v.keyword === 'invalid_type' && /received undefined/.test(message)) return `${name} is required (${where})`;
      return `${name}: ${message} (${where})`;
    })
    .join('; ');
}

/** Fastify's own 4xx errors, reworded for a client; anything else keeps Fastify's message. */
function describeFastifyError(err: FastifyError, status: number, req: FastifyRequest): string {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Content-Type must be application/json';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return `the body is larger than this route accepts (${req.routeOptions.bodyLimit ?? 'its limit'} bytes)`;
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'the body is not valid JSON';
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return 'Content-Length does not match the body sent';
    default:
      return err.message || (STATUS_CODES[status] ?? 'bad request');
  }
}

export function installErrorHandling(app: FastifyInstance, routes: RouteTable): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof RemoteError) {
      if (err.retryAfterSeconds !== undefined) reply.header('retry-after', String(err.retryAfterSeconds));
      return reply
        .code(err.statusCode)
        .send(errorBody(err.statusCode, err.message, { is_remote_error: true, raw_response: err.rawResponse ?? null }));
    }
    if (err instanceof ParleyError) return reply.code(err.statusCode).send(errorBody(err.statusCode, err.message));
    if (hasZodFastifySchemaValidationErrors(err)) return reply.code(400).send(errorBody(400, describeValidation(err)));
    const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status >= 400 && status < 500) return reply.code(status).send(errorBody(status, describeFastifyError(err, status, req)));
    req.log.error({ err }, 'unhandled error');
    return reply.code(500).send(UNEXPECTED);
  });

  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0]!;
    const route = routes.match(path);
    // a wildcard route that finds nothing (a static file that is not there) is a 404, not a 405
    if (route && !route.allow.includes(req.method)) {
      reply.header('allow', route.allow.join(', '));
      return reply.code(405).send(errorBody(405, `${req.method} is not allowed on ${path}; allowed: ${route.allow.join(', ')}`));
    }
    return reply.code(404).send(errorBody(404, `Route ${req.method} ${path} not found`));
  });
}

/**
 * Fastify's router answers a path it cannot decode, or a parameter longer than its limit, before
 * any route runs (and with a body of its own). Here they get the order of checks every route has:
 * an unknown path is 404, an unauthenticated request 401, then the 400 naming the parameter.
 */
export function frameworkErrorHandler(routes: RouteTable, tokens: TokenRepository) {
  return async (err: FastifyError, req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const path = req.raw.url?.split('?')[0] ?? '/';
    const route = routes.match(path);
    if (!route) {
      reply.code(404).send(errorBody(404, `Route ${req.method} ${path} not found`));
      return;
    }
    if (route.auth) {
      try {
        await authenticate(tokens, req);
      } catch (e) {
        if (!(e instanceof ParleyError)) {
          req.log.error({ err: e }, 'authentication failed unexpectedly');
          reply.code(500).send(UNEXPECTED);
          return;
        }
        reply.code(e.statusCode).send(errorBody(e.statusCode, e.message));
        return;
      }
    }
    if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
      const name = Object.entries(route.params).find(([, v]) => v.length > MAX_ID_LENGTH)?.[0] ?? 'id';
      reply.code(400).send(errorBody(400, `${name}: at most ${MAX_ID_LENGTH} characters (params)`));
      return;
    }
    reply.code(400).send(errorBody(400, 'the path is not valid percent-encoded UTF-8 (params)'));
  };
}

/**
 * Node's HTTP parser and its timeouts answer without Fastify (Fastify's default body adds nothing
 * wrong, but its wording is not ours). `requestTimeoutMs` only words the 408.
 */
export function clientErrorHandler(requestTimeoutMs: number) {
  return (err: NodeJS.ErrnoException, socket: Socket): void => {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    let status = 400;
    let message = 'malformed HTTP request';
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      status = 408;
      message = `the request was not received within ${requestTimeoutMs / 1000} s`;
    } else if (err.code === 'HPE_HEADER_OVERFLOW') {
      status = 431;
      message = 'the request headers are too large';
    }
    // a response already under way cannot be replaced by another one
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && !inFlight?.headersSent) {
      const json = JSON.stringify(errorBody(status, message));
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`,
      );
    }
    socket.destroy(err);
  };
}
