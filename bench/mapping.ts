import { pathToFileURL } from 'node:url';
import jsonata from 'jsonata';
import { mapGongInteractionStats } from '../src/connectors/gong/mappers.js';
import type { GongPersonStats, GongUser } from '../src/connectors/gong/schemas.js';
import { interleaved, ratios, show, spread } from './stats.js';

/**
 * (c) Mapping throughput: Gong stats rows → unified records with Parley's mapper, against the
 * same mapping written as a JSONata expression (the engine hosted unified APIs use for mappings).
 * Both run in this process over the same rows, interleaved round by round; the figure is the ratio.
 */
const NAMES = ['Talk Ratio', 'Longest Monologue', 'Longest Customer Story', 'Interactivity', 'Patience', 'Question Rate', 'Filler Words'];

function rows(n: number): { rows: GongPersonStats[]; users: Map<string, GongUser> } {
  const out: GongPersonStats[] = [];
  const users = new Map<string, GongUser>();
  for (let i = 0; i < n; i++) {
    const id = String(7_000_000_000_000_000_000n + BigInt(i * 7919));
    users.set(id, { id, emailAddress: `rep${i}@example.com`, emailAliases: [`r${i}@example.org`], firstName: 'Rep', lastName: String(i) });
    out.push({
      userId: id,
      userEmailAddress: `rep${i}@example.com`,
      personInteractionStats: NAMES.filter((_, k) => (i + k) % 9 !== 0).map((name, k) => ({ name, value: ((i * 31 + k * 17) % 1000) / 10 })),
    });
  }
  return { rows: out, users };
}

const EXPRESSION = `
$map(rows, function($r) {
  (
    $u := $lookup($users, $r.userId);
    $stat := function($n) { $r.personInteractionStats[name = $n].value };
    {
      "user": {
        "id": $string($r.userId),
        "name": $join([$u.firstName, $u.lastName], " "),
        "emails": $append(
          [{ "email": $u.emailAddress ? $u.emailAddress : $r.userEmailAddress, "is_primary": true }],
          $map($u.emailAliases, function($a) { { "email": $a, "is_primary": false } })
        )
      },
      "metrics": {
        "longest_monologue": $stat("Longest Monologue"),
        "longest_customer_story": $stat("Longest Customer Story"),
        "interactivity": $stat("Interactivity"),
        "patience": $stat("Patience"),
        "question_rate": $stat("Question Rate")
      },
      "additional_metrics": [$r.personInteractionStats[$not(name in $standard)].{ "name": name, "value": value }],
      "remote_data": $r
    }
  )
})`;

export async function run() {
  const N = 5000;
  const { rows: data, users } = rows(N);
  const envelope = { timeZone: 'US/Pacific' };
  const expr = jsonata(EXPRESSION);
  const bindings = {
    users: Object.fromEntries(users),
    standard: ['Longest Monologue', 'Longest Customer Story', 'Interactivity', 'Patience', 'Question Rate'],
  };

  // same output, checked once, so the comparison is of equal work
  const a = mapGongInteractionStats(data[1]!, users.get(String(data[1]!.userId)), envelope);
  const one = (await expr.evaluate({ rows: [data[1]] }, bindings)) as unknown;
  // JSONata unwraps a one-element sequence
  const b = (Array.isArray(one) ? one[0] : one) as typeof a;
  const same = (k: 'metrics' | 'user' | 'additional_metrics') => JSON.stringify(a[k]) === JSON.stringify(b[k]);
  if (!same('metrics') || !same('user') || !same('additional_metrics')) {
    throw new Error('the JSONata mapping and the Parley mapper disagree; the benchmark would compare different work');
  }

  const parleyPass = () => data.map((r) => mapGongInteractionStats(r, users.get(String(r.userId)), envelope));
  const jsonataPass = () => expr.evaluate({ rows: data }, bindings);
  // rows per second of one timed stretch: Parley's mapper is fast enough that one pass is too short to time
  const parleyPasses = 10;
  parleyPass();
  await jsonataPass(); // warm-up
  const runs = await interleaved(7, {
    parley: () => {
      const t0 = performance.now();
      for (let i = 0; i < parleyPasses; i++) parleyPass();
      return (N * parleyPasses) / ((performance.now() - t0) / 1000);
    },
    jsonata: async () => {
      const t0 = performance.now();
      await jsonataPass();
      return N / ((performance.now() - t0) / 1000);
    },
  });
  const ratio = spread(ratios(runs.parley, runs.jsonata));
  const rate = (x: number) => Math.round(x).toLocaleString('en-US');
  const p = spread(runs.parley);
  const j = spread(runs.jsonata);
  console.log(
    `mapping (c): Parley mapper ${rate(p.median)} rows/s (${rate(p.min)}–${rate(p.max)}), JSONata ${rate(j.median)} rows/s (${rate(j.min)}–${rate(j.max)}) — Parley is ${show(ratio, 1)}× JSONata (${N} rows, median (min–max) of ${ratio.runs} interleaved rounds)`,
  );
  return { ratio };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
