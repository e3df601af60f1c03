import fastJson from 'fast-json-stringify';
import { z } from 'zod';
import type { FastifySerializerCompiler } from 'fastify/types/schema.js';

/**
 * Responses are written by a serializer compiled once per route from the route's own zod schema
 * (as JSON Schema, fast-json-stringify): the same schemas document and shape every answer, without
 * re-validating every record of every page with zod on the way out (a page of 1000 Interactions
 * spent more time in that check than in being read). Keys the schema does not name are left out.
 */
export const serializerCompiler: FastifySerializerCompiler<z.ZodType> = ({ schema }) => {
  const json = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any', target: 'draft-7' });
  return fastJson(json as Parameters<typeof fastJson>[0]);
};
