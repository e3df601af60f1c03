// Compiled by `tsc --noEmit` only (not a vitest file): what the SDK's types accept and refuse.
import { createParleyClient, type ListItem, type ListPath } from '../../sdk/index.js';

const parley = createParleyClient({ baseUrl: 'http://localhost:8080', token: 'prl_x' });

export const listRoutes: ListPath[] = [
  '/integrated-accounts',
  '/api-tokens',
  '/unified/conversational-intelligence/users',
  '/unified/conversational-intelligence/meetings',
  '/unified/conversational-intelligence/transcripts',
  '/unified/conversational-intelligence/interactions',
];

export async function typed(): Promise<void> {
  for await (const r of parley.list('/unified/conversational-intelligence/interactions', { integrated_account_id: 'a', start_time: '2025-06-01', end_time: '2025-06-08' })) {
    const patience: number | undefined = r.metrics.patience;
    void patience;
  }
  const first: ListItem<'/unified/conversational-intelligence/users'> | undefined = undefined;
  void first;
  // @ts-expect-error /health is not a list route
  parley.list('/health', {});
  // @ts-expect-error start_time and end_time are required
  parley.list('/unified/conversational-intelligence/interactions', { integrated_account_id: 'a' });
  // @ts-expect-error paging is the SDK's job
  parley.list('/integrated-accounts', { next_cursor: 'x' });
  const account = await parley.unwrap(parley.client.GET('/integrated-accounts/{id}', { params: { path: { id: 'a' } } }));
  const integration: string = account.integration;
  void integration;
}
