import { IANAZone, Info, Zone, type ZoneOffsetFormat, type ZoneOffsetOptions } from 'luxon';

/**
 * An IANA zone whose offsets are remembered per instant. Cutting a year of days asks Luxon for the
 * zone's offset about four times per bucket, at about one distinct instant per bucket (the guess, the
 * check, the same midnight again after `startOf`), and each ask is an `Intl` formatting: most of a
 * cold computed read in a new zone. The answers are the ones IANAZone computes from the runtime's
 * time zone data (tests compare them in every zone), so a bucket cut in this zone is the bucket Luxon
 * cuts in the plain one, and the zone equals the plain one.
 */
class CalendarZone extends Zone {
  private readonly iana: IANAZone;
  private readonly wallClock: Intl.DateTimeFormat;
  private offsets = new Map<number, number>();

  constructor(name: string) {
    super();
    this.iana = IANAZone.create(name);
    this.wallClock = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /**
   * The offset as Luxon computes it (the zone's wall clock at `ts`, to the second, minus `ts`
   * floored to the second), read from `format` rather than Luxon's `formatToParts`, which costs four
   * times as much. Outside years 1000–9999 (where the formatted year is ambiguous) Luxon answers.
   */
  private wallOffset(ts: number): number {
    if (ts >= MIN_FAST_MS && ts < MAX_FAST_MS) {
      const m = WALL_CLOCK.exec(this.wallClock.format(ts));
      if (m) {
        const asUtc = Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6]));
        return (asUtc - (ts - (((ts % 1000) + 1000) % 1000))) / 60_000;
      }
    }
    return this.iana.offset(ts);
  }

  override get type(): string {
    return 'iana';
  }
  override get name(): string {
    return this.iana.name;
  }
  override get isUniversal(): boolean {
    return false;
  }
  override get isValid(): boolean {
    return this.iana.isValid;
  }
  override offsetName(ts: number, opts: ZoneOffsetOptions): string | null {
    return this.iana.offsetName(ts, opts);
  }
  override formatOffset(ts: number, format: ZoneOffsetFormat): string {
    return this.iana.formatOffset(ts, format);
  }
  override offset(ts: number): number {
    let o = this.offsets.get(ts);
    if (o === undefined) {
      o = this.wallOffset(ts);
      // bounded: a year of days needs ~370 instants; a longer cut just starts over
      if (this.offsets.size >= MAX_INSTANTS) this.offsets = new Map();
      this.offsets.set(ts, o);
    }
    return o;
  }
  override equals(other: Zone): boolean {
    return other.type === 'iana' && other.name === this.name;
  }
}

const MAX_INSTANTS = 2048;
const MIN_FAST_MS = Date.UTC(1000, 0, 1);
const MAX_FAST_MS = Date.UTC(9999, 0, 1);
// "1/2/2025, 13:04:05" (en-US, 24-hour)
const WALL_CLOCK = /^(\d+)\/(\d+)\/(\d+),? (\d+):(\d+):(\d+)$/;
/** Bounded too: at most this many zones keep offsets (the least recently asked is dropped). */
const MAX_ZONES = 64;
const zones = new Map<string, CalendarZone>();

/**
 * The zone Luxon makes of `name`, with its offsets remembered when it is an IANA zone (a fixed offset,
 * "UTC" among them, stays Luxon's own: it costs nothing to ask and compares equal only to its kind).
 */
export function calendarZone(name: string): Zone {
  let z = zones.get(name);
  if (z === undefined) {
    const plain = Info.normalizeZone(name);
    if (plain.type !== 'iana' || !plain.isValid) return plain;
  }
  if (z) {
    zones.delete(name);
  } else {
    z = new CalendarZone(name);
    if (zones.size >= MAX_ZONES) zones.delete(zones.keys().next().value as string);
  }
  zones.set(name, z);
  return z;
}
