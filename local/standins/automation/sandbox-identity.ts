import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './http-io.js';

/**
 * The managed-identity endpoint an Azure Automation cloud job sees as IDENTITY_ENDPOINT / IDENTITY_HEADER
 * (https://learn.microsoft.com/azure/automation/add-user-assigned-identity: GET $env:IDENTITY_ENDPOINT with
 * ?resource=<resource>&client_id=<user-assigned identity's client id> and the header X-IDENTITY-HEADER; Learn's
 * examples send no api-version). The stand-in forwards the request to the identity stand-in as the Automation
 * account's app there (its IDENTITY_HEADER), so tokens come from the one place that knows the identities.
 */

export const SANDBOX_IDENTITY_PATH = '/sandbox/identity';

export interface SandboxIdentityOptions {
  /** The identity stand-in's token endpoint (its IDENTITY_ENDPOINT, .../msi/token). */
  endpoint: string;
  /** The Automation account's IDENTITY_HEADER at the identity stand-in. */
  header: string;
}

export interface SandboxIdentity {
  /** The per-account header jobs must send (their IDENTITY_HEADER). */
  readonly header: string;
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
}

export function sandboxIdentity(opts: SandboxIdentityOptions): SandboxIdentity {
  const header = randomUUID();
  return {
    header,
    async handle(req, res, url) {
      if (req.method !== 'GET') return sendJson(res, 405, { error: 'invalid_request', error_description: 'Only GET is supported.' });
      if (req.headers['x-identity-header'] !== header) return sendJson(res, 401, { error: 'unauthorized_client', error_description: 'The X-IDENTITY-HEADER header is missing or not valid.' });
      const target = new URL(opts.endpoint);
      target.searchParams.set('api-version', '2019-08-01');
      for (const name of ['resource', 'client_id', 'principal_id', 'object_id', 'mi_res_id']) {
        const value = url.searchParams.get(name);
        if (value !== null) target.searchParams.set(name, value);
      }
      const answer = await fetch(target, { headers: { 'X-IDENTITY-HEADER': opts.header } });
      res.writeHead(answer.status, { 'Content-Type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(await answer.text());
    },
  };
}
