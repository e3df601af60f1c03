import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WriteGeneration } from '../store/write-watch.js';
import { DATA_AS_OF_HEADER } from './schemas.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** set on a GET of a `warm` route whose answer was not kept: where its answer may be kept */
    warmTicket: WarmTicket | null;
  }
  interface FastifyContextConfig {
    /** list pages that may be answered from the store: their store answers are kept (see WarmAnswers) */
    warm?: boolean;
  }
}

/** How long a kept answer is reused at most: what another process's write can leave stale here. */
export const WARM_ANSWER_MS = 1_000;
const MAX_ENTRIES = 1_000;
const MAX_BYTES = 32 * 1024 * 1024;
const MAX_BODY_BYTES = 2 * 1024 * 1024;

interface Entry {
  body: Buffer;
  contentType: string;
  dataAsOf: string;
  generation: number;
  /** performance.now() when its computation started */
  at: number;
}

export interface WarmTicket {
  /** keep this answer: sent with `body` and these headers */
  remember(body: Buffer, contentType: string, dataAsOf: string): void;
}

/**
 * Warm answers: a list page answered from the synced store, kept as the bytes sent and keyed by the
 * tenant and the exact URL, is sent again as it is — no query parsing, validation, account or sync
 * state lookup, or serialization — while both hold:
 * - no write that can change a read has been made by this process since its computation started
 *   (the database's write counter, src/store/write-watch.ts, moves after every such write or commit:
 *   a sync page, an account's PATCH or DELETE, a settings or status change);
 * - it is younger than WARM_ANSWER_MS of real time, which bounds what a write by another process (a
 *   worker or replica sharing Postgres, the CLI beside a server) can leave stale here, as the token
 *   memory bounds a revocation made elsewhere.
 * Only store answers are kept (they carry `parley-data-as-of`); a live answer is asked again each
 * time. Authentication runs first on every request, so a revoked token or another tenant never
 * reaches a kept answer (the key holds the tenant).
 */
export class WarmAnswers {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private readonly now: () => number;
  private readonly ttlMs: number;

  constructor(
    private readonly writes: WriteGeneration,
    opts: { now?: () => number; ttlMs?: number } = {},
  ) {
    this.now = opts.now ?? (() => performance.now());
    this.ttlMs = opts.ttlMs ?? WARM_ANSWER_MS;
  }

  /** the kept answer for `key`, if it is still good */
  lookup(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.generation === this.writes.value && this.now() - e.at < this.ttlMs) return e;
    this.drop(key, e);
    return undefined;
  }

  ticket(key: string): WarmTicket {
    const generation = this.writes.value;
    const at = this.now();
    return {
      remember: (body, contentType, dataAsOf) => {
        // a write during the computation: the answer may be older than the data, keep nothing
        if (generation !== this.writes.value || body.length > MAX_BODY_BYTES) return;
        const old = this.entries.get(key);
        if (old) this.drop(key, old);
        while (this.entries.size >= MAX_ENTRIES || (this.bytes + body.length > MAX_BYTES && this.entries.size > 0)) {
          const [oldestKey, oldest] = this.entries.entries().next().value as [string, Entry];
          this.drop(oldestKey, oldest);
        }
        this.entries.set(key, { body, contentType, dataAsOf, generation, at });
        this.bytes += body.length;
      },
    };
  }

  get size(): number {
    return this.entries.size;
  }

  private drop(key: string, e: Entry): void {
    this.entries.delete(key);
    this.bytes -= e.body.length;
  }
}

/**
 * Answers a GET of a `warm` route from a kept answer, before validation and the handler (and after
 * authentication, an onRequest hook); otherwise hands the request a ticket that `sendPage` uses.
 */
export function installWarmAnswers(app: FastifyInstance, warm: WarmAnswers | undefined): void {
  app.decorateRequest('warmTicket', null);
  if (!warm) return;
  const answer = (req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void): void => {
    if (req.method !== 'GET' || !req.tenantId) return done();
    const key = `${req.tenantId}\n${req.url}`;
    const kept = warm.lookup(key);
    if (!kept) {
      req.warmTicket = warm.ticket(key);
      return done();
    }
    reply.header(DATA_AS_OF_HEADER, kept.dataAsOf).type(kept.contentType).send(kept.body);
  };
  // on the `warm` routes only: every other route (/health included) runs no extra hook
  app.addHook('onRoute', (route) => {
    if (route.config?.warm !== true) return;
    const own = route.preValidation;
    route.preValidation = own === undefined ? [answer] : [answer, ...(Array.isArray(own) ? own : [own])];
  });
}

/** Called with every list page sent: keeps it when it is a store answer of a ticketed request. */
export function rememberAnswer(reply: FastifyReply, body: Buffer, contentType: string): void {
  const ticket = reply.request.warmTicket;
  if (!ticket || reply.statusCode !== 200) return;
  const dataAsOf = reply.getHeader(DATA_AS_OF_HEADER);
  if (typeof dataAsOf === 'string') ticket.remember(body, contentType, dataAsOf);
}
