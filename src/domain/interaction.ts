import { z } from 'zod';
import { AGGREGATION_PERIODS } from '../metrics/buckets.js';

/** The unified Interactions object (reference/seed-interactions-object.md). */

export const UserEmail = z.object({
  email: z.string(),
  is_primary: z.boolean(),
});

export const InteractionUser = z.object({
  id: z.string().describe('The user id exactly as the vendor spells it (always a string)'),
  name: z.string().optional(),
  emails: z.array(UserEmail).optional(),
});

export const STANDARD_METRICS = [
  'longest_monologue',
  'longest_customer_story',
  'interactivity',
  'patience',
  'question_rate',
] as const;
export type StandardMetric = (typeof STANDARD_METRICS)[number];

export const InteractionMetrics = z.object({
  longest_monologue: z.number().optional().describe('seconds'),
  longest_customer_story: z.number().optional().describe('seconds'),
  interactivity: z.number().optional().describe('side switches per minute, capped at 10 (computed); Gong score as reported (native)'),
  patience: z.number().optional().describe('seconds'),
  question_rate: z.number().optional().describe('questions per hour'),
});
export type InteractionMetrics = z.infer<typeof InteractionMetrics>;

export const AdditionalMetric = z.object({ name: z.string(), value: z.number() });
export type AdditionalMetric = z.infer<typeof AdditionalMetric>;

/**
 * One user's numbers over one calendar bucket: the shape Interactions and Activity share (the same
 * buckets, ids, user object and envelope), with each resource's own `metrics`.
 */
export function perUserBucket<M extends z.ZodType>(metrics: M) {
  return z.object({
    id: z.string(),
    user: InteractionUser,
    start_time: z.string().describe('ISO 8601 with the bucket zone offset; inclusive'),
    end_time: z.string().describe('ISO 8601 with the bucket zone offset; exclusive'),
    timezone: z.string(),
    aggregation_period: z.enum(AGGREGATION_PERIODS),
    metrics,
    additional_metrics: z.array(AdditionalMetric),
    created_at: z.string().optional(),
    updated_at: z.string().optional(),
    remote_data: z.unknown().optional(),
  });
}

export const Interaction = perUserBucket(InteractionMetrics).meta({ id: 'Interaction' });
export type Interaction = z.infer<typeof Interaction>;
