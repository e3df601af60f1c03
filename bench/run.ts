import { run as runMetrics } from './metrics.js';
import { run as runMapping } from './mapping.js';
import { run as runCliMemory } from './cli-memory.js';
import { runOverhead, runPacing } from './gong-api.js';
import { runStore } from './store.js';
import { runRefreshCost } from './refresh-cost.js';
import { runWebhooks } from './webhooks.js';
import { runScale } from './scale.js';

/**
 * `npm run bench`: every benchmark, each figure a median over interleaved rounds with its min–max,
 * against a baseline measured in the same run. About four minutes on a 2-core machine.
 */
const started = performance.now();
console.log(`Parley benchmarks — node ${process.version}, ${new Date().toISOString()}\n`);
await runOverhead();
await runPacing();
await runMapping();
await runMetrics();
await runCliMemory();
await runStore();
await runRefreshCost();
await runWebhooks();
await runScale();
console.log(`\n(all benchmarks: ${((performance.now() - started) / 1000).toFixed(0)} s)`);
