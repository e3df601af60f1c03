import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request as undiciRequest, type Dispatcher } from 'undici';
import { RemoteError, RequestAbortedError } from '../domain/errors.js';
import { RateBudget } from './rate-budget.js';
import { publicOnlyLookup } from './address-policy.js';

/**
 * The HTTP client every connector shares: pooled keep-alive connections (undici), the vendor's rate
 * budget paced before sending, Retry-After, exponential backoff with full jitter on 5xx and network
 * errors, and a bounded total wait per call. Vendor failures leave here as RemoteError only.
 */

export interface UpstreamLogger {
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface RetryPolicy {
  /** attempts for 5xx / network errors / timeouts, the first included */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 400, maxDelayMs: 8_000 };

export interface UpstreamClientOptions {
  /** vendor name for error messages */
  vendor: string;
  baseUrl: string;
  /** auth and other fixed headers; never logged */
  headers: Record<string, string>;
  budget: RateBudget;
  dispatcher: Dispatcher;
  /** per attempt: headers and body each must arrive within this */
  timeoutMs: number;
  /** total time one call may spend waiting (budget, Retry-After, backoff) before it gives up */
  patienceMs: number;
  retry?: RetryPolicy;
  logger?: UpstreamLogger;
  random?: () => number;
  /** aborting it ends every wait and any in-flight request of this client with RequestAbortedError */
  signal?: AbortSignal;
}

export interface UpstreamRequest {
  method: 'GET' | 'POST';
  path: string;
  /** an array repeats the parameter (`?status=A&status=B`) */
  query?: Record<string, string | readonly string[] | undefined>;
  body?: unknown;
  /** statuses returned to the caller instead of thrown (Gong: 404 = no records) */
  passStatuses?: readonly number[];
}

export interface UpstreamResponse {
  status: number;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}

/** One process-wide pool per policy; connectors never create their own. */
export function createDispatchers(timeoutMs: number): { publicOnly: Dispatcher; any: Dispatcher } {
  const common = {
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 120_000,
    connections: 16,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  };
  return {
    publicOnly: new Agent({ ...common, connect: { timeout: 10_000, lookup: publicOnlyLookup as never } }),
    any: new Agent({ ...common, connect: { timeout: 10_000 } }),
  };
}

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, nowMs = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Number(v) * 1000;
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

const MAX_BODY_CHARS = 1_000_000;

export class UpstreamClient {
  private readonly retry: RetryPolicy;
  private readonly random: () => number;

  constructor(private readonly opts: UpstreamClientOptions) {
    this.retry = opts.retry ?? DEFAULT_RETRY;
    this.random = opts.random ?? Math.random;
  }

  async request(req: UpstreamRequest): Promise<UpstreamResponse> {
    const deadline = Date.now() + this.opts.patienceMs;
    const url = new URL(req.path.replace(/^\//, ''), this.opts.baseUrl.endsWith('/') ? this.opts.baseUrl : `${this.opts.baseUrl}/`);
    for (const [k, v] of Object.entries(req.query ?? {})) {
      if (typeof v === 'string') url.searchParams.set(k, v);
      else for (const item of v ?? []) url.searchParams.append(k, item);
    }
    const where = `${req.method} ${url.pathname}`;
    let failures = 0;
    let lastRateLimit: { body: unknown; retryAfterMs?: number } | undefined;

    for (;;) {
      this.throwIfAborted();
      const remaining = deadline - Date.now();
      const slot = this.opts.budget.reserve(Math.max(0, remaining));
      if (!slot.ok) {
        throw new RemoteError(
          429,
          `${this.opts.vendor} rate limit: no request slot is free within this request's patience; retry after the time in Retry-After`,
          lastRateLimit?.body ?? null,
          Math.ceil(slot.retryAfterMs / 1000),
        );
      }
      if (slot.delayMs > 0) await this.sleep(slot.delayMs);

      let res: UpstreamResponse;
      const started = Date.now();
      try {
        res = await this.send(url, req);
      } catch (err) {
        this.throwIfAborted();
        failures += 1;
        const reason = describeNetworkError(err);
        this.opts.logger?.warn({ vendor: this.opts.vendor, where, attempt: failures, reason }, 'upstream request failed');
        const wait = this.backoff(failures);
        if (failures >= this.retry.maxAttempts || Date.now() + wait > deadline) {
          throw new RemoteError(502, `${this.opts.vendor} could not be reached (${where}): ${reason}`, null);
        }
        await this.sleep(wait);
        continue;
      }
      this.opts.logger?.debug(
        { vendor: this.opts.vendor, where, status: res.status, ms: Date.now() - started },
        'upstream response',
      );

      if (res.status >= 200 && res.status < 300) {
        if (res.body instanceof MalformedBody) {
          throw new RemoteError(502, `${this.opts.vendor} returned a body that is not valid JSON (${where})`, res.body.text);
        }
        return res;
      }
      if (req.passStatuses?.includes(res.status)) return res;
      const raw = res.body instanceof MalformedBody ? res.body.text : res.body;

      if (res.status === 429) {
        const retryAfterMs = parseRetryAfter(res.headers['retry-after']);
        lastRateLimit = { body: raw, retryAfterMs };
        failures += 1;
        // Without Retry-After the vendor gave no hint: back off exponentially like a 5xx.
        const wait = retryAfterMs ?? this.backoff(failures);
        this.opts.budget.pauseUntil(Date.now() + wait);
        if (Date.now() + wait > deadline) {
          throw new RemoteError(
            429,
            `${this.opts.vendor} is rate limiting this account (${where}); retry after the time in Retry-After`,
            raw,
            Math.max(1, Math.ceil(wait / 1000)),
          );
        }
        this.opts.logger?.warn({ vendor: this.opts.vendor, where, waitMs: wait }, 'upstream 429, waiting');
        continue; // the budget's pause makes the next reservation wait
      }
      if (res.status >= 500) {
        failures += 1;
        const wait = this.backoff(failures);
        if (failures >= this.retry.maxAttempts || Date.now() + wait > deadline) {
          throw new RemoteError(502, `${this.opts.vendor} answered ${res.status} (${where}) after ${failures} attempts`, raw);
        }
        this.opts.logger?.warn({ vendor: this.opts.vendor, where, status: res.status, attempt: failures }, 'upstream 5xx, retrying');
        await this.sleep(wait);
        continue;
      }
      throw new RemoteError(res.status, `${this.opts.vendor} refused the request (${where}): ${summarize(raw)}`, raw);
    }
  }

  /**
   * Hold every request of this account until `epochMs`: for vendors that signal a rate limit in a
   * 200 body (Fireflies' GraphQL), which this client cannot recognise itself.
   */
  pauseUntil(epochMs: number): void {
    this.opts.budget.pauseUntil(epochMs);
  }

  private throwIfAborted(): void {
    if (this.opts.signal?.aborted) throw new RequestAbortedError();
  }

  private async sleep(ms: number): Promise<void> {
    try {
      await sleep(ms, undefined, this.opts.signal ? { signal: this.opts.signal } : undefined);
    } catch (e) {
      if (this.opts.signal?.aborted) throw new RequestAbortedError();
      throw e;
    }
  }

  private backoff(failures: number): number {
    const cap = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (failures - 1));
    // full jitter, with a floor so retries never hammer
    return Math.round(cap / 2 + (this.random() * cap) / 2);
  }

  private async send(url: URL, req: UpstreamRequest): Promise<UpstreamResponse> {
    const headers: Record<string, string> = { accept: 'application/json', ...this.opts.headers };
    let body: string | undefined;
    if (req.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(req.body);
    }
    const res = await undiciRequest(url, {
      method: req.method,
      headers,
      body,
      dispatcher: this.opts.dispatcher,
      headersTimeout: this.opts.timeoutMs,
      bodyTimeout: this.opts.timeoutMs,
      signal: this.opts.signal,
    });
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers, body: parseJson(text) };
  }
}

export class MalformedBody {
  constructor(readonly text: string) {}
}

function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return new MalformedBody(text.length > MAX_BODY_CHARS ? text.slice(0, MAX_BODY_CHARS) : text);
  }
}

function summarize(raw: unknown): string {
  if (raw && typeof raw === 'object') {
    const errors = (raw as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) {
      // strings (Gong) or objects (JSON:API {title, detail}; GraphQL {message})
      return errors
        .map((e) => (e && typeof e === 'object' ? String((e as Record<string, unknown>).detail ?? (e as Record<string, unknown>).message ?? (e as Record<string, unknown>).title ?? JSON.stringify(e)) : String(e)))
        .join('; ');
    }
    const { message, detail } = raw as { message?: unknown; detail?: unknown };
    if (typeof message === 'string') return message;
    if (typeof detail === 'string') return detail;
  }
  const s = typeof raw === 'string' ? raw : JSON.stringify(raw);
  return (s ?? '').slice(0, 300);
}

function describeNetworkError(err: unknown): string {
  if (err && typeof err === 'object') {
    const code = (err as { code?: string }).code;
    const message = (err as { message?: string }).message;
    return [code, message].filter(Boolean).join(': ') || 'network error';
  }
  return String(err);
}
