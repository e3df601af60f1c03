import openapiTS, { astToString } from 'openapi-typescript';

/**
 * The generated half of the SDK: TypeScript types of every route, from Parley's /openapi.json, by
 * openapi-typescript. `npm run sdk:generate` writes it to sdk/schema.ts; test/sdk/sdk.test.ts
 * regenerates it from the app's current document and fails when the file is stale.
 */
export const SCHEMA_HEADER = [
  '// Generated from Parley\'s /openapi.json by openapi-typescript (`npm run sdk:generate`). Do not edit:',
  '// test/sdk/sdk.test.ts fails when this file differs from what the current routes generate.',
  '',
].join('\n');

export async function generateSchemaSource(openApiDocument: object): Promise<string> {
  const ast = await openapiTS(openApiDocument as Parameters<typeof openapiTS>[0], { alphabetize: true });
  return `${SCHEMA_HEADER}${astToString(ast)}`;
}
