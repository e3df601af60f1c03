import type { Connector } from './types.js';
import { gongConnector } from './gong/index.js';

/** Adding a vendor: a folder under src/connectors/ and one line here. */
export const connectors: ReadonlyMap<string, Connector> = new Map([[gongConnector.provider.slug, gongConnector]]);

export function connectorFor(slug: string): Connector | undefined {
  return connectors.get(slug);
}
