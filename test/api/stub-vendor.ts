import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A vendor that answers at once from memory and records what it was sent: tests of the API edge
 * exercise Parley, not a simulator or the network. `answer` picks the response per request; the
 * default is Gong's documented "no records" 404, which every Parley connector must survive.
 */
export interface StubRequest {
  method: string;
  path: string;
  query: string;
  body: string;
}

export interface StubAnswer {
  status: number;
  body: unknown;
}

export interface StubVendor {
  url: string;
  requests: StubRequest[];
  close(): Promise<void>;
}

const NO_RECORDS: StubAnswer = { status: 404, body: { requestId: 'stub', errors: ['No records found corresponding to the provided filters'] } };

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

export async function startStubVendor(answer: (r: StubRequest, n: number) => StubAnswer = () => NO_RECORDS): Promise<StubVendor> {
  const requests: StubRequest[] = [];
  const server: Server = createServer(async (req, res) => {
    const [path, query = ''] = (req.url ?? '/').split('?');
    const r: StubRequest = { method: req.method ?? 'GET', path: path!, query, body: await readBody(req) };
    requests.push(r);
    if (requests.length > 10_000) requests.shift();
    const a = answer(r, requests.length);
    const text = JSON.stringify(a.body);
    res.writeHead(a.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
