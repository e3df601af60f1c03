import { z } from 'zod';
import { connectors } from '../connectors/registry.js';
import type { AuthKind, ProviderInfo, ResourceSource, UnifiedResource } from '../connectors/types.js';

/**
 * The integrations catalog (GET /integrations, the connect page): generated from the provider
 * registry, the one source of what each vendor takes and serves.
 */
export interface IntegrationEntry {
  slug: string;
  name: string;
  auth: AuthKind[];
  docs_url: string;
  /** where the end user finds the credentials in the vendor's app */
  credentials_help: string;
  /** JSON Schema (2020-12) of the `credentials` of POST /integrated-accounts */
  credentials_schema: Record<string, unknown>;
  resources: Partial<Record<UnifiedResource, ResourceSource[]>>;
}

/** The JSON Schema of a credentials object, inlined (the registry ids only name it in /openapi.json). */
export function credentialsJsonSchema(provider: ProviderInfo): Record<string, unknown> {
  const doc = z.toJSONSchema(provider.credentials, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const ref = typeof doc.$ref === 'string' ? /^#\/\$defs\/(.+)$/.exec(doc.$ref)?.[1] : undefined;
  const defs = doc.$defs as Record<string, Record<string, unknown>> | undefined;
  const schema = ref && defs?.[ref] ? { ...defs[ref] } : { ...doc };
  delete schema.$schema;
  delete schema.$defs;
  delete schema.$ref;
  return schema;
}

function entry(provider: ProviderInfo): IntegrationEntry {
  return {
    slug: provider.slug,
    name: provider.name,
    auth: [...provider.auth],
    docs_url: provider.docsUrl,
    credentials_help: provider.credentialsHelp,
    credentials_schema: credentialsJsonSchema(provider),
    resources: Object.fromEntries(Object.entries(provider.resources).map(([k, v]) => [k, [...(v ?? [])]])),
  };
}

let cached: IntegrationEntry[] | undefined;

export function integrationsCatalog(): IntegrationEntry[] {
  cached ??= [...connectors.values()].map((c) => entry(c.provider));
  return cached;
}

export function integrationEntry(slug: string): IntegrationEntry | undefined {
  return integrationsCatalog().find((i) => i.slug === slug);
}
