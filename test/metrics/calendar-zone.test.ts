import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DateTime, FixedOffsetZone, IANAZone } from 'luxon';
import { calendarZone } from '../../src/metrics/calendar-zone.js';

describe('calendar zone (offsets remembered, read from the wall clock)', () => {
  it("gives Luxon's offset in every zone the runtime knows, 1990–2035", () => {
    for (const name of Intl.supportedValuesOf('timeZone')) {
      const zone = calendarZone(name);
      const iana = IANAZone.create(name);
      // every ~17 days at a drifting hour: each DST season of each zone is sampled (the property below goes wider)
      for (let ts = Date.UTC(1990, 0, 1); ts < Date.UTC(2035, 0, 1); ts += 17 * 86_400_000 + 3_600_000 + 1_234) {
        if (zone.offset(ts) !== iana.offset(ts)) expect(`${name} ${new Date(ts).toISOString()}: ${zone.offset(ts)}`).toBe(`${name} ${new Date(ts).toISOString()}: ${iana.offset(ts)}`);
      }
    }
  });

  it("gives Luxon's offset at any instant, milliseconds and years outside the fast range included", () => {
    const names = Intl.supportedValuesOf('timeZone');
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.integer({ min: Date.UTC(-2000, 0, 1), max: Date.UTC(10_500, 0, 1) }), (name, ts) => {
        expect(calendarZone(name).offset(ts)).toBe(IANAZone.create(name).offset(ts));
      }),
      { numRuns: 3000 },
    );
  });

  it('is the same zone to Luxon: equal to the plain zone, same name, same instants and offsets', () => {
    const zone = calendarZone('America/New_York');
    expect(zone.equals(IANAZone.create('America/New_York'))).toBe(true);
    expect(IANAZone.create('America/New_York').equals(zone)).toBe(true);
    expect(zone.name).toBe('America/New_York');
    const a = DateTime.fromISO('2024-03-10T00:00:00', { zone });
    const b = DateTime.fromISO('2024-03-10T00:00:00', { zone: 'America/New_York' });
    expect(a.toMillis()).toBe(b.toMillis());
    expect(a.toISO()).toBe(b.toISO());
    expect(a.plus({ days: 1 }).toISO()).toBe(b.plus({ days: 1 }).toISO());
    expect(a.offsetNameShort).toBe(b.offsetNameShort);
  });

  it('leaves fixed offsets (UTC among them) as Luxon makes them', () => {
    expect(calendarZone('UTC')).toBe(FixedOffsetZone.utcInstance);
    expect(calendarZone('UTC+3').type).toBe('fixed');
  });
});
