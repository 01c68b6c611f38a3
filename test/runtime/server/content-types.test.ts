import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../../local/runtime/engine/index.js';
import { createMemoryHistoryStore } from '../../../local/runtime/history/index.js';
import { startRuntimeServer, type RuntimeServer } from '../../../local/runtime/server/index.js';
import { projectOf, testServices } from '../engine/helpers.js';

/**
 * The trigger endpoint and Response action with the real engine: content types as the host handles them
 * (https://learn.microsoft.com/azure/logic-apps/logic-apps-content-type) and byte-level shapes observed on
 * the real host (captured request traces: form data as `$content-type`/`$content` with `$formdata`/`$multipart`).
 */
let server: RuntimeServer;
let backend: Server;
let backendUrl = '';

beforeAll(async () => {
  backend = createServer((req, res) => {
    if (req.url === '/page.html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<h1>Status</h1>');
      return;
    }
    if (req.url === '/report.pdf') {
      res.writeHead(200, { 'content-type': 'application/pdf' });
      res.end(Buffer.from('%PDF-1.7 binary\x00\xff', 'latin1'));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/xml; charset=utf-8' });
    res.end('<user id="1"/>');
  });
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
  backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
  const project = projectOf({
    echo: { actions: { Respond: { type: 'Response', inputs: { statusCode: 200, body: '@triggerBody()' } } } },
    shape: { actions: { Respond: { type: 'Response', inputs: { statusCode: 200, body: { received: '@triggerBody()' } } } } },
    passthrough: {
      actions: {
        Get: { type: 'Http', inputs: { method: 'GET', uri: "@{triggerBody()?['url']}" } },
        Respond: { type: 'Response', inputs: { statusCode: 200, body: "@body('Get')" }, runAfter: { Get: ['Succeeded'] } },
      },
    },
  });
  const history = createMemoryHistoryStore();
  let base = '';
  const engine = createEngine({ project, history, services: testServices(), publicBaseUrl: () => base });
  server = await startRuntimeServer({ engine, history, dataDir: await mkdtemp(join(tmpdir(), 'runtime-content-')), port: 0 });
  base = server.url;
});
afterAll(async () => {
  await server.close();
  await new Promise<void>((r) => backend.close(() => r()));
});

async function send(workflow: string, body: string | Buffer, contentType?: string): Promise<Response> {
  return fetch(server.triggerUrl(workflow), { method: 'POST', headers: contentType ? { 'content-type': contentType } : {}, body });
}

describe('trigger content types (real engine)', () => {
  it('accepts a JSON body that starts with a UTF-8 byte-order mark (undocumented: observed on the real host as accepted)', async () => {
    const res = await send('echo', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"intent_name":"x"}')]), 'application/json');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ intent_name: 'x' });
  });

  it('still refuses JSON that does not parse with 400', async () => {
    const res = await send('echo', '{nope', 'application/json');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('InvalidRequestContent');
  });

  it('keeps text/plain as a string and never parses it as JSON (Learn: text/plain is "stored in raw form")', async () => {
    const res = await send('echo', '{"looks":"like json"}', 'text/plain');
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toBe('{"looks":"like json"}');
  });

  it('hands other content types to the workflow as $content-type/$content and sends them back with their own type', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const res = await send('echo', png, 'image/png');
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(png);
  });

  it('gives form posts $formdata and multipart posts $multipart (undocumented: observed on the real host in captured traces)', async () => {
    const form = await send('shape', 'a=1&b=x%20y&flag', 'application/x-www-form-urlencoded');
    expect(await form.json()).toEqual({
      received: {
        '$content-type': 'application/x-www-form-urlencoded',
        '$content': Buffer.from('a=1&b=x%20y&flag').toString('base64'),
        '$formdata': [{ key: 'a', value: '1' }, { key: 'b', value: 'x y' }, { key: 'flag', value: '' }],
      },
    });
    const body = ['--XyZ', 'Content-Disposition: form-data; name="x"', '', 'y=z', '--XyZ', 'Content-Disposition: form-data; name="f"; filename="a.txt"', 'Content-Type: text/plain', '', 'hello', '--XyZ--', ''].join('\r\n');
    const multi = await send('shape', body, 'multipart/form-data; boundary=XyZ');
    const received = ((await multi.json()) as { received: Record<string, unknown> }).received;
    // The host drops the blank after ';' in the recorded type.
    expect(received['$content-type']).toBe('multipart/form-data;boundary=XyZ');
    expect(received['$multipart']).toEqual([
      { headers: { 'Content-Disposition': 'form-data; name="x"', 'Content-Length': '3' }, body: { '$content-type': 'application/octet-stream', '$content': Buffer.from('y=z').toString('base64') } },
      { headers: { 'Content-Disposition': 'form-data; name="f"; filename="a.txt"', 'Content-Type': 'text/plain', 'Content-Length': '5' }, body: 'hello' },
    ]);
  });

  it('a Response passing a backend body through keeps the backend content type (https://learn.microsoft.com/azure/logic-apps/logic-apps-content-type: "always preserves the Content-Type")', async () => {
    const pdf = await send('passthrough', JSON.stringify({ url: `${backendUrl}/report.pdf` }), 'application/json');
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await pdf.arrayBuffer()).toString('latin1')).toBe('%PDF-1.7 binary\x00\xff');
    const xml = await send('passthrough', JSON.stringify({ url: `${backendUrl}/user.xml` }), 'application/json');
    expect(xml.headers.get('content-type')).toMatch(/^application\/xml;\s?charset=utf-8$/);
    expect(await xml.text()).toBe('<user id="1"/>');
    const html = await send('passthrough', JSON.stringify({ url: `${backendUrl}/page.html` }), 'application/json');
    expect(html.headers.get('content-type')).toBe('text/html');
    expect(await html.text()).toBe('<h1>Status</h1>');
  });

  it('refuses an api-version the host does not take, and takes the typical ones', async () => {
    const withVersion = (v: string): string => {
      const u = new URL(server.triggerUrl('echo'));
      u.searchParams.set('api-version', v);
      return u.toString();
    };
    const bad = await fetch(withVersion('1999-01-01'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('InvalidApiVersionParameter');
    for (const v of ['2022-05-01', '2016-10-01']) {
      expect((await fetch(withVersion(v), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(200);
    }
  });
});
