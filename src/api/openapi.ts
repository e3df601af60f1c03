/**
 * What the generated OpenAPI document says about the query string, beyond what the route schemas
 * give it. OpenAPI has no style for a list of objects in a query; Parley reads bracket notation
 * (qs), so such parameters are marked `deepObject` + `explode` (the closest style, and the one
 * generators map to brackets) and the description and the document's own description say exactly
 * which strings are accepted and how a generated client sends them.
 */

export const QUERY_SERIALIZATION = [
  '**Query strings.** Lists of objects use bracket notation: `users[][id]=A&users[][id]=B`, or with indices',
  '`users[0][id]=A&users[1][id]=B`; repeat the pair for each element. Any other parameter appears once.',
  'A client generated with openapi-typescript + openapi-fetch sends them with a `qs` query serializer:',
  '`createClient({ baseUrl, querySerializer: (q) => qs.stringify(q, { arrayFormat: \'brackets\' }) })`.',
].join('\n');

interface ParameterObject {
  in?: string;
  name?: string;
  description?: string;
  schema?: { type?: string; items?: { type?: string } };
  style?: string;
  explode?: boolean;
}

function isListOfObjects(p: ParameterObject): boolean {
  return p.in === 'query' && p.schema?.type === 'array' && p.schema.items?.type === 'object';
}

/**
 * fastify-type-provider-zod registers an input and an output variant of every named schema, used
 * or not; the document keeps the ones an operation reaches (linters flag the rest as dead).
 */
export function pruneUnusedSchemas<T>(document: T): T {
  const doc = document as { components?: { schemas?: Record<string, unknown> } };
  const schemas = doc.components?.schemas;
  if (!schemas) return document;
  const refOf = /"#\/components\/schemas\/([^"]+)"/g;
  const { components, ...rest } = doc;
  const used = new Set<string>();
  const pending = [...JSON.stringify(rest).matchAll(refOf)].map((m) => m[1]!);
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (used.has(name) || !(name in schemas)) continue;
    used.add(name);
    for (const m of JSON.stringify(schemas[name]).matchAll(refOf)) pending.push(m[1]!);
  }
  for (const name of Object.keys(schemas)) if (!used.has(name)) delete schemas[name];
  return document;
}

export function documentQuerySerialization<T>(document: T): T {
  const paths = (document as { paths?: Record<string, Record<string, { parameters?: ParameterObject[] }>> }).paths ?? {};
  for (const operations of Object.values(paths)) {
    for (const operation of Object.values(operations)) {
      for (const p of operation.parameters ?? []) {
        if (!isListOfObjects(p)) continue;
        p.style = 'deepObject';
        p.explode = true;
        const how = `Bracket notation: ${p.name}[][id]=A&${p.name}[][id]=B (or ${p.name}[0][id]=A&${p.name}[1][id]=B).`;
        p.description = p.description ? `${p.description}. ${how}` : how;
      }
    }
  }
  return document;
}
