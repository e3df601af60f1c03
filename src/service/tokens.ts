import { NotFoundError } from '../domain/errors.js';
import type { TokenRecord, TokenRepository } from '../store/repositories.js';
import type { CursorCodec } from './cursor.js';

/**
 * A tenant's API tokens over HTTP (`parley token create|list|revoke`): a token creates, lists and
 * revokes tokens of its own tenant only. New tenants are an operator's act on the database
 * (`parley token create --tenant NAME`), not something a tenant's token can do.
 */
export class TokensService {
  constructor(private readonly deps: { tokens: TokenRepository; cursors: CursorCodec }) {}

  create(tenantId: string, label: string): Promise<{ record: TokenRecord; token: string }> {
    return this.deps.tokens.create(tenantId, label);
  }

  async list(tenantId: string, limit: number, cursor?: string): Promise<{ page: TokenRecord[]; nextCursor: string | null }> {
    const filters = { r: 'api-tokens', t: tenantId };
    const after = cursor ? this.deps.cursors.decode<{ c: string; i: string }>(cursor, filters) : undefined;
    // one extra row tells whether another page exists without a count query
    const rows = await this.deps.tokens.list(tenantId, limit + 1, after ? { createdAt: after.c, id: after.i } : undefined);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { page, nextCursor: rows.length > limit && last ? this.deps.cursors.encode(filters, { c: last.createdAt, i: last.id }) : null };
  }

  async revoke(tenantId: string, id: string): Promise<void> {
    if (!(await this.deps.tokens.revoke(tenantId, id))) throw new NotFoundError(`No API token with id ${JSON.stringify(id)}.`);
  }
}
