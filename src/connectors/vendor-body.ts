import type { z } from 'zod';
import { RemoteError } from '../domain/errors.js';

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
