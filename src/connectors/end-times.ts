/**
 * Some vendors time a transcript paragraph by its START only: Avoma one start per word
 * (`timestamps`, seconds from the actual start of the meeting), Fathom one `HH:MM:SS` per entry.
 * A paragraph has no end; Parley derives one, by this rule:
 *
 *   start = the earliest timestamp
 *   last  = the latest timestamp
 *   guess = last + SECONDS_PER_WORD × (1 + words of the text that have no timestamp)
 *           (the last timed word, and any untimed words after it, spoken at 150 words per minute)
 *   end   = max(start, min(guess,
 *                          the first start of ANOTHER speaker's paragraph at or after `last`,
 *                          the start of the SAME speaker's next paragraph,
 *                          the meeting end))
 *
 * A paragraph with one timestamp (Fathom) is the case of one timed word: every other word is untimed.
 *
 * So a derived end never precedes its start, never overlaps the speaker's own next paragraph, never
 * passes the meeting end (unless the paragraph itself starts after it, then it has length 0), never
 * cuts a word the vendor timed unless one of those two forces it, and never runs into a silence longer
 * than one word: when someone else takes the floor after the last word, the paragraph ends there.
 * Another speaker's paragraph that starts before `last` is an overlap (a backchannel under a long
 * turn) and does not cut the turn.
 */

/** 150 words per minute, a common conversational speaking rate. */
export const SECONDS_PER_WORD = 0.4;

export interface StartOnlyParagraph {
  speakerId: string;
  /** word start times, seconds; at least one */
  timestamps: readonly number[];
  /** words in the text (whitespace-separated) */
  wordCount: number;
}

export interface TimedSpan {
  start: number;
  end: number;
}

/** Start and derived end of each paragraph, in input order. `meetingEnd` in seconds when known. */
export function deriveEndTimes(paragraphs: readonly StartOnlyParagraph[], meetingEnd?: number): TimedSpan[] {
  const spans = paragraphs.map((p) => {
    let start = Infinity;
    let last = -Infinity;
    for (const t of p.timestamps) {
      if (t < start) start = t;
      if (t > last) last = t;
    }
    const untimed = Math.max(0, p.wordCount - p.timestamps.length);
    return { speakerId: p.speakerId, start, last, guess: last + SECONDS_PER_WORD * (1 + untimed) };
  });
  const order = spans.map((_, i) => i).sort((a, b) => spans[a]!.start - spans[b]!.start || a - b);
  const out: TimedSpan[] = new Array(spans.length);
  for (let k = 0; k < order.length; k++) {
    const s = spans[order[k]!]!;
    let end = s.guess;
    if (meetingEnd !== undefined && Number.isFinite(meetingEnd)) end = Math.min(end, meetingEnd);
    let ownNextFound = false;
    let floorTakenFound = false;
    for (let j = k + 1; j < order.length && !(ownNextFound && floorTakenFound); j++) {
      const o = spans[order[j]!]!;
      if (o.speakerId === s.speakerId) {
        if (!ownNextFound) end = Math.min(end, o.start);
        ownNextFound = true;
      } else if (!floorTakenFound && o.start >= s.last && o.start > s.start) {
        end = Math.min(end, o.start);
        floorTakenFound = true;
      }
    }
    out[order[k]!] = { start: s.start, end: Math.max(s.start, end) };
  }
  return out;
}
