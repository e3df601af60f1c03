import type { NormalizedCall } from '../../src/metrics/call.js';
import type { UserCallMetrics } from '../../src/metrics/call-metrics.js';

/**
 * METRICS.md per-call rules written as literally and naively as possible (arrays of objects, a
 * regex for questions, no reuse), to check the optimized engine against. Same speaker decision as
 * the engine: speaker ids of one internal user form one speaker.
 */
export function modelCallMetrics(call: NormalizedCall): Map<string, UserCallMetrics> {
  const B = 1.0;
  const G = 2.0;
  const participant = (sid: string) => call.participants.find((p) => p.speaker_id === sid);
  const person = (sid: string) => {
    const p = participant(sid);
    return p?.side === 'internal' && p.user_id !== undefined ? `user:${p.user_id}` : `speaker:${sid}`;
  };
  const isInternal = (sid: string) => participant(sid)?.side === 'internal';
  const userOf = (sid: string) => {
    const p = participant(sid);
    return p?.side === 'internal' ? p.user_id : undefined;
  };

  const valid = call.utterances
    .map((u, i) => ({ ...u, i }))
    .filter((u) => Number.isFinite(u.start_s) && Number.isFinite(u.end_s) && u.start_s >= 0 && u.start_s <= u.end_s)
    .sort((a, b) => a.start_s - b.start_s || a.end_s - b.end_s || a.i - b.i);

  const turns: { who: string; internal: boolean; user: string | undefined; start: number; end: number }[] = [];
  for (const u of valid) {
    if (u.end_s - u.start_s < B) continue;
    const who = person(u.speaker_id);
    const last = turns[turns.length - 1];
    if (last && last.who === who && u.start_s - last.end <= G) last.end = Math.max(last.end, u.end_s);
    else turns.push({ who, internal: isInternal(u.speaker_id), user: userOf(u.speaker_id), start: u.start_s, end: u.end_s });
  }
  let switches = 0;
  for (let i = 1; i < turns.length; i++) if (turns[i - 1]!.internal !== turns[i]!.internal) switches++;
  const duration = call.duration_s ?? Math.max(0, ...valid.map((u) => u.end_s));

  const talkOf = new Map<string, number>();
  for (const who of new Set(valid.map((u) => person(u.speaker_id)))) {
    const iv = valid.filter((u) => person(u.speaker_id) === who).map((u) => [u.start_s, u.end_s] as const);
    let total = 0;
    let cur: [number, number] | undefined;
    for (const [s, e] of iv) {
      if (cur && s <= cur[1]) cur[1] = Math.max(cur[1], e);
      else {
        if (cur) total += cur[1] - cur[0];
        cur = [s, e];
      }
    }
    if (cur) total += cur[1] - cur[0];
    talkOf.set(who, total);
  }
  const talkTotal = [...talkOf.values()].reduce((a, b) => a + b, 0);

  const questions = (text: string | undefined) => (text ?? '').match(/[?!.…]+/g)?.filter((run) => run.includes('?')).length ?? 0;
  const out = new Map<string, UserCallMetrics>();
  for (const u of valid) {
    const user = userOf(u.speaker_id);
    if (user === undefined || out.has(user)) continue;
    const who = `user:${user}`;
    const mine = turns.filter((t) => t.who === who);
    const pauses: number[] = [];
    for (let i = 1; i < turns.length; i++) {
      if (!turns[i - 1]!.internal && turns[i]!.who === who) pauses.push(Math.max(0, turns[i]!.start - turns[i - 1]!.end));
    }
    const q = valid
      .filter((x) => person(x.speaker_id) === who)
      .reduce((a, x) => a + (x.questions ?? questions(x.text)), 0);
    out.set(user, {
      longest_monologue: Math.max(0, ...mine.map((t) => t.end - t.start)),
      longest_customer_story: Math.max(0, ...turns.filter((t) => !t.internal).map((t) => t.end - t.start)),
      patience: pauses.length ? pauses.reduce((a, b) => a + b, 0) / pauses.length : undefined,
      interactivity: duration > 0 ? Math.min(10, switches / (duration / 60)) : undefined,
      question_rate: duration > 0 ? q / (duration / 3600) : undefined,
      talk_ratio: talkTotal > 0 ? talkOf.get(who)! / talkTotal : undefined,
    });
  }
  return out;
}
