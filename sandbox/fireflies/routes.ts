import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { analyticsOf } from './analytics.js';
import type { FirefliesDataset, FfSimTranscript } from './dataset.js';
import {
  argumentValue,
  checkVariables,
  GraphQLDocumentError,
  parseOperation,
  project,
  type FieldNode,
} from './graphql-document.js';

/**
 * Fireflies' one endpoint, `POST /graphql`, for the queries Parley reads: `users`, `user(id)`,
 * `transcripts(...)`, `transcript(id)` and `analytics(start_time, end_time)`.
 * - A document that does not parse or asks for an unknown field is a GraphQL validation error
 *   (HTTP 400, `errors[].extensions.code` GRAPHQL_*), as GraphQL servers answer them.
 * - A query that runs but fails answers HTTP 200 with `data: null` and Fireflies' error shape
 *   (https://docs.fireflies.ai/fundamentals/errors): `{message, code, friendly, extensions: {code,
 *   status, metadata}}`, codes from https://docs.fireflies.ai/miscellaneous/error-codes.
 */

export interface FirefliesRouteContext {
  dataset: FirefliesDataset;
  /** the largest `limit` the `transcripts` query accepts */
  maxPageSize: number;
  now: () => Date;
  correlationIdOf(request: FastifyRequest): string | undefined;
}

/** A query that ran and failed: answered on HTTP 200 in the `errors` array. */
export class FirefliesQueryError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly metadata?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export function firefliesErrorBody(error: FirefliesQueryError, correlationId: string | undefined): Record<string, unknown> {
  return {
    data: null,
    errors: [
      {
        message: error.message,
        code: error.code,
        friendly: true,
        extensions: {
          code: error.code,
          status: error.status,
          ...(correlationId ? { correlationId } : {}),
          ...(error.metadata ? { metadata: error.metadata } : {}),
          helpUrls: [`https://docs.fireflies.ai/miscellaneous/error-codes#${error.code.replace(/_/g, '-')}`],
        },
      },
    ],
  };
}

function graphqlFailure(code: 'GRAPHQL_PARSE_FAILED' | 'GRAPHQL_VALIDATION_FAILED' | 'BAD_USER_INPUT' | 'BAD_REQUEST', message: string) {
  return { errors: [{ message, extensions: { code } }] };
}

function invalidArgument(name: string, message: string): FirefliesQueryError {
  return new FirefliesQueryError('invalid_arguments', 400, 'Invalid argument(s) were provided', {
    fields: [{ name, message, constraints: [{ type: 'invalid', message }] }],
  });
}

function dateArgument(name: string, value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const parsed = typeof value === 'string' ? DateTime.fromISO(value, { zone: 'utc' }) : undefined;
  if (!parsed?.isValid) throw invalidArgument(name, `${name} must be a Date instance`);
  return parsed.toMillis();
}

function intArgument(name: string, value: unknown, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Number.isInteger(value)) throw invalidArgument(name, `${name} must be an integer number`);
  const n = value as number;
  if (n < min) throw invalidArgument(name, `${name} must not be less than ${min}`);
  if (n > max) throw invalidArgument(name, `${name} must not be greater than ${max}`);
  return n;
}

export function registerFirefliesRoutes(app: FastifyInstance, ctx: FirefliesRouteContext): void {
  const { dataset } = ctx;
  const nowMs = () => ctx.now().getTime();

  type Args = Record<string, unknown>;
  const resolvers: Record<string, (args: Args) => unknown> = {
    // https://docs.fireflies.ai/graphql-api/query/users
    users: () => dataset.users,

    // https://docs.fireflies.ai/graphql-api/query/user — without an id: the API key's owner
    user: (args) => {
      const id = args.id;
      if (id === undefined || id === null || id === '') return dataset.users[0];
      const user = typeof id === 'string' ? dataset.user(id) : undefined;
      if (!user) throw new FirefliesQueryError('object_not_found', 404, 'User not found', { objectType: 'User' });
      return user;
    },

    // https://docs.fireflies.ai/graphql-api/query/transcripts
    transcripts: (args) => {
      const from = dateArgument('fromDate', args.fromDate);
      const to = dateArgument('toDate', args.toDate);
      const limit = intArgument('limit', args.limit, 1, ctx.maxPageSize) ?? ctx.maxPageSize;
      const skip = intArgument('skip', args.skip, 0, Number.MAX_SAFE_INTEGER) ?? 0;
      // Changelog 2.4.0: "only use one of the following fields … at a time".
      const exclusive = ['organizer_email', 'participant_email', 'user_id', 'mine'].filter((k) => args[k] !== undefined && args[k] !== null);
      if (exclusive.length > 1) {
        throw invalidArgument(exclusive[1]!, `only one of organizer_email, participant_email, user_id, mine may be used at a time`);
      }
      const now = nowMs();
      const start = from ?? dataset.gong.startOfDay(dataset.gong.historyStart);
      let calls = dataset.transcriptsBetween(start, to ?? now, now);
      if (typeof args.organizer_email === 'string') {
        const email = args.organizer_email.toLowerCase();
        calls = calls.filter((c) => c.parties.some((p) => p.userId === c.internalUserIds[0] && p.emailAddress?.toLowerCase() === email));
      }
      if (typeof args.participant_email === 'string') {
        const email = args.participant_email.toLowerCase();
        calls = calls.filter((c) => c.parties.some((p) => p.emailAddress?.toLowerCase() === email));
      }
      if (typeof args.user_id === 'string') calls = calls.filter((c) => dataset.recorder(c)?.user_id === args.user_id);
      if (args.mine === true) calls = calls.filter((c) => dataset.recorder(c)?.user_id === dataset.users[0]?.user_id);
      return calls.slice(skip, skip + limit).map((c) => dataset.transcript(c, now));
    },

    // https://docs.fireflies.ai/graphql-api/query/transcript
    transcript: (args) => {
      const now = nowMs();
      const call = typeof args.id === 'string' ? dataset.callOf(args.id, now) : undefined;
      if (!call) throw new FirefliesQueryError('object_not_found', 404, 'Transcript not found', { objectType: 'Transcript' });
      return dataset.transcript(call, now) satisfies FfSimTranscript;
    },

    // https://docs.fireflies.ai/graphql-api/query/analytics
    analytics: (args) => {
      const now = nowMs();
      const end = dateArgument('end_time', args.end_time) ?? now;
      const start = dateArgument('start_time', args.start_time) ?? end - 30 * 86_400_000;
      if (start > end) throw invalidArgument('start_time', 'start_time must be before end_time');
      return analyticsOf(dataset, start, end, now);
    },
  };

  app.post('/graphql', async (request, reply) => {
    const body = request.body as { query?: unknown; variables?: unknown; operationName?: unknown } | undefined;
    if (!body || typeof body !== 'object' || typeof body.query !== 'string' || body.query.trim() === '') {
      return reply.code(400).send(graphqlFailure('BAD_REQUEST', 'Must provide query string.'));
    }
    const variables = (body.variables ?? {}) as Record<string, unknown>;
    if (typeof variables !== 'object' || Array.isArray(variables)) {
      return reply.code(400).send(graphqlFailure('BAD_REQUEST', 'Variables must be provided as an Object where each property is a variable value.'));
    }
    let fields: FieldNode[];
    try {
      const op = parseOperation(body.query, typeof body.operationName === 'string' ? body.operationName : undefined);
      if (op.kind !== 'query') return reply.code(400).send(graphqlFailure('GRAPHQL_VALIDATION_FAILED', `The Parley Fireflies sandbox simulates queries only, not ${op.kind}s.`));
      checkVariables(op, variables);
      fields = op.fields;
    } catch (error) {
      if (!(error instanceof GraphQLDocumentError)) throw error;
      const code = error.message.startsWith('Syntax Error') ? 'GRAPHQL_PARSE_FAILED' : 'GRAPHQL_VALIDATION_FAILED';
      return reply.code(400).send(graphqlFailure(code, error.message));
    }
    for (const field of fields) {
      if (!resolvers[field.name]) {
        return reply.code(400).send(graphqlFailure('GRAPHQL_VALIDATION_FAILED', `Cannot query field "${field.name}" on type "Query".`));
      }
    }
    const data: Record<string, unknown> = {};
    try {
      for (const field of fields) {
        const args: Args = {};
        for (const [name, value] of Object.entries(field.args)) args[name] = argumentValue(value, variables);
        data[field.name] = project(resolvers[field.name]!(args), field.selection, field.name);
      }
    } catch (error) {
      if (error instanceof FirefliesQueryError) return reply.code(200).send(firefliesErrorBody(error, ctx.correlationIdOf(request)));
      if (error instanceof GraphQLDocumentError) return reply.code(400).send(graphqlFailure('GRAPHQL_VALIDATION_FAILED', error.message));
      throw error;
    }
    return { data };
  });
}
