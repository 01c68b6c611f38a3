import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Records what reaches "Graph" and answers what the test sets (status, headers, body). */
export interface GraphCallRecord {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FakeGraph {
  url: string;
  calls: GraphCallRecord[];
  answer: (call: GraphCallRecord) => { status: number; headers?: Record<string, string>; body?: string };
  stop(): Promise<void>;
}

export async function startFakeGraph(): Promise<FakeGraph> {
  const fake: Partial<FakeGraph> & { calls: GraphCallRecord[] } = { calls: [] };
  fake.answer = () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{}' });
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const call = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      fake.calls.push(call);
      const answer = fake.answer!(call);
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  fake.url = `http://127.0.0.1:${port}`;
  fake.stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return fake as FakeGraph;
}
