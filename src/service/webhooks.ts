import { BadRequestError, NotFoundError } from '../domain/errors.js';
import type { EventType } from '../domain/events.js';
import { checkBaseUrl } from '../upstream/address-policy.js';
import type { AttemptRecord, WebhookRecord, WebhookRepository } from '../webhooks/repository.js';

/** A tenant may keep this many webhooks (each event fans out to every one of them). */
export const MAX_WEBHOOKS_PER_TENANT = 50;
export const MAX_WEBHOOK_URL_LENGTH = 2048;

/**
 * Webhooks of a tenant (CONTRACT.md "Webhooks (push)"): a receiver URL obeys the address policy of
 * an account's `base_url`, and another tenant's webhook is a 404 like a missing one.
 */
export class WebhooksService {
  constructor(
    private readonly deps: {
      repository: WebhookRepository;
      allowPrivateReceivers: boolean;
    },
  ) {}

  private checkUrl(url: string): void {
    if (url.length > MAX_WEBHOOK_URL_LENGTH) throw new BadRequestError(`url: at most ${MAX_WEBHOOK_URL_LENGTH} characters`);
    const problem = checkBaseUrl(url, this.deps.allowPrivateReceivers);
    if (problem) throw new BadRequestError(`url ${problem.replace('PARLEY_ALLOW_PRIVATE_UPSTREAMS=true to allow', 'PARLEY_ALLOW_PRIVATE_UPSTREAMS=true on the server to allow')}`);
  }

  async create(tenantId: string, input: { url: string; events: EventType[] }): Promise<{ webhook: WebhookRecord; secret: string }> {
    this.checkUrl(input.url);
    if ((await this.deps.repository.count(tenantId)) >= MAX_WEBHOOKS_PER_TENANT) {
      throw new BadRequestError(`a tenant may have at most ${MAX_WEBHOOKS_PER_TENANT} webhooks; delete one first`);
    }
    return this.deps.repository.create(tenantId, { url: input.url, events: [...new Set(input.events)] });
  }

  async get(tenantId: string, id: string): Promise<WebhookRecord> {
    const found = await this.deps.repository.get(tenantId, id);
    if (!found) throw new NotFoundError(`webhook ${JSON.stringify(id)} not found`);
    return found;
  }

  list(tenantId: string, limit: number, after?: { createdAt: string; id: string }): Promise<WebhookRecord[]> {
    return this.deps.repository.list(tenantId, limit, after);
  }

  async update(tenantId: string, id: string, patch: { url?: string; events?: EventType[]; status?: 'enabled' | 'disabled' }): Promise<WebhookRecord> {
    await this.get(tenantId, id);
    if (patch.url !== undefined) this.checkUrl(patch.url);
    const updated = await this.deps.repository.update(tenantId, id, { ...patch, events: patch.events ? [...new Set(patch.events)] : undefined });
    if (!updated) throw new NotFoundError(`webhook ${JSON.stringify(id)} not found`);
    return updated;
  }

  async delete(tenantId: string, id: string): Promise<void> {
    if (!(await this.deps.repository.delete(tenantId, id))) throw new NotFoundError(`webhook ${JSON.stringify(id)} not found`);
  }

  async attempts(tenantId: string, id: string, limit: number, before?: { attemptedAt: string; id: string }): Promise<AttemptRecord[]> {
    await this.get(tenantId, id);
    return this.deps.repository.attempts(tenantId, id, limit, before);
  }
}
