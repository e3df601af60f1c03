import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/**
 * A real local receiver: every request is verified with the `standardwebhooks` package (an
 * implementation of the signature independent of Parley's), and recorded.
 */
export interface Received {
  id: string;
  type: string;
  valid: boolean;
  problem?: string;
  status: number;
  body: any;
  at: number;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** the status to answer (default 200); a function sees the request's event id */
  answer: (eventId: string, path: string) => number;
  /** milliseconds to wait before answering */
  delayMs: number;
  /** secrets to verify with, tried in turn (one per webhook pointing here) */
  secrets: string[];
  /** requests that arrived (answered or not yet) */
  arrived: number;
  /** delivered (2xx-answered) event ids, unique */
  delivered(): Set<string>;
  waitFor(predicate: () => boolean, timeoutMs: number, what: string): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = {
    url: '',
    received: [],
    answer: () => 200,
    delayMs: 0,
    secrets: [],
    arrived: 0,
    delivered: () => new Set(receiver.received.filter((r) => r.valid && r.status >= 200 && r.status < 300).map((r) => r.id)),
    async waitFor(predicate, timeoutMs, what) {
      const until = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: async () => {},
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      receiver.arrived += 1;
      const raw = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      let valid = false;
      let problem: string | undefined;
      for (const secret of receiver.secrets) {
        try {
          new Webhook(secret).verify(raw, headers);
          valid = true;
          break;
        } catch (e) {
          problem = (e as Error).message;
        }
      }
      let body: any;
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
      const id = headers['webhook-id'] ?? '';
      const status = receiver.answer(id, req.url ?? '/');
      const entry: Received = { id, type: body?.type, valid, problem, status, body, at: performance.now() };
      const reply = () => {
        receiver.received.push(entry);
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'not now');
      };
      if (receiver.delayMs > 0) setTimeout(reply, receiver.delayMs);
      else reply();
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}
