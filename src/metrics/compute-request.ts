import { z } from 'zod';
import { InteractionUser, type Interaction } from '../domain/interaction.js';
import { interactionAggregator, type UserInfo } from './aggregate.js';
import { AGGREGATION_PERIODS, exceedsBucketLimit, InvalidTimeError, isValidZone, MAX_BUCKETS, parseBoundary } from './buckets.js';
import { describeIssue, formatPath, MetricsInputError, NormalizedCall, parseCalls, valueAt } from './call.js';

/**
 * The one entry point shared by `parley compute` and
 * POST /unified/conversational-intelligence/interactions/compute, so both validate and answer alike.
 */

export const ComputeInteractionsBody = z
  .object({
    start_time: z
      .string()
      .describe('ISO 8601 date or date-time, inclusive. A date alone is midnight in `timezone`; a date-time without offset is UTC'),
    end_time: z.string().describe('ISO 8601 date or date-time, exclusive; after start_time'),
    aggregation_period: z.enum(AGGREGATION_PERIODS).default('total'),
    timezone: z.string().default('UTC').describe('IANA time zone the buckets are cut in'),
    calls: z.array(NormalizedCall).describe('normalized calls (METRICS.md); calls starting outside the range are ignored'),
    users: z
      .array(InteractionUser)
      .optional()
      .describe('optional name and emails per user id, copied into the records'),
  })
  .meta({ id: 'ComputeInteractionsBody' });
export type ComputeInteractionsBody = z.infer<typeof ComputeInteractionsBody>;

export interface ComputeInteractionsResult {
  result: Interaction[];
}

/** Everything but the calls goes through zod; the calls through the fast `parseCalls`. */
const BodyHeader = ComputeInteractionsBody.omit({ calls: true });


/** A compute request whose calls arrive one at a time: the CLI parses them from a stream. */
export interface ComputeSession {
  /** Aggregate one validated call (`parseCall`); calls outside the range are ignored. */
  add(call: NormalizedCall): void;
  result(): ComputeInteractionsResult;
}

/**
 * Validate everything of a compute body but its calls, and open the aggregation they go into.
 * Throws `MetricsInputError` (with `field`) for a bad parameter.
 */
export function startCompute(header: unknown): ComputeSession {
  const parsed = BodyHeader.safeParse(header);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = formatPath(issue.path);
    const value = field === '' ? header : valueAt(header, issue.path);
    throw new MetricsInputError(field === '' ? 'body' : field, describeIssue(issue, value));
  }
  const { start_time, end_time, aggregation_period: period, timezone, users } = parsed.data;
  if (!isValidZone(timezone)) throw new MetricsInputError('timezone', `${JSON.stringify(timezone)} is not an IANA time zone (e.g. Europe/Berlin)`);
  const start = boundary('start_time', start_time, timezone);
  const end = boundary('end_time', end_time, timezone);
  if (start.toMillis() >= end.toMillis()) {
    throw new MetricsInputError('end_time', `must be after start_time (${start_time} .. ${end_time} is empty)`);
  }
  if (exceedsBucketLimit(start, end, period)) {
    throw new MetricsInputError('aggregation_period', `the range has more than ${MAX_BUCKETS} ${period} buckets; use a longer period or a shorter range`);
  }
  let userInfo: Map<string, UserInfo> | undefined;
  if (users !== undefined) {
    userInfo = new Map();
    for (const u of users) {
      const info: UserInfo = {};
      if (u.name !== undefined) info.name = u.name;
      if (u.emails !== undefined) info.emails = u.emails;
      userInfo.set(u.id, info);
    }
  }
  const aggregator = interactionAggregator({ start, end, period, timezone, users: userInfo });
  return {
    add: (call) => void aggregator.add(call),
    result: () => ({ result: aggregator.records() }),
  };
}

/**
 * Validate a compute body and compute its records. Throws `MetricsInputError` (with `field`) for a
 * bad parameter and its subclass `CallValidationError` for a bad call; nothing else for bad input.
 */
export function computeRequest(body: unknown): ComputeInteractionsResult {
  const session = startCompute(body);
  for (const call of parseCalls((body as { calls?: unknown }).calls, 'calls')) session.add(call);
  return session.result();
}

function boundary(field: string, value: string, zone: string) {
  try {
    return parseBoundary(value, zone);
  } catch (e) {
    if (e instanceof InvalidTimeError) throw new MetricsInputError(field, e.message);
    throw e;
  }
}
