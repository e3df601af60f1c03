import { run as runMetrics } from './metrics.js';
import { run as runMapping } from './mapping.js';
import { runOverhead, runPacing } from './gong-api.js';

/** `npm run bench`: every benchmark, each printing its figure as a ratio against a same-run baseline. */
console.log(`Parley benchmarks — node ${process.version}, ${new Date().toISOString()}\n`);
await runOverhead();
await runPacing();
await runMapping();
await runMetrics();
