import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { CredentialCipher, hashToken } from '../../src/store/crypto.js';

describe('credential encryption', () => {
  const cipher = new CredentialCipher(randomBytes(32));
  it('round-trips and never contains the plaintext', () => {
    const sealed = cipher.encrypt('{"access_key_secret":"s3cr3t-value"}', 'acc-1');
    expect(sealed).not.toContain('s3cr3t');
    expect(cipher.decrypt(sealed, 'acc-1')).toBe('{"access_key_secret":"s3cr3t-value"}');
  });
  it('uses a fresh IV per record: the same plaintext never encrypts the same way twice', () => {
    const a = cipher.encrypt('same', 'acc');
    const b = cipher.encrypt('same', 'acc');
    expect(a).not.toBe(b);
    expect(a.split('.')[1]).not.toBe(b.split('.')[1]);
  });
  it('refuses tampering, another record id, and another key', () => {
    const sealed = cipher.encrypt('secret', 'acc-1');
    expect(() => cipher.decrypt(sealed, 'acc-2')).toThrow();
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[3]!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => cipher.decrypt([parts[0], parts[1], parts[2], flipped.toString('base64url')].join('.'), 'acc-1')).toThrow();
    expect(() => new CredentialCipher(randomBytes(32)).decrypt(sealed, 'acc-1')).toThrow();
  });
  it('hashes tokens one way', () => {
    expect(hashToken('prl_abc')).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken('prl_abc')).not.toContain('abc');
  });
});
