import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AccountsService } from '../../service/accounts.js';
import type { SyncService } from '../../service/sync.js';
import { SyncSettings } from '../../domain/sync.js';
import type { CursorCodec } from '../../service/cursor.js';
import type { AccountRecord } from '../../store/repositories.js';
import { connectors } from '../../connectors/registry.js';
import { MAX_CREDENTIALS_JSON_BYTES } from '../../connectors/credential-fields.js';
import { BadRequestError } from '../../domain/errors.js';
import { errorResponses, IdParams, listEnvelope, PaginationQuery } from '../schemas.js';

const IntegratedAccount = z
  .object({
    id: z.string(),
    integration: z.string(),
    status: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'IntegratedAccount' });

/**
 * One body variant per integration of the registry, so the document shows each integration's
 * credential fields and a wrong field is answered here, naming it, before the service runs.
 */
const CreateAccountBody = z.discriminatedUnion(
  'integration',
  [...connectors.values()].map((c) =>
    z.object({
      integration: z.literal(c.provider.slug),
      credentials: c.provider.credentials,
      sync: SyncSettings.partial().optional().describe('sync settings; every field has a default'),
    }),
  ) as unknown as [z.ZodObject<{ integration: z.ZodLiteral<string>; credentials: z.ZodType<Record<string, unknown>>; sync: z.ZodOptional<ReturnType<typeof SyncSettings.partial>> }>],
  {
    error: (issue) => {
      if (issue.code !== 'invalid_union') return 'expected a JSON object {"integration": "<slug>", "credentials": {…}}';
      const supported = [...connectors.keys()].join(', ');
      const given = (issue.input as { integration?: unknown } | undefined)?.integration;
      if (given === undefined) return `is required (one of ${supported})`;
      return typeof given === 'string' && given.length <= 40
        ? `unknown integration ${JSON.stringify(given)}; supported: ${supported}`
        : `must be one of ${supported}`;
    },
  },
);

const PatchAccountBody = z.object({
  credentials: z
    .record(z.string(), z.unknown(), { error: 'must be an object of the integration\'s credential fields' })
    .optional()
    .describe('replaces the stored credentials, validated like at create'),
  sync: SyncSettings.partial().optional().describe('changes only the fields given'),
});

/**
 * Credentials are bounded as sent, before zod drops unknown keys: a client must not be able to make
 * Parley parse, copy and hold megabytes under the name of credentials.
 */
async function boundCredentials(req: FastifyRequest): Promise<void> {
  const credentials = (req.body as { credentials?: unknown } | null | undefined)?.credentials;
  if (credentials === undefined) return;
  const bytes = Buffer.byteLength(JSON.stringify(credentials) ?? '');
  if (bytes > MAX_CREDENTIALS_JSON_BYTES) {
    throw new BadRequestError(`credentials: at most ${MAX_CREDENTIALS_JSON_BYTES / 1024} KiB of JSON (got ${bytes} bytes)`);
  }
}

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
          operationId: 'createIntegratedAccount',
          summary: 'Connect a vendor account',
          description: 'Credentials are encrypted at rest and never returned.',
          body: CreateAccountBody,
          response: { 201: IntegratedAccount, ...errorResponses },
        },
        preValidation: boundCredentials,
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
          operationId: 'listIntegratedAccounts',
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
          operationId: 'getIntegratedAccount',
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
          operationId: 'updateIntegratedAccount',
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
          operationId: 'deleteIntegratedAccount',
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
