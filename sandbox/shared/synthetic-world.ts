import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { DateTime } from 'luxon';
import { GongDataset, type SimulatedCall } from '../gong/dataset.js';
import { hashSeed } from './prng.js';

/**
 * The pieces a simulator built on the shared synthetic world (`GongDataset`: people, calls per day,
 * conversations) takes from it, and how it listens. Vendor-specific shapes stay in each simulator.
 */

export interface SyntheticWorldOptions {
  /** seed of the synthetic data; default 7 */
  seed?: number;
  /** active users (a departed one comes on top); default 6 */
  userCount?: number;
  /** first day with calls, YYYY-MM-DD; default 2023-01-01 */
  historyStart?: string;
}

/** The synthetic company, working in New York business hours (the vendor itself may speak UTC only). */
export function syntheticWorld(options: SyntheticWorldOptions): GongDataset {
  return new GongDataset({
    seed: options.seed ?? 7,
    timeZone: 'America/New_York',
    userCount: options.userCount ?? 6,
    ...(options.historyStart ? { historyStart: options.historyStart } : {}),
  });
}

export interface ListenOptions {
  /** default 127.0.0.1 */
  host?: string;
  /** default 0 (any free port) */
  port?: number;
}

/** Starts `app` and answers its origin, e.g. http://127.0.0.1:PORT. */
export async function listenOn(app: FastifyInstance, options: ListenOptions): Promise<string> {
  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address() as AddressInfo;
  return `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
}

/** An instant as vendors print it: ISO 8601 UTC, `Z`, milliseconds only when there are some. */
export function isoUtc(ms: number): string {
  return DateTime.fromMillis(ms, { zone: 'utc' }).toISO({ suppressMilliseconds: true }) as string;
}

/**
 * The Gong user id of the co-host whose voice the vendor matched to nobody on this call, if any:
 * recorders that name speakers by matching voices to invitees miss some (a deterministic `share` of
 * co-hosted calls, drawn per vendor `label`).
 */
export function unmatchedCohost(call: SimulatedCall, seed: number, label: string, share: number): string | undefined {
  const cohost = call.internalUserIds[1];
  if (!cohost) return undefined;
  return hashSeed(seed, label, call.id) / 2 ** 32 < share ? cohost : undefined;
}
