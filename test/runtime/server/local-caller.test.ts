import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRuntime, type Harness } from './harness.js';

/**
 * The management API and run-history page answer only this machine's own page and tools
 * (undocumented for the local runtime; the threat is a web page in the technician's browser:
 * DNS rebinding and cross-site POSTs, https://developer.mozilla.org/docs/Web/HTTP/CORS#simple_requests).
 * The signed Request trigger URL still takes posts from anywhere.
 */
let h: Harness;
let port: number;

beforeAll(async () => {
  h = await startFakeRuntime();
  port = Number(new URL(h.server.url).port);
});
afterAll(async () => h.server.close());

function raw(method: string, url: string, headers: Record<string, string>, body?: string): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text.startsWith('{') ? JSON.parse(text) : text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const mgmt = (path: string): string => h.mgmt(path);

describe('runtime server: management API and page answer only the local page and tools', () => {
  it('answers its own loopback names', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      expect((await raw('GET', mgmt('/workflows'), { host })).status).toBe(200);
    }
    expect((await raw('GET', `${h.server.url}/runs`, { host: `localhost:${port}` })).status).toBe(200);
  });

  it('refuses another Host (DNS rebinding) with 421 and says which addresses work', async () => {
    const res = await raw('GET', mgmt('/workflows'), { host: `evil.example:${port}` });
    expect(res.status).toBe(421);
    expect(res.json.error.message).toContain(`http://127.0.0.1:${port}`);
    expect((await raw('GET', `${h.server.url}/runs`, { host: 'evil.example' })).status).toBe(421);
    expect((await raw('POST', mgmt('/workflows/hello/triggers/manual/listCallbackUrl'), { host: `127.0.0.1:1`, 'content-type': 'application/json' })).status).toBe(421);
  });

  it('refuses a call from another web page (Origin) with 403', async () => {
    const res = await raw('POST', mgmt('/workflows/hello/triggers/manual/listCallbackUrl'), { host: `127.0.0.1:${port}`, origin: 'https://evil.example', 'content-type': 'application/json' }, '{}');
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('CrossOriginRequestRefused');
    expect((await raw('GET', mgmt('/workflows'), { host: `127.0.0.1:${port}`, origin: 'null' })).status).toBe(403);
    // The page itself (same origin) is answered.
    expect((await raw('GET', mgmt('/workflows'), { host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}` })).status).toBe(200);
  });

  it('refuses a state-changing call without a JSON content type (a cross-site text/plain or form post) with 403', async () => {
    const host = `127.0.0.1:${port}`;
    const plain = await raw('POST', mgmt('/workflows/hello/triggers/manual/listCallbackUrl'), { host, 'content-type': 'text/plain' }, '{}');
    expect(plain.status).toBe(403);
    expect(plain.json.error.code).toBe('JsonContentTypeRequired');
    expect((await raw('POST', mgmt('/workflows/hello/regenerateAccessKey'), { host, 'content-type': 'application/x-www-form-urlencoded' }, 'keyType=Primary')).status).toBe(403);
    const json = await raw('POST', mgmt('/workflows/hello/triggers/manual/listCallbackUrl'), { host, 'content-type': 'application/json' }, '{}');
    expect(json.status).toBe(200);
    expect(json.json.value).toContain('/api/hello/triggers/manual/invoke');
  });

  it('still takes trigger posts from any client, whatever its Host, Origin or content type', async () => {
    const url = new URL(h.server.triggerUrl('hello'));
    const res = await raw('POST', url.toString(), { host: 'thread-webhooks.example', origin: 'https://app.thread.example', 'content-type': 'text/plain' }, 'hello');
    expect(res.status).toBeLessThan(300);
  });
});
