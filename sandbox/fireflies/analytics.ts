import type { SimulatedCall } from '../gong/dataset.js';
import type { FirefliesDataset } from './dataset.js';

/**
 * The simulator's answer to Fireflies' `analytics(start_time, end_time)` query
 * (https://docs.fireflies.ai/schema/analytics). Fireflies publishes the field names, not its
 * formulas; these are plausible stand-ins over the same synthetic meetings:
 * - `user_longest_monologue_sec`: the longest stretch the user held the floor in any meeting of the
 *   window (seconds; the Gong sandbox's native longest-monologue rule, per meeting, then the max);
 * - `user_questions`: sentences of the user containing "?";
 * - `user_speak_duration`, `total_speak_duration`, `total_silence_duration`: SECONDS here (the real
 *   unit is not documented); `meeting.duration`: minutes, as `TeamMeetingStats.duration` is;
 * - `talk_listen_ratio`: the user's talk time over everyone else's; `talk_listen_pct`: the user's
 *   share of all talk time, in percent.
 * Every team member is listed, with zeros when they had no meeting in the window.
 */

interface Totals {
  meetings: number;
  meetingMinutes: number;
  talk: number;
  everyoneTalk: number;
  silence: number;
  longest: number;
  questions: number;
  words: number;
  allWords: number;
  fillers: number;
  monologues: number;
}

const empty = (): Totals => ({
  meetings: 0, meetingMinutes: 0, talk: 0, everyoneTalk: 0, silence: 0, longest: 0,
  questions: 0, words: 0, allWords: 0, fillers: 0, monologues: 0,
});

const r2 = (v: number): number => Math.round(v * 100) / 100;
const words = (text: string): number => text.split(/\s+/).filter(Boolean).length;

function addCall(dataset: FirefliesDataset, call: SimulatedCall, totals: Map<string, Totals>): void {
  const stats = dataset.gong.callStats(call);
  const utterances = dataset.utterances(call);
  const everyoneTalk = [...stats.talkTimeSeconds.values()].reduce((a, b) => a + b, 0);
  // silence: the meeting minus the union of everybody's speech
  let covered = 0;
  let reach = 0;
  for (const u of utterances) {
    covered += Math.max(0, u.end - Math.max(u.start, reach));
    reach = Math.max(reach, u.end);
  }
  const silence = Math.max(0, call.metaData.duration - covered / 1000);
  const allWords = utterances.reduce((n, u) => n + words(u.text), 0);
  for (const [gongUserId, s] of stats.users) {
    const user = dataset.userOfGongId(gongUserId);
    if (!user) continue;
    const t = totals.get(user.user_id) ?? empty();
    const own = utterances.filter((u) => u.speakerId === s.speakerId);
    let runs = 0;
    let previous: string | undefined;
    for (const u of utterances) {
      if (u.speakerId === s.speakerId && previous !== s.speakerId) runs++;
      previous = u.speakerId;
    }
    t.meetings += 1;
    t.meetingMinutes += call.metaData.duration / 60;
    t.talk += s.talkTimeSeconds;
    t.everyoneTalk += everyoneTalk;
    t.silence += silence;
    t.longest = Math.max(t.longest, s.longestMonologue);
    t.questions += own.filter((u) => u.text.includes('?')).length;
    t.words += own.reduce((n, u) => n + words(u.text), 0);
    t.allWords += allWords;
    t.fillers += own.reduce((n, u) => n + (u.text.match(/\b(um|uh)\b/gi)?.length ?? 0), 0);
    t.monologues += runs;
    totals.set(user.user_id, t);
  }
}

export function analyticsOf(dataset: FirefliesDataset, from: number, to: number, now: number): Record<string, unknown> {
  const totals = new Map<string, Totals>();
  // conversation analytics come from the transcript: a meeting still processing is not counted yet
  const calls = dataset.transcriptsBetween(from, to, now).filter((c) => dataset.isTranscribed(c, now));
  for (const call of calls) addCall(dataset, call, totals);
  const users = dataset.users.map((u) => {
    const t = totals.get(u.user_id) ?? empty();
    const listen = t.everyoneTalk - t.talk;
    return {
      user_id: u.user_id,
      user_name: u.name,
      user_email: u.email,
      conversation: {
        talk_listen_pct: t.everyoneTalk > 0 ? r2((100 * t.talk) / t.everyoneTalk) : 0,
        talk_listen_ratio: listen > 0 ? r2(t.talk / listen) : 0,
        total_silence_duration: r2(t.silence),
        total_silence_pct: t.meetingMinutes > 0 ? r2((100 * t.silence) / (t.meetingMinutes * 60)) : 0,
        total_silence_ratio: t.meetingMinutes > 0 ? r2(t.silence / (t.meetingMinutes * 60)) : 0,
        total_speak_duration: r2(t.everyoneTalk),
        total_speak_duration_with_user: r2(t.everyoneTalk),
        total_word_count: t.allWords,
        user_filler_words: t.fillers,
        user_longest_monologue_sec: r2(t.longest),
        user_monologues_count: t.monologues,
        user_questions: t.questions,
        user_speak_duration: r2(t.talk),
        user_word_count: t.words,
        user_words_per_minute: t.talk > 0 ? r2(t.words / (t.talk / 60)) : 0,
      },
      meeting: { count: t.meetings, duration: r2(t.meetingMinutes) },
    };
  });
  const active = [...totals.values()];
  const sum = (f: (t: Totals) => number) => active.reduce((n, t) => n + f(t), 0);
  const teamMinutes = calls.reduce((n, c) => n + c.metaData.duration / 60, 0);
  return {
    team: {
      conversation: {
        teammates_count: dataset.users.length,
        total_meetings_count: calls.length,
        total_questions: sum((t) => t.questions),
        total_filler_words: sum((t) => t.fillers),
        longest_monologue_duration_sec: r2(Math.max(0, ...active.map((t) => t.longest))),
        average_talk_listen_ratio: active.length > 0 ? r2(sum((t) => (t.everyoneTalk - t.talk > 0 ? t.talk / (t.everyoneTalk - t.talk) : 0)) / active.length) : 0,
      },
      meeting: {
        count: calls.length,
        duration: r2(teamMinutes),
        average_count: dataset.users.length > 0 ? r2(calls.length / dataset.users.length) : 0,
        average_duration: calls.length > 0 ? r2(teamMinutes / calls.length) : 0,
      },
    },
    users,
  };
}
