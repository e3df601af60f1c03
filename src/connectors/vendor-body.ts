import type { z } from 'zod';
import { RemoteError } from '../domain/errors.js';
import type { UpstreamClient, UpstreamRequest } from '../upstream/client.js';

/**
 * Parse a vendor body with the connector's schema; a body of the wrong shape is the vendor's fault
 * (502, with the body as raw_response), never a crash or a 500.
 */
export function parseVendorBody<S extends z.ZodType>(vendor: string, schema: S, body: unknown, where: string): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RemoteError(
      502,
      `${vendor} returned an unexpected body for ${where}: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
      body,
    );
  }
  return parsed.data;
}

/**
 * A vendor's 4xx whose body says why (other than a 429) → the same error with the vendor's own
 * words in the message; the body stays the raw_response. Anything else is returned unchanged.
 */
export function withVendorReason(err: unknown, vendor: string, where: string, reasonOf: (body: unknown) => string | undefined): unknown {
  if (!(err instanceof RemoteError) || err.statusCode >= 500 || err.statusCode === 429) return err;
  const reason = reasonOf(err.rawResponse)?.trim();
  if (!reason) return err;
  return new RemoteError(err.statusCode, `${vendor} refused the request (${where}): ${reason}`, err.rawResponse, err.retryAfterSeconds);
}

/**
 * A vendor continuation (cursor, key) to send next, or undefined on the last page. One equal to the
 * one just sent would loop forever: that is a vendor error (502), not a page.
 */
export function nextContinuation(
  vendor: string,
  name: string,
  sent: string | undefined,
  received: string | null | undefined,
  where: string,
  body: unknown,
): string | undefined {
  if (received === undefined || received === null || received === '') return undefined;
  if (received === sent) throw new RemoteError(502, `${vendor} repeated a ${name} on ${where}; stopped to avoid a loop`, body);
  return received;
}

/** How a vendor answers: its name in messages, and the reason its error bodies give. */
export interface VendorDialect {
  vendor: string;
  reasonOf(body: unknown): string | undefined;
}

/**
 * One request whose answer is validated with `schema`: a refusal carries the vendor's reason
 * (`withVendorReason`), a pass-through status (`req.passStatuses`) is `undefined`, and `where` (the
 * route with its ids as placeholders) names the endpoint in every message.
 */
export async function vendorRequest<S extends z.ZodType>(
  http: UpstreamClient,
  dialect: VendorDialect,
  where: string,
  req: UpstreamRequest,
  schema: S,
): Promise<z.infer<S> | undefined> {
  let res;
  try {
    res = await http.request(req);
  } catch (err) {
    throw withVendorReason(err, dialect.vendor, where, dialect.reasonOf);
  }
  if (req.passStatuses?.includes(res.status)) return undefined;
  return parseVendorBody(dialect.vendor, schema, res.body, where);
}
