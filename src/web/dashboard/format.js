/**
 * What the dashboard shows and in which units: the five standard Interactions metrics
 * (docs/METRICS.md: seconds, switches per minute, questions per hour), the activity counters of
 * CONTRACT.md "Activity", and how a number is written (fixed decimals, no grouping, so that a
 * cell, its CSV field and the API's number are easy to compare).
 */

export const METRICS = [
  { key: 'longest_monologue', label: 'Longest monologue', unit: 's' },
  { key: 'longest_customer_story', label: 'Longest customer story', unit: 's' },
  { key: 'interactivity', label: 'Interactivity', unit: 'switches/min' },
  { key: 'patience', label: 'Patience', unit: 's' },
  { key: 'question_rate', label: 'Question rate', unit: 'questions/h' },
];

export const ACTIVITY_COUNTERS = [
  ['calls_hosted', 'Calls hosted'],
  ['calls_attended', 'Calls attended'],
  ['calls_listened_own', 'Own calls listened'],
  ['calls_listened_others', "Others' calls listened"],
  ['feedback_given', 'Feedback given'],
  ['feedback_received', 'Feedback received'],
  ['feedback_requested', 'Feedback requested'],
  ['comments_given', 'Comments given'],
  ['comments_received', 'Comments received'],
  ['calls_shared_internally', 'Shared internally'],
  ['calls_shared_externally', 'Shared externally'],
  ['scorecards_filled', 'Scorecards filled'],
  ['scorecards_received', 'Scorecards received'],
  ['calls_marked_as_feedback_given', 'Marked as feedback given'],
  ['calls_marked_as_feedback_received', 'Marked as feedback received'],
];

/** Metric values keep two decimals: seconds to the hundredth, rates to a hundredth per minute/hour. */
export const METRIC_DECIMALS = 2;

/** @param {number | undefined | null} value */
export function formatMetric(value) {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(METRIC_DECIMALS) : '';
}

/** @param {number | undefined | null} value */
export function formatCount(value) {
  return typeof value === 'number' && Number.isFinite(value) ? String(Math.round(value)) : '';
}

/** The calendar date of an ISO instant as the server wrote it (its offset is the bucket zone's). */
export function dateOf(iso) {
  return typeof iso === 'string' ? iso.slice(0, 10) : '';
}

/** The value of one additional metric (computed records carry call_count and talk_ratio). */
export function additionalMetric(record, name) {
  const m = (record.additional_metrics ?? []).find((a) => a.name === name);
  return m ? m.value : undefined;
}

/** YYYY-MM-DD of a Date in the browser's zone. */
export function isoDate(d) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The default range: the last four whole ISO weeks and this week so far (until tomorrow). */
export function defaultRange(today = new Date()) {
  const end = new Date(today.getFullYear(), today.getMonth(), today.getDate() + 1);
  const monday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - ((today.getDay() + 6) % 7));
  const start = new Date(monday.getFullYear(), monday.getMonth(), monday.getDate() - 28);
  return { start: isoDate(start), end: isoDate(end) };
}
