import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultQueue, parseFault } from '../automation/fault-queue.js';
import { listen, readJson, sendJson } from '../automation/http-io.js';
import { verifyLocalToken } from '../identity/token.js';
import { validateMail, type OutgoingMail } from './mail-validation.js';

/**
 * Local stand-in for the Office 365 Outlook managed connector as the Logic Apps runtime reaches it through
 * the connection's connectionRuntimeUrl: "Send an email (V2)" is POST {connectionRuntimeUrl}/v2/Mail.
 * Sent mail lands in an outbox tests can read; faults can be queued to test notification failures.
 */

export interface OutlookStandInOptions {
  port?: number;
  /** The connection key the local connections.json sends as `Authorization: Key <key>`; random by default. */
  connectionKey?: string;
}

export interface SentMail extends OutgoingMail {
  id: string;
  sentAt: string;
  clientRequestId?: string;
}

export interface OutlookStandIn {
  /** Origin of the stand-in (admin API lives at /_admin). */
  url: string;
  /** What O365_CONNECTION_RUNTIMEURL should hold. */
  connectionRuntimeUrl: string;
  connectionKey: string;
  outbox(): SentMail[];
  stop(): Promise<void>;
}

/** Audience of managed-identity calls to managed connectors. */
const APIHUB_AUDIENCES = ['https://apihub.azure.com'];
const SOURCE = 'office365-local.azure-apihub.net';

/** The API hub error shape managed connectors answer with. */
function sendConnectorError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  const clientRequestId = randomUUID();
  const full = `${message}\r\nclientRequestId: ${clientRequestId}`;
  sendJson(res, status, { status, message: full, error: { message }, source: SOURCE }, { 'x-ms-client-request-id': clientRequestId, ...headers });
}

function authorized(req: IncomingMessage, key: string): boolean {
  const header = req.headers.authorization ?? '';
  const raw = /^Key\s+(.+)$/i.exec(header.trim());
  if (raw) return raw[1] === key;
  return verifyLocalToken(header, APIHUB_AUDIENCES).ok;
}

export async function startOutlookStandIn(opts: OutlookStandInOptions = {}): Promise<OutlookStandIn> {
  const connectionKey = opts.connectionKey ?? randomUUID();
  const outbox: SentMail[] = [];
  const faults = new FaultQueue();

  async function admin(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (path === '/_admin/outbox' && req.method === 'GET') return sendJson(res, 200, { value: outbox });
    if (path === '/_admin/outbox' && req.method === 'DELETE') {
      outbox.length = 0;
      return sendJson(res, 200, { cleared: true });
    }
    if (path === '/_admin/faults' && req.method === 'POST') {
      const parsed = parseFault(await readJson(req));
      if (!parsed.ok) return sendJson(res, 400, { error: { message: parsed.message } });
      faults.add(parsed.fault);
      return sendJson(res, 200, { pending: faults.pending() });
    }
    if (path === '/_admin/faults' && req.method === 'DELETE') {
      faults.clear();
      return sendJson(res, 200, { pending: [] });
    }
    sendJson(res, 404, { error: { message: `No admin route ${req.method} ${path}` } });
  }

  async function sendMail(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!authorized(req, connectionKey)) return sendConnectorError(res, 401, 'The connection authorization is missing or invalid.');
    const fault = faults.take(req.method ?? 'POST');
    if (fault) return sendConnectorError(res, fault.status, fault.message, FaultQueue.headers(fault));
    const body = await readJson(req);
    if (body instanceof SyntaxError) return sendConnectorError(res, 400, 'The request body is not valid JSON.');
    const check = validateMail(body);
    if (!check.ok) return sendConnectorError(res, 400, check.message);
    const clientRequestId = req.headers['x-ms-client-request-id'];
    outbox.push({
      id: randomUUID(),
      sentAt: new Date().toISOString(),
      ...check.mail,
      ...(typeof clientRequestId === 'string' ? { clientRequestId } : {}),
    });
    res.writeHead(200, { 'content-length': '0' });
    res.end();
  }

  const srv = await listen(opts.port ?? 0, async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/_admin/')) return admin(req, res, url.pathname);
    // connectionRuntimeUrl carries a connection-specific prefix; the operation path follows it.
    if (/\/v2\/Mail$/i.test(url.pathname)) {
      if (req.method !== 'POST') return sendConnectorError(res, 405, 'Send an email (V2) is POST /v2/Mail.');
      return sendMail(req, res);
    }
    sendConnectorError(res, 404, `The operation ${req.method} ${url.pathname} is not served by the Office 365 Outlook stand-in.`);
  });

  return {
    url: srv.origin,
    connectionRuntimeUrl: `${srv.origin}/apim/office365/local-office365`,
    connectionKey,
    outbox: () => outbox.map((m) => ({ ...m })),
    stop: () => srv.close(),
  };
}
