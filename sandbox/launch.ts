import { Worker } from 'node:worker_threads';
import { startAvomaSimulator, type AvomaSimulatorOptions } from './avoma/index.js';
import { startChorusSimulator, type ChorusSimulatorOptions } from './chorus/index.js';
import { startClariCopilotSimulator, type ClariCopilotSimulatorOptions } from './clari_copilot/index.js';
import { FATHOM_API_PREFIX, startFathomSimulator, type FathomSimulatorOptions } from './fathom/index.js';
import { startFirefliesSimulator, type FirefliesSimulatorOptions } from './fireflies/index.js';
import { startGongSimulator, type GongSimulatorOptions } from './gong/index.js';
import { startGrainSimulator, type GrainSimulatorOptions } from './grain/index.js';

/**
 * Starting a set of simulators, here or in a worker thread of their own. A simulator generates its
 * synthetic data synchronously; in its own thread a heavy request of one of them never blocks the
 * event loop of the API that talks to it (`npm start`). Tests start them here, to reach their
 * datasets and request logs.
 */

/** Options per simulator; structured-cloneable (no functions), so they can cross to a worker. */
export interface SimulatorOptionsByName {
  gong: Omit<GongSimulatorOptions, 'now' | 'rateClock'>;
  clari_copilot: Omit<ClariCopilotSimulatorOptions, 'now' | 'rateClock'>;
  chorus: Omit<ChorusSimulatorOptions, 'now'>;
  avoma: Omit<AvomaSimulatorOptions, 'now'>;
  fireflies: Omit<FirefliesSimulatorOptions, 'now'>;
  fathom: Omit<FathomSimulatorOptions, 'now'>;
  grain: Omit<GrainSimulatorOptions, 'now'>;
}

export type SimulatorName = keyof SimulatorOptionsByName;

export type SimulatorLaunch = { [N in SimulatorName]: { name: N; options: SimulatorOptionsByName[N] } }[SimulatorName];

/** A started simulator as a client sees it: where it listens and what it accepts as credentials. */
export interface LaunchedSimulator {
  /** the simulator's origin (its control plane is at `${url}/__sandbox`) */
  url: string;
  /** the path the vendor's API lives under, when not the root (Fathom: /external/v1) */
  apiPath?: string;
  /** the vendor's credentials this simulator accepts, in the vendor's own words */
  auth: Record<string, string>;
}

export interface LaunchedSimulators {
  simulators: LaunchedSimulator[];
  close(): Promise<void>;
}

type Started = LaunchedSimulator & { close(): Promise<void> };

const STARTERS: { [N in SimulatorName]: (options: SimulatorOptionsByName[N]) => Promise<Started> } = {
  async gong(o) {
    const sim = await startGongSimulator(o);
    return {
      url: sim.url,
      auth: { accessKey: o.accessKey ?? 'sandbox-key', accessKeySecret: o.accessKeySecret ?? 'sandbox-secret', oauthClientId: sim.oauth.clientId, oauthClientSecret: sim.oauth.clientSecret },
      close: () => sim.close(),
    };
  },
  async clari_copilot(o) {
    const sim = await startClariCopilotSimulator(o);
    return { url: sim.url, auth: { apiKey: o.apiKey ?? 'sandbox-key', apiPassword: o.apiPassword ?? 'sandbox-password' }, close: () => sim.close() };
  },
  async chorus(o) {
    const sim = await startChorusSimulator(o);
    return { url: sim.url, auth: { token: sim.token }, close: () => sim.close() };
  },
  async avoma(o) {
    const sim = await startAvomaSimulator(o);
    return { url: sim.url, auth: { apiKey: sim.apiKey }, close: () => sim.close() };
  },
  async fireflies(o) {
    const sim = await startFirefliesSimulator(o);
    return { url: sim.url, auth: { apiKey: sim.apiKey }, close: () => sim.close() };
  },
  async fathom(o) {
    const sim = await startFathomSimulator(o);
    return { url: sim.url, apiPath: FATHOM_API_PREFIX, auth: { apiKey: sim.apiKey }, close: () => sim.close() };
  },
  async grain(o) {
    const sim = await startGrainSimulator(o);
    return { url: sim.url, auth: { token: sim.token }, close: () => sim.close() };
  },
};

/** Starts the simulators in this thread. */
export async function startSimulators(launches: readonly SimulatorLaunch[]): Promise<LaunchedSimulators> {
  const started = await Promise.all(launches.map((l) => (STARTERS[l.name] as (o: unknown) => Promise<Started>)(l.options)));
  return {
    simulators: started.map(({ url, apiPath, auth }) => ({ url, ...(apiPath ? { apiPath } : {}), auth })),
    close: async () => {
      await Promise.all(started.map((s) => s.close()));
    },
  };
}

/** What the worker posts back: the simulators once they listen, or why they could not start. */
export type WorkerReport = { simulators: LaunchedSimulator[] } | { error: string };

/** Starts the simulators in a worker thread of their own; `close()` stops them and the thread. */
export async function startSimulatorsInWorker(launches: readonly SimulatorLaunch[]): Promise<LaunchedSimulators> {
  const self = new URL(import.meta.url);
  // Run from a build, the worker entry is JavaScript beside this file; run from TypeScript sources
  // (tsx), the worker registers the same loader for its own module graph first (loader hooks of
  // the main thread do not reach a worker on Node 20).
  const extension = self.pathname.slice(self.pathname.lastIndexOf('.'));
  const entry = new URL(`./simulator-worker${extension}`, self);
  const worker =
    extension === '.ts'
      ? new Worker(
          `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`,
          { eval: true, workerData: { launches } },
        )
      : new Worker(entry, { workerData: { launches } });
  const report = await new Promise<WorkerReport>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the simulator thread exited (${code}) before its simulators listened`)));
  });
  if ('error' in report) {
    await worker.terminate();
    throw new Error(`the simulators could not start: ${report.error}`);
  }
  worker.unref();
  return {
    simulators: report.simulators,
    close: async () => {
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.postMessage('close');
      await exited;
    },
  };
}
