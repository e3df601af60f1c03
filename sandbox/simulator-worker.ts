import { parentPort, workerData } from 'node:worker_threads';
import { startSimulators, type SimulatorLaunch, type WorkerReport } from './launch.js';

/** The simulators' own thread (see `startSimulatorsInWorker`): starts them, reports, stops on 'close'. */
const { launches } = workerData as { launches: SimulatorLaunch[] };
const port = parentPort!;
try {
  const running = await startSimulators(launches);
  port.on('message', (message) => {
    if (message === 'close') void running.close().finally(() => port.close());
  });
  port.postMessage({ simulators: running.simulators } satisfies WorkerReport);
} catch (e) {
  port.postMessage({ error: (e as Error).message } satisfies WorkerReport);
}
