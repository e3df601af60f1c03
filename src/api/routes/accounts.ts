import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AccountsService } from '../../service/accounts.js';
import type { SyncService } from '../../service/sync.js';
import { SyncSettings } from '../../domain/sync.js';
import type { CursorCodec } from '../../service/cursor.js';
import type { AccountRecord } from '../../store/repositories.js';
import { errorResponses, listEnvelope, PaginationQuery } from '../schemas.js';

const IntegratedAccount = z
  .object({
    id: z.string(),
    integration: z.string(),
    status: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'IntegratedAccount' });

const Credentials = z
  .record(z.string(), z.unknown(), { error: 'must be an object of the integration\'s credential fields' })
  .describe('Gong: {access_key, access_key_secret, base_url?}');

const CreateAccountBody = z.object({
  integration: z.string({ error: 'is required (e.g. "gong")' }).min(1),
  credentials: Credentials,
  sync: SyncSettings.partial().optional().describe('sync settings; every field has a default'),
});

const PatchAccountBody = z.object({
  credentials: Credentials.optional().describe('replaces the stored credentials (validated like at create)'),
  sync: SyncSettings.partial().optional().describe('changes only the fields given'),
});

const IdParams = z.object({ id: z.string().min(1) });

function present(a: AccountRecord): z.infer<typeof IntegratedAccount> {
  return { id: a.id, integration: a.integration, status: a.status, created_at: a.createdAt, updated_at: a.updatedAt };
}

export function accountRoutes(deps: { accounts: AccountsService; sync: SyncService; cursors: CursorCodec }): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/integrated-accounts',
      {
        schema: {
          tags: ['integrated accounts'],
          summary: 'Connect a vendor account',
          description: 'Credentials are encrypted at rest and never returned.',
          body: CreateAccountBody,
          response: { 201: IntegratedAccount, ...errorResponses },
        },
      },
      async (req, reply) => {
        const account = await deps.accounts.create(req.tenantId, req.body);
        return reply.code(201).send(present(account));
      },
    );

    app.get(
      '/integrated-accounts',
      {
        schema: {
          tags: ['integrated accounts'],
          summary: 'List integrated accounts',
          querystring: z.object(PaginationQuery),
          response: { 200: listEnvelope(IntegratedAccount), ...errorResponses },
        },
      },
      async (req) => {
        const filters = { r: 'integrated-accounts', t: req.tenantId };
        const after = req.query.next_cursor
          ? deps.cursors.decode<{ c: string; i: string }>(req.query.next_cursor, filters)
          : undefined;
        // one extra row tells whether another page exists without a count query
        const rows = await deps.accounts.list(req.tenantId, req.query.limit + 1, after ? { createdAt: after.c, id: after.i } : undefined);
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
      '/integrated-accounts/:id',
      {
        schema: {
          tags: ['integrated accounts'],
          summary: 'Get an integrated account',
          params: IdParams,
          response: { 200: IntegratedAccount, ...errorResponses },
        },
      },
      async (req) => present(await deps.accounts.get(req.tenantId, req.params.id)),
    );

    app.patch(
      '/integrated-accounts/:id',
      {
        schema: {
          tags: ['integrated accounts'],
          summary: 'Change an integrated account\'s credentials or sync settings',
          params: IdParams,
          body: PatchAccountBody,
          response: { 200: IntegratedAccount, ...errorResponses },
        },
      },
      async (req) => {
        const account = req.body.credentials
          ? await deps.accounts.replaceCredentials(req.tenantId, req.params.id, req.body.credentials)
          : await deps.accounts.get(req.tenantId, req.params.id);
        if (req.body.sync) await deps.sync.updateSettings(account.id, req.body.sync);
        return present(account);
      },
    );

    app.delete(
      '/integrated-accounts/:id',
      {
        schema: {
          tags: ['integrated accounts'],
          summary: 'Delete an integrated account and its stored credentials',
          params: IdParams,
          response: { 204: z.null().describe('deleted'), ...errorResponses },
        },
      },
      async (req, reply) => {
        await deps.accounts.delete(req.tenantId, req.params.id);
        return reply.code(204).send(null);
      },
    );
  };
}
