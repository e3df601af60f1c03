import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ParleyError, RemoteError } from '../domain/errors.js';

/** Domain errors become HTTP here, once. Nothing a client sends may produce a 500. */

function body(statusCode: number, message: string, extra: Record<string, unknown> = {}) {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, ...extra };
}

function describeValidation(err: FastifyError & { validation: { keyword?: string; instancePath: string; message?: string }[] }): string {
  const where = err.validationContext ?? 'request';
  return err.validation
    .slice(0, 3)
    .map((v) => {
      const path = v.instancePath.replace(/^\//, '').split('/').filter(Boolean);
      const name = path.length > 0 ? path.map((p, i) => (i === 0 ? p : /^\d+$/.test(p) ? `[${p}]` : `.${p}`)).join('') : where;
      const missing = v.keyword === 'invalid_type' && /received undefined/.test(v.message ?? '');
      return missing ? `${name} is required (${where})` : `${name}: ${v.message ?? 'is invalid'} (${where})`;
    })
    .join('; ');
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof RemoteError) {
      if (err.retryAfterSeconds !== undefined) reply.header('retry-after', String(err.retryAfterSeconds));
      return reply
        .code(err.statusCode)
        .send(body(err.statusCode, err.message, { is_remote_error: true, raw_response: err.rawResponse ?? null }));
    }
    if (err instanceof ParleyError) return reply.code(err.statusCode).send(body(err.statusCode, err.message));
    if (hasZodFastifySchemaValidationErrors(err)) return reply.code(400).send(body(400, describeValidation(err)));
    const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status >= 400 && status < 500) {
      const message = err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
        ? 'Content-Type must be application/json'
        : err.message || 'bad request';
      return reply.code(status).send(body(status, message));
    }
    req.log.error({ err }, 'unhandled error');
    return reply.code(500).send(body(500, 'An unexpected error occurred; it has been logged.'));
  });
  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send(body(404, `Route ${req.method} ${req.url.split('?')[0]} not found`));
  });
}
