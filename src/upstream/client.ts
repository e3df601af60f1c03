import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request as undiciRequest, type Dispatcher } from 'undici';
import { RemoteError, RequestAbortedError } from '../domain/errors.js';
import type { SendBudget, SendPermit, SendPriority } from './rate-budget.js';
import { publicOnlyConnector, RefusedUpstreamAddress, type Lookup } from './address-policy.js';

/**
 * The HTTP client every connector shares: pooled keep-alive connections (undici), the vendor's rate
 * budget held on real send instants, Retry-After, exponential backoff with full jitter on 5xx,
 * network errors and hung attempts, and a bounded total time per call (its patience). Vendor
 * failures leave here as RemoteError only; a caller that went away ends every wait at once
 * (RequestAbortedError).
 */

export interface UpstreamLogger {
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** Told of every attempt's result (src/observability counts them); must not throw. */
export interface UpstreamObserver {
  /** `error`: no answer (network failure, timeout, refused address) */
  attempted(vendor: string, status: number | 'error'): void;
  /** how long a request waited for the rate budget before it was admitted */
  waited?(vendor: string, seconds: number): void;
}

export interface RetryPolicy {
  /** attempts for 5xx / network errors / timeouts, the first included */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 400, maxDelayMs: 8_000 };

/**
 * One attempt gets at most this share of the call's patience, so a hung attempt leaves time for
 * another one (12 s of patience → attempts of at most 8 s, then a retry).
 */
export const ATTEMPT_SHARE_OF_PATIENCE = 2 / 3;

/** Larger answers are refused (502) rather than buffered: no vendor page comes near it. */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export interface UpstreamClientOptions {
  /** vendor name for error messages */
  vendor: string;
  baseUrl: string;
  /** auth and other fixed headers; never logged */
  headers: Record<string, string>;
  budget: SendBudget;
  dispatcher: Dispatcher;
  /** longest single attempt (connecting, waiting in the pool, headers and body); see ATTEMPT_SHARE_OF_PATIENCE */
  timeoutMs: number;
  /** default total time of one call — budget waits, Retry-After, backoff and attempts — before it gives up */
  patienceMs: number;
  retry?: RetryPolicy;
  logger?: UpstreamLogger;
  observer?: UpstreamObserver;
  random?: () => number;
  /** aborting it ends every wait and request of this client at once, with RequestAbortedError */
  signal?: AbortSignal;
  /**
   * Aborting it stops this client from *sending*: waits for a slot, backoffs and Retry-After waits
   * end with RequestAbortedError, but an attempt already on the wire runs to its end (its answer is
   * not wasted: a page whose time ran out keeps it for the next page).
   */
  stopSending?: AbortSignal;
  /** default MAX_RESPONSE_BYTES */
  maxResponseBytes?: number;
  /** `background` (sync runs) sends only what live requests leave of the account's budget; default live */
  priority?: SendPriority;
  /** how a body's text becomes a value; default JSON.parse (Gong: `parseJsonKeepingBigIntegers`) */
  parseJson?: (text: string) => unknown;
  /** headers read before every attempt, on top of `headers` (an OAuth access token that is refreshed); never logged */
  authHeaders?: () => Promise<Record<string, string>>;
  /**
   * The vendor answered 401/403 (before it is thrown). Resolves true to send the request once more
   * (an OAuth token was refreshed; honoured once per request: `retried` says it was already).
   */
  onAuthRejected?: (status: number, req: UpstreamRequest, retried: boolean) => Promise<boolean>;
}

export interface UpstreamRequest {
  method: 'GET' | 'POST';
  path: string;
  /** an array repeats the parameter (`?status=A&status=B`) */
  query?: Record<string, string | readonly string[] | undefined>;
  body?: unknown;
  /** statuses returned to the caller instead of thrown (Gong: 404 = no records) */
  passStatuses?: readonly number[];
  /** this call's patience instead of the client's (a background sync may wait longer than a live read) */
  patienceMs?: number;
  /** ends this call, as the client's signal does */
  signal?: AbortSignal;
}

export interface UpstreamResponse {
  status: number;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * One process-wide pool per policy; connectors never create their own. Redirects are never
 * followed (undici's default, kept on purpose): a vendor's 3xx must not carry the account's
 * credentials to another host.
 */
export function createDispatchers(timeoutMs: number, lookup?: Lookup): { publicOnly: Dispatcher; any: Dispatcher } {
  const connectTimeout = Math.min(10_000, timeoutMs);
  const common = {
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 120_000,
    connections: 16,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  };
  return {
    publicOnly: new Agent({ ...common, connect: publicOnlyConnector({ timeout: connectTimeout, lookup }) }),
    any: new Agent({ ...common, connect: { timeout: connectTimeout } }),
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

/** Why one attempt got no usable answer; retried like a 5xx. */
class AttemptFailed extends Error {}

export class UpstreamClient {
  private readonly retry: RetryPolicy;
  private readonly random: () => number;

  constructor(private readonly opts: UpstreamClientOptions) {
    this.retry = opts.retry ?? DEFAULT_RETRY;
    this.random = opts.random ?? Math.random;
  }

  async request(req: UpstreamRequest): Promise<UpstreamResponse> {
    const cancel = linkSignals(this.opts.signal, req.signal);
    const stop = this.opts.stopSending ? linkSignals(cancel.signal, this.opts.stopSending) : undefined;
    try {
      return await this.run(req, cancel.signal, stop?.signal ?? cancel.signal);
    } catch (err) {
      if (cancel.signal.aborted || stop?.signal.aborted) throw new RequestAbortedError();
      throw err;
    } finally {
      stop?.dispose();
      cancel.dispose();
    }
  }

  /**
   * Hold every request of this account until `epochMs`: for vendors that signal a rate limit in a
   * 200 body (Fireflies' GraphQL), which this client cannot recognise itself.
   */
  pauseUntil(epochMs: number): void {
    this.opts.budget.pauseUntil(epochMs);
  }

  /** `signal` ends everything; `waits` (which also fires with `signal`) ends waiting and sending, not an attempt on the wire */
  private async run(req: UpstreamRequest, signal: AbortSignal, waits: AbortSignal): Promise<UpstreamResponse> {
    const patienceMs = req.patienceMs ?? this.opts.patienceMs;
    const deadline = Date.now() + patienceMs;
    const attemptCapMs = Math.min(this.opts.timeoutMs, Math.ceil(patienceMs * ATTEMPT_SHARE_OF_PATIENCE));
    const url = new URL(req.path.replace(/^\//, ''), this.opts.baseUrl.endsWith('/') ? this.opts.baseUrl : `${this.opts.baseUrl}/`);
    for (const [k, v] of Object.entries(req.query ?? {})) {
      if (typeof v === 'string') url.searchParams.set(k, v);
      else for (const item of v ?? []) url.searchParams.append(k, item);
    }
    const where = `${req.method} ${url.pathname}`;
    const vendor = this.opts.vendor;
    // An attempt with less time than this left is not started: it could only fail.
    const minAttemptMs = Math.ceil(attemptCapMs / 4);
    let failures = 0;
    // What the vendor did last: when time runs out, that (not our budget) is why the call failed.
    let lastFailure: RemoteError | undefined;
    let authRetried = false;

    /** counts a 5xx or network failure, then waits for the next attempt or gives up with `failure` */
    const retryAfterFailure = async (failure: RemoteError): Promise<void> => {
      lastFailure = failure;
      const wait = this.backoff(failures);
      if (failures >= this.retry.maxAttempts || Date.now() + wait + minAttemptMs > deadline) throw failure;
      await sleep(wait, undefined, { signal: waits });
    };

    /** our own budget had no slot in time (and the vendor had not failed before) */
    const noSlot = (retryAfterMs: number): RemoteError =>
      new RemoteError(
        429,
        `${vendor} rate limit: no request slot is free within this request's patience; retry after the time in Retry-After`,
        null,
        Math.max(1, Math.ceil(retryAfterMs / 1000)),
      );

    for (;;) {
      waits.throwIfAborted();
      const authHeaders = this.opts.authHeaders ? await this.opts.authHeaders() : undefined;
      waits.throwIfAborted();
      const asked = performance.now();
      const admission = await this.opts.budget.acquire({ deadline: deadline - minAttemptMs, signal: waits, priority: this.opts.priority ?? 'live' });
      if (admission.ok) this.opts.observer?.waited?.(vendor, (performance.now() - asked) / 1000);
      if (!admission.ok) throw lastFailure ?? noSlot(admission.retryAfterMs);
      if (deadline - Date.now() < minAttemptMs) {
        admission.permit.release();
        throw lastFailure ?? noSlot(1000);
      }

      let res: UpstreamResponse;
      const started = Date.now();
      const timeoutMs = Math.max(1, Math.min(attemptCapMs, deadline - started));
      try {
        res = await this.attempt(url, req, admission.permit, timeoutMs, signal, authHeaders);
      } catch (err) {
        signal.throwIfAborted();
        this.opts.observer?.attempted(vendor, 'error');
        if (err instanceof RemoteError) throw err;
        if (err instanceof RefusedUpstreamAddress) {
          // a policy refusal: retrying cannot help, and the resolved address stays unsaid
          throw new RemoteError(502, `${vendor} could not be reached (${where}): ${(err as Error).message}`, null);
        }
        const reason = describeNetworkError(err);
        // An attempt cut short by the call's remaining patience after the vendor rate-limited us:
        // the call ran out of time because of the rate limit, and that is what the client must hear.
        if (lastFailure?.statusCode === 429 && timeoutMs < attemptCapMs) throw lastFailure;
        failures += 1;
        this.opts.logger?.warn({ vendor, where, attempt: failures, reason }, 'upstream request failed');
        await retryAfterFailure(new RemoteError(502, `${vendor} could not be reached (${where}): ${reason}`, null));
        continue;
      }
      this.opts.logger?.debug({ vendor, where, status: res.status, ms: Date.now() - started }, 'upstream response');
      this.opts.observer?.attempted(vendor, res.status);

      if (res.status >= 200 && res.status < 300) {
        if (res.body instanceof MalformedBody) {
          throw new RemoteError(502, `${vendor} returned a body that is not valid JSON (${where})`, res.body.text);
        }
        return res;
      }
      if ((res.status === 401 || res.status === 403) && this.opts.onAuthRejected) {
        const retry = await this.opts.onAuthRejected(res.status, req, authRetried);
        if (retry && !authRetried) {
          authRetried = true;
          continue;
        }
      }
      if (req.passStatuses?.includes(res.status)) return res;
      const raw = res.body instanceof MalformedBody ? res.body.text : res.body;

      if (res.status === 429) {
        failures += 1;
        // Without Retry-After the vendor gave no hint: back off exponentially like a 5xx.
        const wait = parseRetryAfter(res.headers['retry-after']) ?? this.backoff(failures);
        this.opts.budget.pauseUntil(Date.now() + wait);
        lastFailure = new RemoteError(
          429,
          `${vendor} is rate limiting this account (${where}); retry after the time in Retry-After`,
          raw,
          Math.max(1, Math.ceil(wait / 1000)),
        );
        if (Date.now() + wait + minAttemptMs > deadline) throw lastFailure;
        this.opts.logger?.warn({ vendor, where, waitMs: wait }, 'upstream 429, waiting');
        continue; // the budget's pause makes the next admission wait
      }
      if (res.status >= 500 && res.status <= 599) {
        failures += 1;
        this.opts.logger?.warn({ vendor, where, status: res.status, attempt: failures }, 'upstream 5xx, retrying');
        await retryAfterFailure(new RemoteError(502, `${vendor} answered ${res.status} (${where}) after ${failures} attempts`, raw));
        continue;
      }
      if (res.status >= 400 && res.status <= 499) {
        throw new RemoteError(res.status, `${vendor} refused the request (${where}): ${summarize(raw)}`, raw);
      }
      // 1xx/3xx and non-HTTP statuses: not an answer Parley can use, and never a status to pass on
      throw new RemoteError(
        502,
        res.status >= 300 && res.status <= 399
          ? `${vendor} answered a redirect (${res.status}) to ${where}; Parley does not follow vendor redirects (the account's credentials must not reach another host)`
          : `${vendor} answered an unexpected status ${res.status} (${where})`,
        raw,
      );
    }
  }

  private backoff(failures: number): number {
    const cap = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (failures - 1));
    // full jitter, with a floor so retries never hammer
    return Math.round(cap / 2 + (this.random() * cap) / 2);
  }

  /**
   * One request, bounded by `timeoutMs` from dispatch to the last byte. The permit is marked sent
   * when a pooled connection starts writing the request, and given back if it never did.
   */
  private async attempt(
    url: URL,
    req: UpstreamRequest,
    permit: SendPermit,
    timeoutMs: number,
    signal: AbortSignal,
    authHeaders?: Record<string, string>,
  ): Promise<UpstreamResponse> {
    const headers: Record<string, string> = { accept: 'application/json', ...this.opts.headers, ...authHeaders };
    let body: string | undefined;
    if (req.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(req.body);
    }
    const timedOut = new AttemptFailed(`no complete answer within ${timeoutMs} ms`);
    const attempt = linkSignals(signal);
    const timer = setTimeout(() => attempt.abort(timedOut), timeoutMs);
    try {
      const pending = undiciRequest(url, {
        method: req.method,
        headers,
        body,
        signal: attempt.signal,
        dispatcher: this.opts.dispatcher.compose((dispatch) => (opts, handler) => dispatch(opts, observeSend(handler, permit))),
        // the attempt's own timer above decides; undici's timers are only a backstop
        headersTimeout: timeoutMs + 1_000,
        bodyTimeout: timeoutMs + 1_000,
      });
      // undici ends a request still waiting in the pool only once a connection takes it: end it here now
      const res = await untilAborted(pending, attempt.signal);
      const maxBytes = this.opts.maxResponseBytes ?? MAX_RESPONSE_BYTES;
      const text = await readBounded(res.body, maxBytes);
      if (text === undefined) {
        throw new RemoteError(502, `${this.opts.vendor} answered more than ${maxBytes} bytes (${req.method} ${url.pathname}); refused`, null);
      }
      return { status: res.statusCode, headers: res.headers, body: parseJson(text, this.opts.parseJson ?? JSON.parse) };
    } catch (err) {
      if (attempt.signal.reason === timedOut) throw timedOut;
      throw err;
    } finally {
      clearTimeout(timer);
      attempt.dispose();
      permit.release(); // no-op once sent
    }
  }
}

/** Passes every event through, and tells the permit the moment the request starts leaving. */
function observeSend(inner: Dispatcher.DispatchHandler, permit: SendPermit): Dispatcher.DispatchHandler {
  return {
    onRequestStart: (controller, context) => {
      permit.sent();
      inner.onRequestStart?.(controller, context);
    },
    onRequestUpgrade: (...args) => inner.onRequestUpgrade?.(...args),
    onResponseStart: (...args) => inner.onResponseStart?.(...args),
    onResponseData: (...args) => inner.onResponseData?.(...args),
    onResponseEnd: (...args) => inner.onResponseEnd?.(...args),
    onResponseError: (...args) => inner.onResponseError?.(...args),
  };
}

/** One signal that aborts when any of `signals` does, or when `abort` is called; `dispose` unhooks it. */
function linkSignals(...signals: (AbortSignal | undefined)[]): { signal: AbortSignal; abort(reason: unknown): void; dispose(): void } {
  const controller = new AbortController();
  const hooked: AbortSignal[] = [];
  const onAbort = function (this: AbortSignal): void {
    controller.abort(this.reason);
  };
  for (const s of signals) {
    if (!s) continue;
    if (s.aborted) {
      controller.abort(s.reason);
      break;
    }
    s.addEventListener('abort', onAbort, { once: true });
    hooked.push(s);
  }
  return {
    signal: controller.signal,
    abort: (reason) => controller.abort(reason),
    dispose: () => {
      for (const s of hooked) s.removeEventListener('abort', onAbort);
    },
  };
}

/** `promise`, or the signal's reason as soon as it aborts; a late answer is drained and dropped. */
function untilAborted<T extends { body: { dump(): Promise<void> } }>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) void value.body.dump().catch(() => undefined);
        else resolve(value);
      },
      (err) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/** The body as text, or undefined once it exceeds `maxBytes` (the rest is not read). */
async function readBounded(body: AsyncIterable<Buffer> & { destroy(err?: Error): unknown }, maxBytes: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export class MalformedBody {
  constructor(readonly text: string) {}
}

function parseJson(text: string, parse: (text: string) => unknown): unknown {
  if (text === '') return null;
  try {
    return parse(text);
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
  if (err instanceof AttemptFailed) return err.message;
  if (err && typeof err === 'object') {
    const code = (err as { code?: string }).code;
    const message = (err as { message?: string }).message;
    return [code, message].filter(Boolean).join(': ') || 'network error';
  }
  return String(err);
}
