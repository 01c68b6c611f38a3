import { listen, sendJson, readBody, type ListeningServer } from '../../../local/standins/automation/http-io.js';
import { mintLocalToken, verifyJwt } from '../../../local/standins/identity/token.js';

/**
 * Test double of the sign-in endpoint (https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token) for the
 * Automation stand-in's msp-mode tests, so they do not depend on the sign-in stand-in's internals: a client-credentials
 * request whose client_assertion is a valid api://AzureADTokenExchange token of `subject`, for `appClientId`, in a
 * consented tenant, gets an Exchange Online token of that tenant (`tid`) carrying Exchange.ManageAsApp and the
 * directory roles (`wids`) the tenant assigned. Refusals use Entra's JSON error shape
 * (https://learn.microsoft.com/entra/identity-platform/reference-error-codes): AADSTS700016 when the app has no
 * service principal in the tenant (no admin consent), AADSTS90002 for an unknown tenant, AADSTS700213 when no
 * federated credential matches the assertion.
 */

export const EXCHANGE_RECIPIENT_ADMINISTRATOR = '31392ffb-586c-42d1-9346-e59415a2cc4e';

export interface SignInTenant {
  tenantId: string;
  /** Domains the tenant can be addressed by (the initial domain at least). */
  domains: string[];
  consented: boolean;
  /** Directory role template ids assigned to the app's service principal there. */
  wids: string[];
  /** The app's service principal object id in that tenant. */
  servicePrincipalId: string;
}

export interface SignInDouble {
  url: string;
  tenants: SignInTenant[];
  /** Token requests received: tenant path segment and form field names (never values). */
  requests: Array<{ tenant: string; fields: string[] }>;
  stop(): Promise<void>;
}

const aadError = (res: Parameters<typeof sendJson>[0], status: number, error: string, code: number, description: string) =>
  sendJson(res, status, { error, error_description: `AADSTS${code}: ${description}\r\nTrace ID: 00000000-0000-0000-0000-000000000000 Timestamp: 2026-12-06 12:00:00Z`, error_codes: [code] });

export async function startSignInDouble(opts: { appClientId: string; subject: string; tenants: SignInTenant[] }): Promise<SignInDouble> {
  const requests: SignInDouble['requests'] = [];
  const srv: ListeningServer = await listen(0, async (req, res) => {
    const match = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    if (req.method !== 'POST' || !match) return sendJson(res, 404, { error: 'not_found' });
    const form = new URLSearchParams(await readBody(req));
    const segment = decodeURIComponent(match[1] ?? '');
    requests.push({ tenant: segment, fields: [...form.keys()].sort() });
    const tenant = opts.tenants.find((t) => t.tenantId === segment || t.domains.some((d) => d.toLowerCase() === segment.toLowerCase()));
    if (!tenant) return aadError(res, 400, 'invalid_request', 90002, `Tenant '${segment}' not found.`);
    const assertion = verifyJwt(form.get('client_assertion') ?? '', ['api://AzureADTokenExchange']);
    if (!assertion.ok || assertion.claims.sub !== opts.subject || form.get('client_id') !== opts.appClientId) {
      return aadError(res, 400, 'invalid_client', 700213, 'No matching federated identity record found for presented assertion subject.');
    }
    if (!tenant.consented) {
      return aadError(res, 400, 'unauthorized_client', 700016, `Application with identifier '${opts.appClientId}' was not found in the directory '${segment}'.`);
    }
    const token = mintLocalToken({ aud: 'https://outlook.office365.com', tid: tenant.tenantId, oid: tenant.servicePrincipalId, appid: opts.appClientId, roles: ['Exchange.ManageAsApp'], wids: tenant.wids }, 3600);
    sendJson(res, 200, { token_type: 'Bearer', expires_in: 3599, access_token: token });
  });
  return { url: srv.origin, tenants: opts.tenants, requests, stop: () => srv.close() };
}
