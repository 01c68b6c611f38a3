import type { Runner } from '../deploy/runner.js';
import type { MspDeployment } from './deployment.js';

/**
 * What a customer tenant has granted the msp app, as seen from inside that tenant with the app's own token (client
 * assertion with the deployment's managed identity). customer:add takes the check as a function, so tests give it a
 * fake and the real one goes through the deployed helpers.
 */
export type { TenantVerification } from '../../lib/msp/verify-tenant.js';
import type { TenantVerification } from '../../lib/msp/verify-tenant.js';

export type VerifyTenant = (input: { tenantId: string; deployment: MspDeployment }) => Promise<TenantVerification>;

/** The helpers' endpoint customer:add calls in real use (contract with the helpers; infra/README.md, "msp mode"). */
export const VERIFY_PATH = '/api/msp/verify-tenant';

/**
 * The real verification: POST https://<helpers>/api/msp/verify-tenant { tenantId } with a token for the helpers'
 * Easy Auth audience (api://<helpersAppClientId>) from the technician's az sign-in. The helpers answer a
 * TenantVerification, read in the customer's tenant with the msp app's token. The token stays in memory.
 */
export function verifyThroughHelpers(run: Runner): VerifyTenant {
  return async ({ tenantId, deployment }) => {
    const token = (await run.check(['account', 'get-access-token', '--resource', `api://${deployment.helpersAppClientId}`])) as { accessToken?: string };
    const response = await fetch(`https://${deployment.helpersHostName}${VERIFY_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token.accessToken ?? ''}` },
      body: JSON.stringify({ tenantId }),
    });
    if (!response.ok) throw new Error(`The helpers answered ${response.status} to ${VERIFY_PATH}: ${(await response.text()).slice(0, 300)}`);
    return (await response.json()) as TenantVerification;
  };
}
