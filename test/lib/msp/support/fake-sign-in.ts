import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny stand-in for the Microsoft Entra token endpoint, enough to test lib/msp/customer-token.ts: the client
 * credentials flow with a federated credential
 * (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow#third-case-access-token-request-with-a-federated-credential).
 * Errors carry Entra's JSON shape (error, error_description "AADSTS<n>: …", error_codes [n], trace_id …;
 * https://learn.microsoft.com/entra/identity-platform/reference-error-codes). Tokens are opaque strings that name
 * tenant and scope, so tests can see which tenant's token reached Graph.
 */
export interface TokenRequestRecord {
  tenant: string;
  form: Record<string, string>;
}

export interface FakeSignInOptions {
  appClientId: string;
  /** The assertion the app's federated credential accepts: one exact value, or a check of it. */
  assertion: string | ((assertion: string) => boolean);
  /** Tenants (ids, lower case) that exist; consented ones are in `consented`. */
  tenants: string[];
  consented: string[];
  expiresInSeconds?: number;
}

export interface FakeSignIn {
  url: string;
  requests: TokenRequestRecord[];
  consented: Set<string>;
  /** Next answers forced by a test (status + body), consumed in order. */
  forced: Array<{ status: number; body: unknown }>;
  stop(): Promise<void>;
}

function entraError(status: number, error: string, code: number, text: string): { status: number; body: unknown } {
  const traceId = randomUUID();
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${text} Trace ID: ${traceId} Correlation ID: ${randomUUID()} Timestamp: 2026-12-06 11:00:00Z`,
      error_codes: [code],
      timestamp: '2026-12-06 11:00:00Z',
      trace_id: traceId,
      correlation_id: randomUUID(),
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
  };
}

async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

export async function startFakeSignIn(options: FakeSignInOptions): Promise<FakeSignIn> {
  const requests: TokenRequestRecord[] = [];
  const consented = new Set(options.consented.map((t) => t.toLowerCase()));
  const tenants = new Set(options.tenants.map((t) => t.toLowerCase()));
  const forced: FakeSignIn['forced'] = [];
  let issued = 0;
  const assertionOk = (a: string) => (typeof options.assertion === 'string' ? a === options.assertion : options.assertion(a));
  const server: Server = createServer((req, res) => {
    void (async () => {
      const match = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(req.url ?? '');
      const send = (answer: { status: number; body: unknown }) => {
        res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(answer.body));
      };
      if (!match || req.method !== 'POST') return send({ status: 404, body: {} });
      const tenant = decodeURIComponent(match[1]!).toLowerCase();
      const form = await readForm(req);
      requests.push({ tenant, form });
      const next = forced.shift();
      if (next) return send(next);
      if (!tenants.has(tenant)) return send(entraError(400, 'invalid_request', 90002, `Tenant '${tenant}' not found.`));
      if (form.client_id !== options.appClientId) return send(entraError(400, 'unauthorized_client', 700016, `Application with identifier '${form.client_id}' was not found in the directory.`));
      if (form.client_assertion_type !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' || !assertionOk(form.client_assertion ?? '')) {
        return send(entraError(401, 'invalid_client', 700213, 'No matching federated identity record found for presented assertion subject.'));
      }
      if (!consented.has(tenant)) {
        return send(entraError(401, 'invalid_client', 7000229, `The client application ${options.appClientId} is missing service principal in the tenant ${tenant}.`));
      }
      issued++;
      send({ status: 200, body: { token_type: 'Bearer', expires_in: options.expiresInSeconds ?? 3599, access_token: `tok|${tenant}|${form.scope}|${issued}` } });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    consented,
    forced,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
