import type { Utterance } from '../gong/conversation.js';
import { COMPETITORS } from '../gong/people.js';

/**
 * The simulator's stand-in for Clari Copilot's per-call `metrics`. Clari does not publish its
 * formulas or units; these are plausible and deliberately simple (seconds, a 0–1 ratio, counts),
 * independent of Parley's METRICS.md so native and computed numbers differ as they will for real.
 * Every number describes the company side of the call ("reps"), not one person.
 */

/** A rep's own pause longer than this ends their monologue (ms). */
const MONOLOGUE_GAP_MS = 3000;
/** Someone else speaking at least this long interrupts a monologue (ms); shorter is a backchannel. */
const INTERRUPTION_MS = 1500;
/** A rep question is "engaging" when the customer's answer right after lasts at least this (ms). */
const ENGAGED_ANSWER_MS = 8000;

export interface ClariCategory {
  name: string;
  occurences: number;
  phrases_matched: Array<{ text: string; user_id: string; name: string; time: number }>;
  ai_detected: boolean;
}

export interface ClariCallMetricsRecord {
  talk_listen_ratio: number;
  num_questions_asked: number;
  num_questions_asked_by_reps: number;
  call_duration: number;
  total_speak_duration: number;
  longest_monologue_duration: number;
  longest_monologue_start_time: number;
  engaging_questions: number;
  categories: ClariCategory[];
}

export interface MetricsSpeaker {
  /** company side (a rep) or not */
  rep: boolean;
  name: string;
  /** Clari user id of a rep with a seat, for phrases_matched */
  userId?: string;
}

const round = (n: number, digits: number): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** Total length of the union of intervals (ms). */
function unionMs(intervals: Array<readonly [number, number]>): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [s, e] of sorted) {
    if (e <= end) continue;
    total += e - Math.max(s, end);
    end = e;
  }
  return total;
}

export function clariCallMetrics(
  utterances: readonly Utterance[],
  speakers: ReadonlyMap<string, MetricsSpeaker>,
  durationSeconds: number,
): ClariCallMetricsRecord {
  const isRep = (id: string): boolean => speakers.get(id)?.rep ?? false;
  const sorted = [...utterances].sort((a, b) => a.start - b.start || a.end - b.end);

  const repTalk = unionMs(sorted.filter((u) => isRep(u.speakerId)).map((u) => [u.start, u.end] as const));
  const otherTalk = unionMs(sorted.filter((u) => !isRep(u.speakerId)).map((u) => [u.start, u.end] as const));
  const anyTalk = unionMs(sorted.map((u) => [u.start, u.end] as const));

  // Longest rep monologue: one rep's speech across their own short pauses and others' backchannels.
  let best = { ms: 0, start: 0 };
  let open: { speakerId: string; start: number; end: number } | undefined;
  const close = (): void => {
    if (open && open.end - open.start > best.ms) best = { ms: open.end - open.start, start: open.start };
    open = undefined;
  };
  for (const u of sorted) {
    if (open && u.speakerId === open.speakerId) {
      if (u.start - open.end > MONOLOGUE_GAP_MS) close();
      else {
        open.end = Math.max(open.end, u.end);
        continue;
      }
    } else if (open && u.end - u.start >= INTERRUPTION_MS) {
      close();
    } else if (open) {
      continue; // a backchannel under the monologue
    }
    if (isRep(u.speakerId)) open = { speakerId: u.speakerId, start: u.start, end: u.end };
  }
  close();

  let questions = 0;
  let repQuestions = 0;
  let engaging = 0;
  for (let i = 0; i < sorted.length; i++) {
    const u = sorted[i]!;
    if (!u.text.includes('?')) continue;
    questions++;
    if (!isRep(u.speakerId)) continue;
    repQuestions++;
    const answer = sorted.slice(i + 1).find((n) => n.speakerId !== u.speakerId && n.end - n.start >= INTERRUPTION_MS);
    if (answer && !isRep(answer.speakerId)) {
      // the customer's reply: their consecutive sentences from there on
      let end = answer.end;
      for (const n of sorted.slice(sorted.indexOf(answer) + 1)) {
        if (n.speakerId === answer.speakerId) end = n.end;
        else if (n.end - n.start >= INTERRUPTION_MS) break;
      }
      if (end - answer.start >= ENGAGED_ANSWER_MS) engaging++;
    }
  }

  const categories: ClariCategory[] = [];
  const competition = sorted.filter((u) => COMPETITORS.some((c) => u.text.includes(c)));
  if (competition.length > 0) {
    categories.push({
      name: 'Competition',
      occurences: competition.length,
      phrases_matched: competition.map((u) => {
        const who = speakers.get(u.speakerId);
        return {
          text: COMPETITORS.find((c) => u.text.includes(c)) as string,
          user_id: who?.userId ?? '',
          name: who?.name ?? '',
          time: round(u.start / 1000, 2),
        };
      }),
      ai_detected: false,
    });
  }

  return {
    talk_listen_ratio: repTalk + otherTalk > 0 ? round(repTalk / (repTalk + otherTalk), 2) : 0,
    num_questions_asked: questions,
    num_questions_asked_by_reps: repQuestions,
    call_duration: durationSeconds,
    total_speak_duration: round(anyTalk / 1000, 1),
    longest_monologue_duration: round(best.ms / 1000, 1),
    longest_monologue_start_time: round(best.start / 1000, 1),
    engaging_questions: engaging,
    categories,
  };
}
