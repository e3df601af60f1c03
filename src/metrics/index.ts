/** The metrics engine: normalized calls → per-call metrics → per-user-per-period Interactions. */
export {
  AGGREGATION_PERIODS,
  type AggregationPeriod,
  type Bucket,
  type BucketOptions,
  bucketIndexOf,
  buckets,
  exceedsBucketLimit,
  MAX_BUCKETS,
  formatInstant,
  InvalidTimeError,
  isValidZone,
  nextPeriodStart,
  parseBoundary,
  widenToDays,
} from './buckets.js';
export {
  CallParticipant,
  CallUtterance,
  CallValidationError,
  instantMillis,
  MetricsInputError,
  NormalizedCall,
  parseCall,
  parseCalls,
  SPEAKER_SIDES,
  type SpeakerSide,
  startedAtMillis,
} from './call.js';
export {
  BACKCHANNEL_S,
  type CallMetrics,
  computeCallMetrics,
  countQuestions,
  INTERACTIVITY_CAP,
  PAUSE_S,
  type UserCallMetrics,
} from './call-metrics.js';
export {
  type CallMetricsRow,
  callMetricsRows,
  type ComputeInteractionsOptions,
  computeInteractions,
  computedRecordId,
  interactionAggregator,
  InteractionAggregator,
  type InteractionAggregatorOptions,
  type RecordIdFn,
  round3,
  type UserInfo,
} from './aggregate.js';
export {
  ComputeInteractionsBody,
  type ComputeInteractionsResult,
  computeRequest,
  type ComputeSession,
  startCompute,
} from './compute-request.js';
