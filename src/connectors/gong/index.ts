import type { Connector } from '../types.js';
import { gongProvider } from './provider.js';
import { gongNativeInteractions } from './interaction-stats.js';

export const gongConnector: Connector = {
  provider: gongProvider,
  open(ctx) {
    return { nativeInteractions: gongNativeInteractions(ctx) };
  },
};
