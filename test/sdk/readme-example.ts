// Compiled by `tsc --noEmit` only: the README's SDK examples, so that they keep compiling.
import { createParleyClient } from '../../sdk/index.js';

export async function quickStart(): Promise<void> {
  const parley = createParleyClient({ baseUrl: 'http://localhost:8080', token: process.env.PARLEY_TOKEN! });
  for await (const rec of parley.list('/unified/conversational-intelligence/interactions', {
    integrated_account_id: 'sandbox-gong', start_time: '2026-10-01', end_time: '2026-11-01', aggregation_period: 'week',
  })) console.log(rec.user?.name, rec.metrics.patience);
}

export async function sdkSection(): Promise<void> {
  const parley = createParleyClient({ baseUrl: 'http://localhost:8080', token: process.env.PARLEY_TOKEN! });
  const account = await parley.unwrap(parley.client.GET('/integrated-accounts/{id}', { params: { path: { id: 'sandbox-gong' } } }));
  for await (const user of parley.list('/unified/conversational-intelligence/users', { integrated_account_id: account.id })) {
    console.log(user.name);
  }
}
