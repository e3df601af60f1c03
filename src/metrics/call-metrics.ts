import type { NormalizedCall } from './call.js';

/**
 * Per-call interaction metrics, exactly as shared METRICS.md (definition v1) states them.
 *
 * This runs once per utterance of every computed call, so it is written for speed: one pass to
 * validate and index the utterances into reused typed arrays, a sort only when the input is out of
 * order, and one pass over the sorted utterances that builds turns, talk-time unions and every
 * metric without allocating per utterance.
 */

/** Utterances shorter than this (seconds) are backchannels: they never open, extend or break a turn. */
export const BACKCHANNEL_S = 1.0;
/** A speaker's utterance starting at most this long (seconds) after their turn ended extends the turn. */
export const PAUSE_S = 2.0;
/** Interactivity is capped at this many side switches per minute. */
export const INTERACTIVITY_CAP = 10;

/** Metrics of one internal user in one call. Undefined values are undefined per METRICS.md, never 0. */
export interface UserCallMetrics {
  /** seconds */
  longest_monologue: number;
  /** seconds */
  longest_customer_story: number;
  /** seconds; undefined when no external turn is directly followed by a turn of this user */
  patience: number | undefined;
  /** side switches per minute, capped at 10; undefined when the call lasts 0 s */
  interactivity: number | undefined;
  /** questions per hour; undefined when the call lasts 0 s */
  question_rate: number | undefined;
  /** fraction 0–1; undefined when nobody has any talk time */
  talk_ratio: number | undefined;
}

export interface CallMetrics {
  call_id: string;
  /** the duration the rates were computed with (given, or the largest valid end_s) */
  duration_s: number;
  /** one entry per internal user with at least one valid utterance, in participant order */
  users: Map<string, UserCallMetrics>;
}

/**
 * Questions in one utterance text: every maximal run of `? ! . …` containing at least one `?`
 * counts one ("Really?!" = 1, "What? Why?" = 2, "Is it 3.5?" = 1).
 */
export function countQuestions(text: string): number {
  // indexOf is vectorised by V8; the per-character loop only runs over punctuation right after a '?'.
  let i = text.indexOf('?');
  if (i < 0) return 0;
  const len = text.length;
  let count = 0;
  while (i >= 0) {
    count++;
    i++;
    // Skip the rest of this run so a following '?' in the same run is not counted again. The part
    // of the run before the first '?' needs no skipping: it contains no '?' by construction.
    while (i < len) {
      const c = text.charCodeAt(i);
      if (c !== 63 /* ? */ && c !== 33 /* ! */ && c !== 46 /* . */ && c !== 0x2026 /* … */) break;
      i++;
    }
    i = i < len ? text.indexOf('?', i) : -1;
  }
  return count;
}

// Scratch space reused across calls (this module is synchronous, so there is no reentrancy).
let cap = 0;
let starts = new Float64Array(0);
let ends = new Float64Array(0);
let who = new Int32Array(0);
let order = new Int32Array(0);

function ensureCapacity(n: number): void {
  if (n <= cap) return;
  cap = Math.max(n, cap * 2, 256);
  starts = new Float64Array(cap);
  ends = new Float64Array(cap);
  who = new Int32Array(cap);
  order = new Int32Array(cap);
}

/** Speaker state of one call. A "speaker" here is a person: see `speakerIdentities`. */
interface Speakers {
  count: number;
  internal: boolean[];
  /** user id for internal participants that have one, else undefined */
  userId: (string | undefined)[];
  bySpeakerId: Map<string, number>;
}

/**
 * Map speaker ids to people. Every speaker id of an internal participant with a `user_id` maps to
 * that user, so several speaker ids of one user (a diarization split, two devices) form one speaker:
 * their utterances build turns together and their talk time is one union. Any other speaker id is its
 * own speaker. The first participant entry of a speaker id wins; ids absent from `participants`, or
 * without a side, are external (METRICS.md).
 */
function speakerIdentities(call: NormalizedCall): Speakers {
  const s: Speakers = { count: 0, internal: [], userId: [], bySpeakerId: new Map() };
  const byUser = new Map<string, number>();
  for (const p of call.participants) {
    if (s.bySpeakerId.has(p.speaker_id)) continue;
    const isInternal = p.side === 'internal';
    if (isInternal && p.user_id !== undefined) {
      let idx = byUser.get(p.user_id);
      if (idx === undefined) {
        idx = addSpeaker(s, true, p.user_id);
        byUser.set(p.user_id, idx);
      }
      s.bySpeakerId.set(p.speaker_id, idx);
    } else {
      s.bySpeakerId.set(p.speaker_id, addSpeaker(s, isInternal, undefined));
    }
  }
  return s;
}

function addSpeaker(s: Speakers, internal: boolean, userId: string | undefined): number {
  s.internal.push(internal);
  s.userId.push(userId);
  return s.count++;
}

/** Stable sort of order[0..n) by (start, end, input position); insertion sort for nearly sorted input. */
function sortValid(n: number): void {
  for (let i = 0; i < n; i++) order[i] = i;
  // Transcripts are almost sorted (a few overlaps out of place), where insertion sort is linear.
  // Past a budget of moves fall back to the engine's sort, so adversarial input stays O(n log n).
  let budget = 8 * n + 64;
  for (let i = 1; i < n; i++) {
    const x = order[i]!;
    const xs = starts[x]!;
    const xe = ends[x]!;
    let j = i - 1;
    while (j >= 0) {
      const y = order[j]!;
      const ys = starts[y]!;
      if (ys < xs || (ys === xs && ends[y]! <= xe)) break; // y is before x (equal keys keep input order)
      order[j + 1] = y;
      j--;
      if (--budget === 0) {
        fallbackSort(n);
        return;
      }
    }
    order[j + 1] = x;
  }
}

function fallbackSort(n: number): void {
  const idx = new Array<number>(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  idx.sort((a, b) => starts[a]! - starts[b]! || ends[a]! - ends[b]! || a - b);
  for (let i = 0; i < n; i++) order[i] = idx[i]!;
}

/** Compute every user's metrics for one call (METRICS.md "Per call"). */
export function computeCallMetrics(call: NormalizedCall): CallMetrics {
  const sp = speakerIdentities(call);
  const utts = call.utterances;
  ensureCapacity(utts.length);

  // Per speaker accumulators; speakers absent from `participants` are appended as they appear.
  const questions: number[] = new Array<number>(sp.count).fill(0);
  const spoke: boolean[] = new Array<boolean>(sp.count).fill(false);

  // Pass 1: keep valid utterances, resolve speakers, count questions (order does not matter for them).
  let n = 0;
  let sorted = true;
  let prevS = -1;
  let prevE = -1;
  let maxEnd = 0;
  let lastSpeakerId: string | undefined;
  let lastSpeaker = -1;
  for (let i = 0; i < utts.length; i++) {
    const u = utts[i]!;
    const s = u.start_s;
    const e = u.end_s;
    // Also rejects NaN (every comparison with NaN is false) and infinities.
    if (!(s >= 0 && s <= e && e <= Number.MAX_VALUE)) continue;
    const sid = u.speaker_id;
    let k: number;
    if (sid === lastSpeakerId) k = lastSpeaker;
    else {
      const found = sp.bySpeakerId.get(sid);
      if (found === undefined) {
        k = addSpeaker(sp, false, undefined);
        sp.bySpeakerId.set(sid, k);
        questions.push(0);
        spoke.push(false);
      } else k = found;
      lastSpeakerId = sid;
      lastSpeaker = k;
    }
    starts[n] = s;
    ends[n] = e;
    who[n] = k;
    n++;
    if (s < prevS || (s === prevS && e < prevE)) sorted = false;
    prevS = s;
    prevE = e;
    if (e > maxEnd) maxEnd = e;
    if (sp.userId[k] !== undefined) {
      spoke[k] = true;
      const q = u.questions;
      if (q !== undefined) questions[k]! += q;
      else if (u.text !== undefined) questions[k]! += countQuestions(u.text);
    }
  }

  const count = sp.count;
  const longestTurn = new Float64Array(count);
  const talk = new Float64Array(count);
  const unionStart = new Float64Array(count).fill(-1);
  const unionEnd = new Float64Array(count).fill(-1);
  const patienceSum = new Float64Array(count);
  const patienceN = new Int32Array(count);

  if (sorted) for (let i = 0; i < n; i++) order[i] = i;
  else sortValid(n);

  // Pass 2, in time order: talk-time unions and turns. A turn is closed (and its metrics taken)
  // when the next substantive utterance does not extend it, and once more at the end.
  let switches = 0;
  let turnWho = -1;
  let turnStart = 0;
  let turnEnd = 0;
  let prevWho = -1;
  let prevEnd = 0;
  const internal = sp.internal;
  const userId = sp.userId;
  for (let i = 0; i < n; i++) {
    const j = order[i]!;
    const s = starts[j]!;
    const e = ends[j]!;
    const k = who[j]!;

    if (s > unionEnd[k]!) {
      talk[k]! += unionEnd[k]! - unionStart[k]!;
      unionStart[k] = s;
      unionEnd[k] = e;
    } else if (e > unionEnd[k]!) unionEnd[k] = e;

    if (e - s < BACKCHANNEL_S) continue;
    if (k === turnWho && s - turnEnd <= PAUSE_S) {
      if (e > turnEnd) turnEnd = e;
      continue;
    }
    if (turnWho >= 0) {
      const d = turnEnd - turnStart;
      if (d > longestTurn[turnWho]!) longestTurn[turnWho] = d;
      if (prevWho >= 0) {
        if (internal[prevWho] !== internal[turnWho]) switches++;
        if (!internal[prevWho] && userId[turnWho] !== undefined) {
          patienceSum[turnWho]! += turnStart > prevEnd ? turnStart - prevEnd : 0;
          patienceN[turnWho]!++;
        }
      }
      prevWho = turnWho;
      prevEnd = turnEnd;
    }
    turnWho = k;
    turnStart = s;
    turnEnd = e;
  }
  if (turnWho >= 0) {
    const d = turnEnd - turnStart;
    if (d > longestTurn[turnWho]!) longestTurn[turnWho] = d;
    if (prevWho >= 0) {
      if (internal[prevWho] !== internal[turnWho]) switches++;
      if (!internal[prevWho] && userId[turnWho] !== undefined) {
        patienceSum[turnWho]! += turnStart > prevEnd ? turnStart - prevEnd : 0;
        patienceN[turnWho]!++;
      }
    }
  }

  let talkTotal = 0;
  let longestCustomerStory = 0;
  for (let k = 0; k < count; k++) {
    talk[k]! += unionEnd[k]! - unionStart[k]!;
    talkTotal += talk[k]!;
    if (!internal[k] && longestTurn[k]! > longestCustomerStory) longestCustomerStory = longestTurn[k]!;
  }

  const duration = call.duration_s ?? maxEnd;
  const interactivity = duration > 0 ? Math.min(INTERACTIVITY_CAP, switches / (duration / 60)) : undefined;
  const users = new Map<string, UserCallMetrics>();
  for (let k = 0; k < count; k++) {
    const uid = userId[k];
    if (uid === undefined || !spoke[k]) continue;
    users.set(uid, {
      longest_monologue: longestTurn[k]!,
      longest_customer_story: longestCustomerStory,
      patience: patienceN[k]! > 0 ? patienceSum[k]! / patienceN[k]! : undefined,
      interactivity,
      question_rate: duration > 0 ? questions[k]! / (duration / 3600) : undefined,
      talk_ratio: talkTotal > 0 ? talk[k]! / talkTotal : undefined,
    });
  }
  return { call_id: call.id, duration_s: duration, users };
}
