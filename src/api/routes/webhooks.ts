import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { EVENT_TYPES } from '../../domain/events.js';
import type { WebhooksService } from '../../service/webhooks.js';
import type { CursorCodec } from '../../service/cursor.js';
import type { AttemptRecord, WebhookRecord } from '../../webhooks/repository.js';
import { errorResponses, IdParams, listEnvelope, PaginationQuery } from '../schemas.js';

const EventTypes = z
  .array(z.enum(EVENT_TYPES, { error: `each event must be one of ${EVENT_TYPES.join(', ')}` }), { error: `must be a list of event types (${EVENT_TYPES.join(', ')})` })
  .min(1, { error: 'must name at least one event type' })
  .max(EVENT_TYPES.length * 2, { error: 'too many event types' });

const Url = z.string({ error: 'is required: the receiver\'s http(s) URL' }).min(1, { error: 'is required: the receiver\'s http(s) URL' });

const Webhook = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.enum(EVENT_TYPES)),
    status: z.enum(['enabled', 'disabled']),
    disabled_reason: z.string().nullable().describe('why the webhook was disabled (after failing for the whole retry period, or through the API)'),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Webhook' });

const CreatedWebhook = Webhook.extend({
  secret: z.string().describe('the Standard Webhooks signing secret (whsec_…); shown only in this answer'),
}).meta({ id: 'CreatedWebhook' });

const Delivery = z
  .object({
    id: z.string(),
    event_id: z.string().describe('the event (webhook-id header); the same on every attempt'),
    event_type: z.string(),
    attempt: z.number().int().describe('1 for the first attempt of this event'),
    status_code: z.number().int().nullable().describe('the receiver\'s status; null when it did not answer'),
    error: z.string().nullable().describe('what went wrong, in words; null on a 2xx'),
    duration_ms: z.number().int(),
    attempted_at: z.string(),
    next_attempt_at: z.string().nullable().describe('when this event is tried again; null when delivered or given up'),
  })
  .meta({ id: 'WebhookDelivery' });

function present(w: WebhookRecord): z.infer<typeof Webhook> {
  return { id: w.id, url: w.url, events: w.events, status: w.status, disabled_reason: w.disabledReason, created_at: w.createdAt, updated_at: w.updatedAt };
}

function presentAttempt(a: AttemptRecord): z.infer<typeof Delivery> {
  return {
    id: a.id,
    event_id: a.eventId,
    event_type: a.eventType,
    attempt: a.attempt,
    status_code: a.statusCode,
    error: a.error,
    duration_ms: a.durationMs,
    attempted_at: a.attemptedAt,
    next_attempt_at: a.nextAttemptAt,
  };
}

export function webhookRoutes(deps: { webhooks: WebhooksService; cursors: CursorCodec }): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['webhooks'];
    app.post(
      '/webhooks',
      {
        schema: {
          tags,
          operationId: 'createWebhook',
          summary: 'Subscribe a receiver to events',
          description:
            'Every event of the chosen types about this tenant\'s accounts is POSTed to `url`, signed the Standard Webhooks way with the returned `secret` (shown once). Delivery is at-least-once, retried with exponential backoff for at least 24 hours.',
          body: z.object({ url: Url, events: EventTypes }),
          response: { 201: CreatedWebhook, ...errorResponses },
        },
      },
      async (req, reply) => {
        const { webhook, secret } = await deps.webhooks.create(req.tenantId, req.body);
        return reply.code(201).send({ ...present(webhook), secret });
      },
    );

    app.get(
      '/webhooks',
      {
        schema: {
          tags,
          operationId: 'listWebhooks',
          summary: 'List webhooks',
          querystring: z.object(PaginationQuery),
          response: { 200: listEnvelope(Webhook), ...errorResponses },
        },
      },
      async (req) => {
        const filters = { r: 'webhooks', t: req.tenantId };
        const after = req.query.next_cursor ? deps.cursors.decode<{ c: string; i: string }>(req.query.next_cursor, filters) : undefined;
        const rows = await deps.webhooks.list(req.tenantId, req.query.limit + 1, after ? { createdAt: after.c, id: after.i } : undefined);
        const page = rows.slice(0, req.query.limit);
        const last = page[page.length - 1];
        return {
          result: page.map(present),
          next_cursor: rows.length > page.length && last ? deps.cursors.encode(filters, { c: last.createdAt, i: last.id }) : null,
          result_count: page.length,
        };
      },
    );

    app.get(
      '/webhooks/:id',
      {
        schema: { tags, operationId: 'getWebhook', summary: 'Get a webhook', params: IdParams, response: { 200: Webhook, ...errorResponses } },
      },
      async (req) => present(await deps.webhooks.get(req.tenantId, req.params.id)),
    );

    app.patch(
      '/webhooks/:id',
      {
        schema: {
          tags,
          operationId: 'updateWebhook',
          summary: 'Change a webhook\'s URL, events or status',
          description: 'Only the fields given change. `status: "enabled"` re-enables a disabled webhook: its pending deliveries go out again.',
          params: IdParams,
          body: z.object({ url: Url.optional(), events: EventTypes.optional(), status: z.enum(['enabled', 'disabled'], { error: 'must be enabled or disabled' }).optional() }),
          response: { 200: Webhook, ...errorResponses },
        },
      },
      async (req) => present(await deps.webhooks.update(req.tenantId, req.params.id, req.body)),
    );

    app.delete(
      '/webhooks/:id',
      {
        schema: {
          tags,
          operationId: 'deleteWebhook',
          summary: 'Delete a webhook and its pending deliveries',
          params: IdParams,
          response: { 204: z.null().describe('deleted'), ...errorResponses },
        },
      },
      async (req, reply) => {
        await deps.webhooks.delete(req.tenantId, req.params.id);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/webhooks/:id/deliveries',
      {
        schema: {
          tags,
          operationId: 'listWebhookDeliveries',
          summary: 'Recent delivery attempts of a webhook, newest first',
          params: IdParams,
          querystring: z.object(PaginationQuery),
          response: { 200: listEnvelope(Delivery), ...errorResponses },
        },
      },
      async (req) => {
        const filters = { r: 'webhook-deliveries', t: req.tenantId, w: req.params.id };
        const before = req.query.next_cursor ? deps.cursors.decode<{ a: string; i: string }>(req.query.next_cursor, filters) : undefined;
        const rows = await deps.webhooks.attempts(req.tenantId, req.params.id, req.query.limit + 1, before ? { attemptedAt: before.a, id: before.i } : undefined);
        const page = rows.slice(0, req.query.limit);
        const last = page[page.length - 1];
        return {
          result: page.map(presentAttempt),
          next_cursor: rows.length > page.length && last ? deps.cursors.encode(filters, { a: last.attemptedAt, i: last.id }) : null,
          result_count: page.length,
        };
      },
    );
  };
}
