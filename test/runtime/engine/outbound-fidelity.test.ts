import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harness, projectOf, request, runToEnd } from './helpers.js';
import { startScriptedServer } from './http-server.js';

type Server = Awaited<ReturnType<typeof startScriptedServer>>;

/** The headers a transport adds by itself (HTTP/1.1 framing), not chosen by the action or the engine. */
const TRANSPORT = new Set(['host', 'connection', 'content-length', 'transfer-encoding']);

describe('engine: outgoing Http requests carry exactly what the action says (node:http, not fetch)', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startScriptedServer((req, res) => {
      if (req.url === '/png') {
        res.writeHead(200, { 'content-type': 'image/png' });
        res.end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]));
        return;
      }
      if (req.url === '/html') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<p>hi</p>');
        return;
      }
      if (req.url === '/bom') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"ok":true}')]));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  afterAll(async () => server.stop());

  it('sends an Expect header instead of failing before sending (undocumented: observed on the real host as sent)', async () => {
    const h = harness(projectOf({ wf: { actions: { Call: { type: 'Http', inputs: { method: 'POST', uri: `${server.url}/any`, headers: { Expect: '100-continue' }, body: { a: 1 } } } } } }));
    const before = server.seen.length;
    const { run, actions } = await runToEnd(h, 'wf');
    expect(actions.Call?.status).toBe('Succeeded');
    expect(run.status).toBe('Succeeded');
    const seen = server.seen[before];
    expect(seen?.headers.expect).toBe('100-continue');
    expect(seen?.body).toBe('{"a":1}');
  });

  it('adds no header of its own beyond the x-ms-workflow-* set and the transport (undocumented: observed on the real host without accept-language, sec-fetch-mode, accept-encoding)', async () => {
    const h = harness(
      projectOf({
        wf: {
          actions: {
            Call: { type: 'Http', operationOptions: 'SuppressWorkflowHeaders', inputs: { method: 'POST', uri: `${server.url}/any`, headers: { 'X-Custom': 'v', 'Content-Type': 'application/json' }, body: { a: 1 } } },
            Stamped: { type: 'Http', inputs: { method: 'GET', uri: `${server.url}/any` }, runAfter: { Call: ['Succeeded'] } },
          },
        },
      }),
    );
    const before = server.seen.length;
    await runToEnd(h, 'wf');
    const [call, stamped] = server.seen.slice(before);
    const own = Object.keys(call?.headers ?? {}).filter((k) => !TRANSPORT.has(k)).sort();
    // x-ms-client-request-id is the per-attempt id the engine records in retryHistory.
    expect(own).toEqual(['content-type', 'x-custom', 'x-ms-client-request-id']);
    expect(call?.headers['content-type']).toBe('application/json');
    const stampedOwn = Object.keys(stamped?.headers ?? {}).filter((k) => !TRANSPORT.has(k));
    expect(stampedOwn.filter((k) => !k.startsWith('x-ms-') && k !== 'user-agent')).toEqual([]);
    for (const absent of ['accept-language', 'sec-fetch-mode', 'accept-encoding', 'accept']) expect(stamped?.headers[absent]).toBeUndefined();
  });

  it('sends object bodies as application/json; charset=utf-8 and string bodies as text/plain; charset=utf-8 (undocumented: observed on the real host as those values)', async () => {
    const h = harness(
      projectOf({
        wf: {
          actions: {
            Obj: { type: 'Http', inputs: { method: 'POST', uri: `${server.url}/any`, body: [1, 2] } },
            Text: { type: 'Http', inputs: { method: 'POST', uri: `${server.url}/any`, body: 'plain words' }, runAfter: { Obj: ['Succeeded'] } },
          },
        },
      }),
    );
    const before = server.seen.length;
    await runToEnd(h, 'wf');
    const [obj, text] = server.seen.slice(before);
    expect(obj?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(text?.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(text?.body).toBe('plain words');
  });

  it('keeps a non-JSON response as $content-type/$content and sends it on with its own type (https://learn.microsoft.com/azure/logic-apps/logic-apps-content-type)', async () => {
    const h = harness(
      projectOf({
        wf: {
          actions: {
            Get: { type: 'Http', inputs: { method: 'GET', uri: `${server.url}/png` } },
            Html: { type: 'Http', inputs: { method: 'GET', uri: `${server.url}/html` }, runAfter: { Get: ['Succeeded'] } },
            Bom: { type: 'Http', inputs: { method: 'GET', uri: `${server.url}/bom` }, runAfter: { Html: ['Succeeded'] } },
            Put: { type: 'Http', inputs: { method: 'PUT', uri: `${server.url}/upload`, body: "@body('Get')" }, runAfter: { Bom: ['Succeeded'] } },
          },
        },
      }),
    );
    const before = server.seen.length;
    const { actions } = await runToEnd(h, 'wf', request({}));
    expect((actions.Get?.outputs as { body: unknown }).body).toEqual({ '$content-type': 'image/png', '$content': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]).toString('base64') });
    // Learn: only text/plain is "stored in raw form"; text/html keeps its type for whatever passes it on.
    expect((actions.Html?.outputs as { body: unknown }).body).toEqual({ '$content-type': 'text/html;charset=utf-8', '$content': Buffer.from('<p>hi</p>').toString('base64') });
    // A UTF-8 byte-order mark before JSON is skipped, as the host's reader does.
    expect((actions.Bom?.outputs as { body: unknown }).body).toEqual({ ok: true });
    const upload = server.seen.slice(before).find((r) => r.url === '/upload');
    expect(upload?.headers['content-type']).toBe('image/png');
    expect(upload?.headers['content-length']).toBe('6');
  });
});
