import type { AdditionalMetric, InteractionMetrics, StandardMetric } from '../../domain/interaction.js';
import type { InteractionDraft } from '../types.js';
import type { GongPersonStats, GongUser } from './schemas.js';
import type { AggregationPeriod } from '../../metrics/buckets.js';

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
 * One row of `peopleInteractionStats` → a unified record. Units pass through as Gong reports them;
 * a metric Gong did not report stays absent (never 0); every other name goes to additional_metrics.
 */
export function mapGongInteractionStats(
  row: GongPersonStats,
  user: GongUser | undefined,
  bucket: { start: string; end: string; period: AggregationPeriod; timezone: string },
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
    start_time: bucket.start,
    end_time: bucket.end,
    timezone: bucket.timezone,
    aggregation_period: bucket.period,
    metrics,
    additional_metrics: additional,
    remote_data: { ...envelope, ...row },
  };
}
