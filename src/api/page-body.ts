import type { FastifyReply } from 'fastify';
import { rememberAnswer } from './warm-answers.js';

/**
 * The JSON of a list page, built once per page the service keeps. A warm store read hands back the
 * very `result` array it answered with before (the store's page cache), so its body is the string
 * serialized then, as UTF-8 bytes: no record is copied, serialized or encoded again. A page read live is a new array every
 * time; its body is built once and forgotten with it (the map holds its keys weakly).
 */
const bodies = new WeakMap<readonly unknown[], { full?: Buffer; lean?: Buffer }>();

export interface ListPage<T> {
  result: readonly T[];
  next_cursor: string | null;
}

/** Drop the vendor's raw record unless the client asked for it (`include_remote_data`). */
export function withoutRemoteData<T extends { remote_data?: unknown }>(include: boolean, r: T): T {
  if (include) return r;
  const { remote_data: _omitted, ...rest } = r;
  return rest as T;
}

/**
 * Send `page` in the list envelope through the route's own serializer (its response schema), once
 * per page and `include_remote_data` choice.
 */
export function sendPage<T extends { remote_data?: unknown }>(reply: FastifyReply, include: boolean, page: ListPage<T>): FastifyReply {
  let cached = bodies.get(page.result);
  if (!cached) bodies.set(page.result, (cached = {}));
  const which = include ? 'full' : 'lean';
  let body = cached[which];
  if (body === undefined) {
    const result = page.result.map((r) => withoutRemoteData(include, r));
    // kept as bytes: a string would be measured (content-length) and encoded to UTF-8 on every send
    body = cached[which] = Buffer.from(String(reply.serialize({ result, next_cursor: page.next_cursor, result_count: result.length })), 'utf8');
  }
  const type = 'application/json; charset=utf-8';
  rememberAnswer(reply, body, type);
  return reply.type(type).send(body);
}
