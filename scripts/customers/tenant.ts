import { DeployProblem } from '../deploy/errors.js';

/**
 * A customer's tenant id from its id or any of its domains, through the tenant's public OpenID Connect metadata
 * (no sign-in): GET https://login.microsoftonline.com/<domain>/v2.0/.well-known/openid-configuration answers an
 * `issuer` of https://login.microsoftonline.com/<tenant id>/v2.0
 * (https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc#find-your-apps-openid-configuration-document-uri).
 */
export type TenantResolver = (tenant: string) => Promise<string>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function tenantIdFromIssuer(issuer: unknown): string | undefined {
  const m = typeof issuer === 'string' ? /^https:\/\/login\.microsoftonline\.com\/([0-9a-f-]{36})\/v2\.0\/?$/i.exec(issuer) : null;
  return m?.[1]?.toLowerCase();
}

export const resolveTenantOnline: TenantResolver = async (tenant) => {
  const url = `https://login.microsoftonline.com/${encodeURIComponent(tenant)}/v2.0/.well-known/openid-configuration`;
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new DeployProblem(`Could not reach ${url}: ${error instanceof Error ? error.message : String(error)}.`, 'Check the network, or pass the tenant id instead of the domain');
  }
  if (!response.ok) {
    throw new DeployProblem(`No Microsoft Entra tenant answers for '${tenant}' (HTTP ${response.status}).`, 'Check the spelling, or ask the customer for the tenant id (Entra admin center > Overview)');
  }
  const id = tenantIdFromIssuer(((await response.json()) as { issuer?: unknown }).issuer);
  if (!id) throw new DeployProblem(`The OpenID configuration of '${tenant}' has no tenant id in its issuer.`, 'Pass the tenant id instead of the domain');
  return id;
};

/** A GUID is taken as the tenant id, but still asked for, so a typo is caught before the admin gets a URL. */
export async function resolveTenant(tenant: string, resolver: TenantResolver): Promise<string> {
  const id = (await resolver(tenant)).toLowerCase();
  if (!GUID.test(id)) throw new DeployProblem(`'${tenant}' resolved to '${id}', which is not a tenant id.`, 'Pass the tenant id');
  return id;
}
