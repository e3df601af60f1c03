import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { loadConfig, parseSecretKey, ConfigError } from '../src/config.js';

describe('config', () => {
  const key = randomBytes(32);
  it('reads the secret key as hex or base64, and refuses any other length', () => {
    expect(parseSecretKey(key.toString('hex')).equals(key)).toBe(true);
    expect(parseSecretKey(key.toString('base64')).equals(key)).toBe(true);
    expect(() => parseSecretKey('short')).toThrow(ConfigError);
    expect(() => parseSecretKey(randomBytes(16).toString('hex'))).toThrow(/32 bytes/);
  });
  it('refuses to start in production without PARLEY_SECRET_KEY, and turns the sandbox off there', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/PARLEY_SECRET_KEY is required/);
    const prod = loadConfig({ NODE_ENV: 'production', PARLEY_SECRET_KEY: key.toString('hex') });
    expect(prod.sandbox).toBe(false);
    expect(prod.production).toBe(true);
  });
  it('has the contract defaults and honours each variable', () => {
    const dev = loadConfig({ PARLEY_SECRET_KEY: key.toString('base64') });
    expect(dev).toMatchObject({ port: 8080, databaseUrl: 'sqlite:./.parley/parley.db', sandbox: true, allowPrivateUpstreams: false });
    const set = loadConfig({
      PARLEY_SECRET_KEY: key.toString('hex'),
      PORT: '9001',
      PARLEY_DATABASE_URL: 'postgres://x@y/z',
      PARLEY_SANDBOX: 'false',
      PARLEY_ALLOW_PRIVATE_UPSTREAMS: 'true',
      PARLEY_BOOTSTRAP_TOKEN: 'tok',
    });
    expect(set).toMatchObject({ port: 9001, databaseUrl: 'postgres://x@y/z', sandbox: false, allowPrivateUpstreams: true, bootstrapToken: 'tok' });
    expect(() => loadConfig({ PARLEY_SECRET_KEY: key.toString('hex'), PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ PARLEY_SECRET_KEY: key.toString('hex'), PARLEY_SANDBOX: 'yes' })).toThrow(/PARLEY_SANDBOX/);
  });
});
