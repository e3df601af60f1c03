import type { Connector } from './types.js';
import { gongConnector } from './gong/index.js';
import { clariCopilotConnector } from './clari_copilot/index.js';
import { avomaConnector } from './avoma/index.js';
import { firefliesConnector } from './fireflies/index.js';
import { chorusConnector } from './chorus/index.js';
import { fathomConnector } from './fathom/index.js';
import { grainConnector } from './grain/index.js';

/** Adding a vendor: a folder under src/connectors/ and one line here. */
export const connectors: ReadonlyMap<string, Connector> = new Map(
  [gongConnector, firefliesConnector, clariCopilotConnector, chorusConnector, avomaConnector, fathomConnector, grainConnector].map((c) => [c.provider.slug, c]),
);

export function connectorFor(slug: string): Connector | undefined {
  return connectors.get(slug);
}
