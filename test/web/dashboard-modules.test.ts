import { describe, expect, it } from 'vitest';

/**
 * The dashboard's pure helpers (plain browser ES modules, loaded here by path: they have no types).
 * The page itself is tested in a browser: test/api/dashboard-browser.test.ts.
 */
const csv = await import('../../src/web/dashboard/csv.js' as string);
const format = await import('../../src/web/dashboard/format.js' as string);

describe('dashboard CSV', () => {
  it('quotes what RFC 4180 asks to quote and guards formula-looking text, not numbers', () => {
    expect(csv.toCsv([['Rep', 'Patience (s)'], ['Smith, Jo "JJ"', '-1.50'], ['=HYPERLINK("x")', '2.00'], ['+1 555', '@home']])).toBe(
      'Rep,Patience (s)\r\n"Smith, Jo ""JJ""",-1.50\r\n"\'=HYPERLINK(""x"")",2.00\r\n\'+1 555,\'@home\r\n',
    );
    expect(csv.csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csv.csvField('')).toBe('');
  });
});

describe('dashboard formats', () => {
  it('writes metrics with two decimals and leaves absent ones empty (never 0)', () => {
    expect(format.formatMetric(73.456)).toBe('73.46');
    expect(format.formatMetric(0)).toBe('0.00');
    expect(format.formatMetric(undefined)).toBe('');
    expect(format.formatMetric(Number.NaN)).toBe('');
    expect(format.formatCount(12)).toBe('12');
    expect(format.formatCount(undefined)).toBe('');
  });

  it('defaults to the last four whole ISO weeks and this week up to tomorrow, from the given day', () => {
    // a Wednesday, a Monday and a Sunday (the week's last day)
    expect(format.defaultRange(new Date(2026, 2, 18, 15))).toEqual({ start: '2026-02-16', end: '2026-03-19' });
    expect(format.defaultRange(new Date(2026, 2, 16, 0, 5))).toEqual({ start: '2026-02-16', end: '2026-03-17' });
    expect(format.defaultRange(new Date(2026, 2, 22, 23))).toEqual({ start: '2026-02-16', end: '2026-03-23' });
    // across a year's end
    expect(format.defaultRange(new Date(2027, 0, 2))).toEqual({ start: '2026-11-30', end: '2027-01-03' });
  });

  it('names each metric with its unit, in the contract\'s order', () => {
    expect(format.METRICS.map((m: any) => `${m.key} ${m.unit}`)).toEqual([
      'longest_monologue s',
      'longest_customer_story s',
      'interactivity switches/min',
      'patience s',
      'question_rate questions/h',
    ]);
  });
});

describe('dashboard activity columns', () => {
  it('name every counter of the unified Activity object, in its order', async () => {
    const { ACTIVITY_COUNTERS } = await import('../../src/domain/activity.js');
    expect(format.ACTIVITY_COUNTERS.map(([k]: [string, string]) => k)).toEqual([...ACTIVITY_COUNTERS]);
  });
});
