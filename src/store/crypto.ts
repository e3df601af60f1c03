import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Credentials at rest: AES-256-GCM, a fresh 96-bit IV per record, the record id as additional
 * authenticated data so a ciphertext copied onto another record fails to decrypt.
 * Format: `v1.<iv>.<tag>.<ciphertext>` (base64url parts) so the scheme can be rotated later.
 */
export class CredentialCipher {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('credential key must be 32 bytes');
  }

  encrypt(plaintext: string, recordId: string): string {
    return this.encryptBytes(Buffer.from(plaintext, 'utf8'), recordId);
  }

  decrypt(sealed: string, recordId: string): string {
    return this.decryptBytes(sealed, recordId).toString('utf8');
  }

  encryptBytes(plaintext: Buffer, recordId: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(recordId, 'utf8'));
    const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
  }

  decryptBytes(sealed: string, recordId: string): Buffer {
    const [version, iv, tag, ct] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || ct === undefined) throw new Error('unknown credential format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(recordId, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]);
  }
}

/**
 * API tokens are 256-bit random strings, so a plain SHA-256 is enough to store them: there is no
 * low-entropy password to protect from brute force, and lookups stay a single indexed equality.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function newApiToken(): string {
  return `prl_${randomBytes(32).toString('base64url')}`;
}
