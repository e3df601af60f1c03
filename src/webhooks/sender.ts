import { Agent, request, type Dispatcher } from 'undici';
import { publicOnlyConnector, RefusedUpstreamAddress } from '../upstream/address-policy.js';

/**
 * One POST to a receiver, within a timeout, through a pool that applies the address policy on every
 * connection (a receiver's name that resolves to a private address is refused unless the operator
 * allows private addresses). Redirects are not followed: a 3xx is a failed attempt. The answer's body
 * is read and dropped (a receiver says all it needs with its status).
 */
export interface SendResult {
  statusCode: number | null;
  durationMs: number;
  /** in words; null on a 2xx */
  error: string | null;
}

export function createReceiverPool(allowPrivate: boolean, timeoutMs: number): Dispatcher {
  const connectTimeout = Math.min(10_000, timeoutMs);
  return new Agent({
    keepAliveTimeout: 10_000,
    connections: 32,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connect: allowPrivate ? { timeout: connectTimeout } : publicOnlyConnector({ timeout: connectTimeout }),
  });
}

export async function postToReceiver(
  pool: Dispatcher,
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  stop?: AbortSignal,
): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const res = await request(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'user-agent': 'Parley-Webhooks/1', ...headers },
      dispatcher: pool,
      signal: stop ? AbortSignal.any([AbortSignal.timeout(timeoutMs), stop]) : AbortSignal.timeout(timeoutMs),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    await res.body.dump({ limit: 64 * 1024 }).catch(() => {});
    const ok = res.statusCode >= 200 && res.statusCode < 300;
    return { statusCode: res.statusCode, durationMs: elapsed(), error: ok ? null : describeStatus(res.statusCode) };
  } catch (e) {
    return { statusCode: null, durationMs: elapsed(), error: describeError(e, timeoutMs) };
  }
}

function describeStatus(status: number): string {
  if (status >= 300 && status < 400) return `the receiver answered ${status} (redirects are not followed)`;
  return `the receiver answered ${status}`;
}

function describeError(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; code?: string; cause?: { code?: string; message?: string } };
  if (e instanceof RefusedUpstreamAddress || err.cause instanceof RefusedUpstreamAddress || err.code === 'EPRIVATEUPSTREAM') {
    return 'the receiver\'s address is not a public one; refused (PARLEY_ALLOW_PRIVATE_UPSTREAMS=true allows private receivers)';
  }
  if (err.name === 'TimeoutError' || err.name === 'AbortError' || err.code === 'UND_ERR_HEADERS_TIMEOUT' || err.code === 'UND_ERR_BODY_TIMEOUT') {
    return `no answer within ${timeoutMs} ms`;
  }
  const code = err.code ?? err.cause?.code;
  if (code === 'ECONNREFUSED') return 'could not connect: connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'could not resolve the receiver\'s host name';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'the receiver closed the connection';
  if (code) return `could not deliver: ${code}`;
  return 'could not deliver';
}
