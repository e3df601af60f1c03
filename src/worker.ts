import { loadConfig, ConfigError } from './config.js';
import { createParley } from './server.js';

/**
 * `parley worker` (or `npm start` with PARLEY_ROLE=worker): runs sync jobs, serves no HTTP. With
 * PARLEY_REDIS_URL it takes jobs from the shared BullMQ queue alongside any other workers; without,
 * it runs the in-process scheduler against the configured database (the engine's claim keeps two
 * processes off one account).
 */
export async function runWorker(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let config;
  try {
    config = { ...loadConfig(env), role: 'worker' as const };
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`parley: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const parley = await createParley(config);
  await parley.startBackgroundWork();
  const queue = config.redisUrl ? `jobs from Redis (${redactUrl(config.redisUrl)})` : 'the in-process scheduler (no PARLEY_REDIS_URL)';
  process.stdout.write(`Parley worker ${process.pid}: running sync jobs with ${queue}; no HTTP\n`);
  // the in-process scheduler's timer does not hold the process open (it is unref'd): this does
  const alive = setInterval(() => {}, 1 << 30);
  const stop = async () => {
    clearInterval(alive);
    await parley.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@');
}
