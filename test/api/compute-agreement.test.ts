import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { runCompute } from '../../src/cli/compute.js';
import { startTestParley, type TestParley } from '../helpers/parley.js';

/** `parley compute` and POST …/interactions/compute give the same answer for every worked example. */
const vectors = JSON.parse(readFileSync(new URL('../../reference/metrics-vectors.json', import.meta.url), 'utf8')) as {
  cases: { name: string; calls: unknown[]; range: { start: string; end: string; period: string; tz: string }; expected: { user_id: string }[] }[];
};

let t: TestParley;
beforeAll(async () => {
  t = await startTestParley();
});
afterAll(() => t.close());

describe('CLI and route agree', () => {
  for (const c of vectors.cases) {
    it(c.name, async () => {
      const cli = await runCompute(
        ['--start', c.range.start, '--end', c.range.end, '--period', c.range.period, '--timezone', c.range.tz],
        JSON.stringify(c.calls),
      );
      expect(cli.exitCode, cli.stderr).toBe(0);
      const route = await t.call('POST', '/unified/conversational-intelligence/interactions/compute', {
        start_time: c.range.start,
        end_time: c.range.end,
        aggregation_period: c.range.period,
        timezone: c.range.tz,
        calls: c.calls,
      });
      expect(route.status, JSON.stringify(route.body)).toBe(200);
      expect(route.body).toEqual(JSON.parse(cli.stdout));
      expect(route.body.result.map((r: { user: { id: string } }) => r.user.id)).toEqual(c.expected.map((e) => e.user_id));
    });
  }
});
