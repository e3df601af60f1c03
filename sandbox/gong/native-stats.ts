import type { Utterance } from './conversation.js';

/**
 * The simulator's own, Gong-like interaction stats ("native" stats, as /v2/stats/interaction and
 * /v2/calls/extensive serve them). Gong does not publish its formulas; these are a simple,
 * plausible stand-in, deliberately independent of Parley's METRICS.md definition so that
 * native and computed numbers can disagree the way they will with the real vendor.
 * README.md in this folder states the definitions and how they differ from METRICS.md.
 */

/** Another speaker's speech shorter than this ("mm-hm", "right") is ignored. */
export const INTERJECTION_MS = 1500;
/** A silence longer than this inside one person's speech ends their monologue. */
export const MONOLOGUE_PAUSE_MS = 4000;
/** Interactivity = 10 · r / (r + HALF_SCORE_RATE), r = side switches per minute. */
export const HALF_SCORE_RATE = 2;

export interface StatsSpeaker {
  speakerId: string;
  /** Gong's party affiliation: Internal is company; External and Unknown are not */
  company: boolean;
  userId?: string;
}

export interface NativeUserCallStats {
  userId: string;
  speakerId: string;
  /** fraction 0–1 */
  talkRatio: number;
  /** seconds */
  longestMonologue: number;
  /** seconds, the call's longest non-company stretch (same for every user of the call) */
  longestCustomerStory: number;
  /** 0–10, the same for every user of the call */
  interactivity: number;
  /** seconds; undefined when the user never answered a customer */
  patience: number | undefined;
  /** questions per hour of call */
  questionRate: number;
  /** "um"/"uh" per minute of the user's own talk time */
  fillerWords: number | undefined;
  questions: number;
  talkTimeSeconds: number;
}

export interface NativeCallStats {
  durationSeconds: number;
  /** by Gong user id, for every internal user who spoke */
  users: Map<string, NativeUserCallStats>;
  /** seconds of speech per speaker id (union of their sentences) */
  talkTimeSeconds: Map<string, number>;
  questions: { companyCount: number; nonCompanyCount: number };
}

export function computeNativeCallStats(
  utterances: readonly Utterance[],
  speakers: readonly StatsSpeaker[],
  durationSeconds: number,
): NativeCallStats {
  const bySpeaker = new Map<string, StatsSpeaker>(speakers.map((s) => [s.speakerId, s]));
  const isCompany = (speakerId: string): boolean => bySpeaker.get(speakerId)?.company ?? false;
  const sorted = [...utterances].sort((a, b) => a.start - b.start || a.end - b.end);

  const talkMs = new Map<string, number>();
  const lastEnd = new Map<string, number>();
  const questions = new Map<string, number>();
  const fillers = new Map<string, number>();
  for (const u of sorted) {
    // union of each speaker's sentence intervals
    const covered = lastEnd.get(u.speakerId) ?? -Infinity;
    const added = Math.max(0, u.end - Math.max(u.start, covered));
    talkMs.set(u.speakerId, (talkMs.get(u.speakerId) ?? 0) + added);
    lastEnd.set(u.speakerId, Math.max(covered, u.end));
    if (u.text.includes('?')) questions.set(u.speakerId, (questions.get(u.speakerId) ?? 0) + 1);
    const um = u.text.match(/\b(um|uh)\b/gi)?.length ?? 0;
    if (um) fillers.set(u.speakerId, (fillers.get(u.speakerId) ?? 0) + um);
  }
  const totalTalk = [...talkMs.values()].reduce((a, b) => a + b, 0);

  let longestCustomerStory = 0;
  for (const s of speakers) {
    if (!s.company) longestCustomerStory = Math.max(longestCustomerStory, longestStretchMs(sorted, s.speakerId));
  }

  // Side switches and response pauses consider substantive speech only.
  const substantive = sorted.filter((u) => u.end - u.start >= INTERJECTION_MS);
  let switches = 0;
  const pauses = new Map<string, number[]>();
  let customerBlockEnd = -Infinity;
  for (let i = 0; i < substantive.length; i++) {
    const u = substantive[i] as Utterance;
    const prev = substantive[i - 1];
    const company = isCompany(u.speakerId);
    const prevCompany = prev ? isCompany(prev.speakerId) : company;
    if (prev && company !== prevCompany) switches++;
    if (!company) {
      customerBlockEnd = prev && !prevCompany ? Math.max(customerBlockEnd, u.end) : u.end;
    } else if (prev && !prevCompany) {
      const list = pauses.get(u.speakerId) ?? [];
      list.push(Math.max(0, u.start - customerBlockEnd) / 1000);
      pauses.set(u.speakerId, list);
    }
  }
  const minutes = durationSeconds / 60;
  const rate = minutes > 0 ? switches / minutes : 0;
  const interactivity = (10 * rate) / (rate + HALF_SCORE_RATE);

  const users = new Map<string, NativeUserCallStats>();
  for (const s of speakers) {
    if (!s.company || !s.userId) continue;
    const talk = talkMs.get(s.speakerId) ?? 0;
    if (talk === 0) continue;
    const own = pauses.get(s.speakerId);
    users.set(s.userId, {
      userId: s.userId,
      speakerId: s.speakerId,
      talkRatio: totalTalk > 0 ? talk / totalTalk : 0,
      longestMonologue: longestStretchMs(sorted, s.speakerId) / 1000,
      longestCustomerStory: longestCustomerStory / 1000,
      interactivity,
      patience: own && own.length > 0 ? own.reduce((a, b) => a + b, 0) / own.length : undefined,
      questionRate: durationSeconds > 0 ? ((questions.get(s.speakerId) ?? 0) * 3600) / durationSeconds : 0,
      fillerWords: talk > 0 ? (fillers.get(s.speakerId) ?? 0) / (talk / 60_000) : undefined,
      questions: questions.get(s.speakerId) ?? 0,
      talkTimeSeconds: talk / 1000,
    });
  }

  let companyCount = 0;
  let nonCompanyCount = 0;
  for (const [speakerId, count] of questions) {
    if (isCompany(speakerId)) companyCount += count;
    else nonCompanyCount += count;
  }
  const talkTimeSeconds = new Map<string, number>();
  for (const [speakerId, ms] of talkMs) talkTimeSeconds.set(speakerId, ms / 1000);
  return { durationSeconds, users, talkTimeSeconds, questions: { companyCount, nonCompanyCount } };
}

/**
 * The longest stretch of one speaker's speech: it goes on across their own pauses of up to
 * MONOLOGUE_PAUSE_MS and across other speakers' interjections shorter than INTERJECTION_MS, and
 * ends at anything longer.
 */
export function longestStretchMs(sorted: readonly Utterance[], speakerId: string): number {
  let best = 0;
  let open = false;
  let start = 0;
  let end = 0;
  for (const u of sorted) {
    if (u.speakerId === speakerId) {
      if (open && u.start - end > MONOLOGUE_PAUSE_MS) {
        best = Math.max(best, end - start);
        open = false;
      }
      if (!open) {
        start = u.start;
        end = u.end;
        open = true;
      } else {
        end = Math.max(end, u.end);
      }
    } else if (open && u.end - u.start >= INTERJECTION_MS) {
      best = Math.max(best, end - start);
      open = false;
    }
  }
  return Math.max(best, open ? end - start : 0);
}

export interface GongStat {
  name: string;
  value: number;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** `interaction.interactionStats` of /v2/calls/extensive: the host's stats for one call. */
export function callInteractionStats(host: NativeUserCallStats | undefined): GongStat[] {
  if (!host) return [];
  const stats: GongStat[] = [
    { name: 'Talk Ratio', value: round2(host.talkRatio) },
    { name: 'Longest Monologue', value: Math.round(host.longestMonologue) },
    { name: 'Longest Customer Story', value: Math.round(host.longestCustomerStory) },
    { name: 'Interactivity', value: round2(host.interactivity) },
  ];
  if (host.patience !== undefined) stats.push({ name: 'Patience', value: round2(host.patience) });
  return stats;
}

/**
 * `personInteractionStats` of /v2/stats/interaction: each stat is the mean over the user's calls
 * in the period where it is defined ("most stats are the average value of that stat for all
 * calls the team member was in"), rounded after averaging.
 */
export function userInteractionStats(calls: readonly NativeUserCallStats[], withFillerWords: boolean): GongStat[] {
  const mean = (values: Array<number | undefined>): number | undefined => {
    const defined = values.filter((v): v is number => v !== undefined);
    return defined.length ? defined.reduce((a, b) => a + b, 0) / defined.length : undefined;
  };
  const stats: GongStat[] = [];
  const add = (name: string, value: number | undefined, round: (n: number) => number): void => {
    if (value !== undefined) stats.push({ name, value: round(value) });
  };
  add('Talk Ratio', mean(calls.map((c) => c.talkRatio)), round2);
  add('Longest Monologue', mean(calls.map((c) => c.longestMonologue)), Math.round);
  add('Longest Customer Story', mean(calls.map((c) => c.longestCustomerStory)), Math.round);
  add('Interactivity', mean(calls.map((c) => c.interactivity)), round2);
  add('Patience', mean(calls.map((c) => c.patience)), round2);
  add('Question Rate', mean(calls.map((c) => c.questionRate)), round2);
  if (withFillerWords) add('Filler Words', mean(calls.map((c) => c.fillerWords)), round2);
  return stats;
}
