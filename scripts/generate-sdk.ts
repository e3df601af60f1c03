// `npm run sdk:generate`: sdk/schema.ts from the OpenAPI document of the routes in this checkout,
// taken from an in-memory Parley (a throwaway SQLite file, no sandbox, no port).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createParley } from '../src/server.js';
import { generateSchemaSource } from '../sdk/generate.js';

const dir = mkdtempSync(join(tmpdir(), 'parley-sdk-'));
try {
  const parley = await createParley(
    {
      port: 0,
      host: '127.0.0.1',
      production: false,
      databaseUrl: `sqlite:${join(dir, 'parley.db')}`,
      secretKey: randomBytes(32),
      sandbox: false,
      allowPrivateUpstreams: false,
      logLevel: 'silent',
      upstreamPatienceMs: 12_000,
      upstreamTimeoutMs: 8_000,
      role: 'api',
      syncConcurrency: 1,
    },
    { logger: pino({ level: 'silent' }) },
  );
  try {
    await parley.app.ready();
    const target = fileURLToPath(new URL('../sdk/schema.ts', import.meta.url));
    writeFileSync(target, await generateSchemaSource(parley.app.swagger()));
    process.stdout.write(`wrote ${target}\n`);
  } finally {
    await parley.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
