import { createHash } from 'node:crypto';

/**
 * Deterministic id from its parts: the same parts always give the same id, and different parts
 * give different ids (parts are length-prefixed, so ["a|b"] and ["a","b"] cannot collide).
 */
export function stableId(prefix: string, parts: readonly string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(`${p.length}:${p}`);
  return `${prefix}_${h.digest('base64url').slice(0, 27)}`;
}
