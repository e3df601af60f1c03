import { IANAZone, Info, Zone, type ZoneOffsetFormat, type ZoneOffsetOptions } from 'luxon';

/**
 * An IANA zone whose offsets are remembered per instant. Cutting a year of days asks Luxon for the
 * zone's offset about four times per bucket, at about one distinct instant per bucket (the guess, the
 * check, the same midnight again after `startOf`), and each ask is an `Intl` formatting: most of a
 * cold computed read in a new zone. The answers are the runtime's own (IANAZone's), so a bucket cut
 * in this zone is the bucket Luxon cuts in the plain one, and the zone equals the plain one.
 */
class CalendarZone extends Zone {
  private readonly iana: IANAZone;
  private offsets = new Map<number, number>();

  constructor(name: string) {
    super();
    this.iana = IANAZone.create(name);
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
      o = this.iana.offset(ts);
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
