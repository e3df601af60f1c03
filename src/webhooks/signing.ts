import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): the secret is `whsec_` + base64
 * of 24 random bytes; each attempt carries `webhook-id` (the event id, the same on every retry),
 * `webhook-timestamp` (seconds, the attempt's wall-clock time) and `webhook-signature`
 * (`v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`), computed by the `standardwebhooks`
 * package, the reference implementation receivers verify with.
 */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

export function signedHeaders(secret: string, eventId: string, body: string, wallClockMs: number): Record<string, string> {
  const timestamp = new Date(Math.floor(wallClockMs / 1000) * 1000);
  return {
    'webhook-id': eventId,
    'webhook-timestamp': String(Math.floor(wallClockMs / 1000)),
    'webhook-signature': new Webhook(secret).sign(eventId, timestamp, body),
  };
}

/** The secret at rest: sealed like credentials, bound to its webhook (a sealed secret copied onto another row does not open). */
export function sealSecret(cipher: { encrypt(plain: string, recordId: string): string }, webhookId: string, secret: string): string {
  return cipher.encrypt(secret, `webhook\u0000${webhookId}`);
}

export function openSecret(cipher: { decrypt(sealed: string, recordId: string): string }, webhookId: string, sealed: string): string {
  return cipher.decrypt(sealed, `webhook\u0000${webhookId}`);
}
