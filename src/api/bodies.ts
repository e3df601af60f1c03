import type { FastifyInstance } from 'fastify';
import { ParleyError } from '../domain/errors.js';

/**
 * JSON is the only body Parley reads. An empty body is no body, whatever its Content-Type: clients
 * and proxies send `content-type: application/json` on a bodyless DELETE, and Fastify's parser would
 * answer it 400. A route that needs a body then says "body is required" through its schema.
 */
export function installJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (body === '') {
      done(null, undefined);
      return;
    }
    parseJson(req, body as string, done);
  });
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => {
    if (body.length === 0) {
      done(null, undefined);
      return;
    }
    done(new ParleyError(415, 'Content-Type must be application/json'), undefined);
  });
}
