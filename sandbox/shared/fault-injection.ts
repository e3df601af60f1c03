import { z } from 'zod';

/**
 * A queue of misbehaviours a simulator serves instead of (or before) its normal answer, so that
 * tests can rehearse what real vendors do on bad days. Each fault matches requests by method and
 * path, is consumed by the first matching requests in queue order, and is removed after serving
 * `times` of them. The same JSON shape is accepted in-process (`faults.push`) and over HTTP
 * (`POST /__sandbox/faults`).
 */

const matchFields = {
  /** HTTP method, case-insensitive; absent = any */
  method: z.string().min(1).optional(),
  /** exact request path without the query, or a pattern where `*` matches any characters; absent = any */
  path: z.string().min(1).optional(),
  /** how many matching requests this fault serves (default 1) */
  times: z.number().int().positive().optional(),
};

export const FaultSpecSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    ...matchFields,
    kind: z.literal('status'),
    status: z.number().int().min(200).max(599),
    /** JSON value, or a string sent verbatim; default: the vendor's error body for `status` */
    body: z.unknown().optional(),
    contentType: z.string().optional(),
    headers: z.record(z.string(), z.string()).optional(),
  }),
  z.strictObject({
    ...matchFields,
    kind: z.literal('rate-limit'),
    /** `Retry-After` in whole seconds (default 1); `null` sends no `Retry-After` header */
    retryAfterSeconds: z.number().int().min(0).nullable().optional(),
    body: z.unknown().optional(),
  }),
  z.strictObject({
    ...matchFields,
    kind: z.literal('timeout'),
    /** answer normally after this delay; absent = never answer (the socket stays open) */
    afterMs: z.number().int().min(0).optional(),
  }),
  z.strictObject({
    ...matchFields,
    kind: z.literal('malformed'),
    /** `invalid-json` (default): a truncated JSON document; `wrong-shape`: valid JSON of the wrong shape */
    variant: z.enum(['invalid-json', 'wrong-shape']).optional(),
    /** overrides the payload, sent verbatim */
    body: z.string().optional(),
    status: z.number().int().min(200).max(599).optional(),
  }),
  z.strictObject({
    ...matchFields,
    kind: z.literal('reset'),
  }),
  z.strictObject({
    ...matchFields,
    kind: z.literal('redirect'),
    /** 301, 302 (default), 303, 307 or 308 */
    status: z.union([z.literal(301), z.literal(302), z.literal(303), z.literal(307), z.literal(308)]).optional(),
    /** where to; default the same path on another host, the way a hijacked or moved API would answer */
    location: z.string().min(1).optional(),
  }),
]);

export type FaultSpec = z.infer<typeof FaultSpecSchema>;
export type FaultKind = FaultSpec['kind'];

export interface PendingFault {
  readonly spec: FaultSpec;
  remaining: number;
}

export class InvalidFaultError extends Error {}

export class FaultQueue {
  private queue: PendingFault[] = [];

  /** Queues faults after the ones already waiting. Throws `InvalidFaultError` on a bad spec. */
  push(...specs: unknown[]): void {
    const parsed = specs.map((spec, index) => {
      const result = FaultSpecSchema.safeParse(spec);
      if (!result.success) {
        const details = result.error.issues
          .map((issue) => `${issue.path.length ? issue.path.join('.') : '(fault)'}: ${issue.message}`)
          .join('; ');
        throw new InvalidFaultError(`fault #${index}: ${details}`);
      }
      return result.data;
    });
    for (const spec of parsed) this.queue.push({ spec, remaining: spec.times ?? 1 });
  }

  clear(): void {
    this.queue = [];
  }

  get pending(): readonly PendingFault[] {
    return this.queue;
  }

  get size(): number {
    return this.queue.length;
  }

  /** The first queued fault matching this request, counted as served once. */
  take(method: string, path: string): FaultSpec | undefined {
    const index = this.queue.findIndex((f) => matches(f.spec, method, path));
    if (index < 0) return undefined;
    const pending = this.queue[index] as PendingFault;
    pending.remaining--;
    if (pending.remaining <= 0) this.queue.splice(index, 1);
    return pending.spec;
  }
}

function matches(spec: FaultSpec, method: string, path: string): boolean {
  if (spec.method && spec.method.toUpperCase() !== method.toUpperCase()) return false;
  if (spec.path && !pathPattern(spec.path).test(path)) return false;
  return true;
}

const patternCache = new Map<string, RegExp>();
function pathPattern(pattern: string): RegExp {
  let re = patternCache.get(pattern);
  if (!re) {
    const body = pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    re = new RegExp(`^${body}$`);
    patternCache.set(pattern, re);
  }
  return re;
}
