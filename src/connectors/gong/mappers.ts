import type { AdditionalMetric, InteractionMetrics, StandardMetric } from '../../domain/interaction.js';
import type { InteractionDraft } from '../types.js';
import { DateTime } from 'luxon';
import type { Meeting, Side, Transcript, TranscriptEntry, User } from '../../domain/resources.js';
import { formatInstant } from '../../metrics/buckets.js';
import type { GongCall, GongCallTranscript, GongParty, GongPersonStats, GongUser } from './schemas.js';

/** Gong's stat names (exact strings from the spec) → unified standard metrics. */
export const GONG_STANDARD_METRICS: Readonly<Record<string, StandardMetric>> = {
  'Longest Monologue': 'longest_monologue',
  'Longest Customer Story': 'longest_customer_story',
  Interactivity: 'interactivity',
  Patience: 'patience',
  'Question Rate': 'question_rate',
};

export interface UnifiedUserInfo {
  name?: string;
  emails: { email: string; is_primary: boolean }[];
}

export function gongUserInfo(u: GongUser | undefined, fallbackEmail?: string | null): UnifiedUserInfo {
  const name = u ? [u.firstName, u.lastName].filter((p) => p && p.trim()).join(' ').trim() : '';
  const primary = u?.emailAddress ?? fallbackEmail ?? undefined;
  const emails: UnifiedUserInfo['emails'] = [];
  if (primary) emails.push({ email: primary, is_primary: true });
  for (const alias of u?.emailAliases ?? []) {
    if (alias && alias !== primary) emails.push({ email: alias, is_primary: false });
  }
  return { ...(name ? { name } : {}), emails };
}

/**
 * One row of `peopleInteractionStats` → a draft record (the service adds the id, bucket and zone).
 * Units pass through as Gong reports them; a metric Gong did not report stays absent (never 0);
 * every other name goes to additional_metrics.
 */
export function mapGongInteractionStats(
  row: GongPersonStats,
  user: GongUser | undefined,
  envelope: { timeZone?: string; fromDateTime?: string; toDateTime?: string; requestId?: string },
): InteractionDraft {
  const metrics: InteractionMetrics = {};
  const additional: AdditionalMetric[] = [];
  for (const stat of row.personInteractionStats ?? []) {
    if (typeof stat.value !== 'number' || !Number.isFinite(stat.value)) continue;
    const key = GONG_STANDARD_METRICS[stat.name];
    if (key) metrics[key] = stat.value;
    else additional.push({ name: stat.name, value: stat.value });
  }
  const info = gongUserInfo(user, row.userEmailAddress);
  return {
    user: { id: String(row.userId), ...(info.name ? { name: info.name } : {}), emails: info.emails },
    metrics,
    additional_metrics: additional,
    remote_data: { ...envelope, ...row },
  };
}

export function mapGongUser(u: GongUser): User {
  const info = gongUserInfo(u);
  return {
    id: String(u.id),
    ...(info.name ? { name: info.name } : {}),
    emails: info.emails,
    ...(u.created ? { created_at: u.created } : {}),
    remote_data: u,
  };
}

/** Gong affiliation is Internal, External or Unknown; anyone who is not a company user is external. */
function partySide(p: GongParty): Side {
  return p.affiliation === 'Internal' || (p.userId !== undefined && p.userId !== null) ? 'internal' : 'external';
}

export function mapGongCall(call: GongCall): Meeting {
  const m = call.metaData;
  const started = DateTime.fromISO(m.started, { setZone: true });
  const duration = typeof m.duration === 'number' ? m.duration : undefined;
  const host = m.primaryUserId ? String(m.primaryUserId) : undefined;
  return {
    id: String(m.id),
    ...(m.title ? { title: m.title } : {}),
    start_time: m.started,
    ...(duration !== undefined && started.isValid ? { end_time: formatInstant(started.plus({ seconds: duration })) } : {}),
    ...(duration !== undefined ? { duration } : {}),
    ...(host ? { host_user_id: host } : {}),
    attendees: (call.parties ?? []).map((p) => ({
      ...(p.id ? { id: String(p.id) } : {}),
      ...(p.name ? { name: p.name } : {}),
      ...(p.emailAddress ? { email: p.emailAddress } : {}),
      side: partySide(p),
      ...(p.userId ? { user_id: String(p.userId) } : {}),
      ...(p.userId && host ? { is_host: String(p.userId) === host } : {}),
      ...(p.speakerId ? { speaker_id: String(p.speakerId) } : {}),
    })),
    ...(m.url ? { meeting_url: m.url } : {}),
    remote_data: call,
  };
}

/**
 * Gong transcripts are monologues of sentences whose start/end are **milliseconds** from the call
 * start; unified entries are seconds. Speakers join to the call's parties by `speakerId`.
 */
export function mapGongTranscript(t: GongCallTranscript, call: GongCall | undefined): Transcript {
  const parties = new Map<string, GongParty>();
  for (const p of call?.parties ?? []) if (p.speakerId) parties.set(String(p.speakerId), p);
  const entries: TranscriptEntry[] = [];
  for (const mono of t.transcript) {
    const speakerId = mono.speakerId ? String(mono.speakerId) : 'unknown';
    const party = parties.get(speakerId);
    for (const s of mono.sentences ?? []) {
      entries.push({
        speaker_id: speakerId,
        ...(party?.name ? { speaker_name: party.name } : {}),
        speaker_side: party ? partySide(party) : 'external',
        ...(party?.userId ? { user_id: String(party.userId) } : {}),
        text: s.text ?? '',
        start_time: s.start / 1000,
        end_time: s.end / 1000,
      });
    }
  }
  return { id: String(t.callId), meeting: { id: String(t.callId) }, entries, remote_data: t };
}
