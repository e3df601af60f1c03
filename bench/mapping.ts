import jsonata from 'jsonata';
import { mapGongInteractionStats } from '../src/connectors/gong/mappers.js';
import type { GongPersonStats, GongUser } from '../src/connectors/gong/schemas.js';

/**
 * (c) Mapping throughput: Gong stats rows → unified records with Parley's mapper, against the
 * same mapping written as a JSONata expression (the engine hosted unified APIs use for mappings).
 * Both run in this process over the same rows; the figure is the ratio.
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

export async function run(): Promise<{ ratio: number }> {
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

  const time = async (fn: () => unknown | Promise<unknown>, rounds: number) => {
    await fn(); // warm-up
    const t0 = performance.now();
    for (let i = 0; i < rounds; i++) await fn();
    return (performance.now() - t0) / rounds;
  };
  const parleyMs = await time(() => data.map((r) => mapGongInteractionStats(r, users.get(String(r.userId)), envelope)), 20);
  const jsonataMs = await time(() => expr.evaluate({ rows: data }, bindings), 3);
  const parleyRate = N / (parleyMs / 1000);
  const jsonataRate = N / (jsonataMs / 1000);
  const ratio = parleyRate / jsonataRate;
  console.log(`mapping: Parley mapper ${Math.round(parleyRate).toLocaleString('en-US')} rows/s, JSONata ${Math.round(jsonataRate).toLocaleString('en-US')} rows/s — Parley is ${ratio.toFixed(1)}× JSONata (${N} rows, same process)`);
  return { ratio };
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
