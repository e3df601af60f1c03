import type { FastifyRequest } from 'fastify';
import { decodeQueryName } from './query.js';

/**
 * What a log line says about a request. Fastify's own serializer logs the URL as sent, so a token a
 * client put in the query string (`?access_token=…`, `?api_key=…`) would be written to the log:
 * values of secret-looking parameters, and anything shaped like a Parley API token, are replaced.
 */

const SECRET_NAME = /token|key|secret|passw|pwd|auth|signature|sig$|session|credential|cookie|code|state/i;
// Parley API tokens, and connect session tokens (in the connect page's paths)
const API_TOKEN = /(?:prl|cs)_[A-Za-z0-9_-]+/g;
export const REDACTED = '[REDACTED]';

/** The URL with the values of secret-looking query parameters replaced. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url.replace(API_TOKEN, REDACTED);
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq === -1) return pair;
      const name = pair.slice(0, eq);
      return SECRET_NAME.test(decodeQueryName(name) ?? name) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
  return `${url.slice(0, q)}?${query}`.replace(API_TOKEN, REDACTED);
}

export function requestLogView(req: FastifyRequest) {
  return {
    method: req.method,
    url: redactUrl(req.url),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket ? req.socket.remotePort : undefined,
  };
}
