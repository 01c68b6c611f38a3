import { ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import { customerTokenSource } from '../msp/customer-token.js';

/**
 * Which identity the helpers use towards Graph. No secret or certificate path exists (issue 13: msp mode has
 * no secret):
 * - `managed-identity` (customer mode): the Function App's own identity, which reaches only its own tenant. In App
 *   Service and locally it reads IDENTITY_ENDPOINT / IDENTITY_HEADER.
 * - `customer-tenant` (msp mode): the multi-tenant app acting in the customer's tenant, its client assertion a
 *   token of the user-assigned identity (lib/msp/customer-token.ts, docs/msp-mode.md).
 */
export type GraphAuth =
  | { mode: 'managed-identity'; clientId?: string }
  | { mode: 'customer-tenant'; tenantId: string; appClientId: string; identityClientId: string; authorityHost: string };

export function createCredential(auth: GraphAuth): TokenCredential {
  switch (auth.mode) {
    case 'managed-identity':
      return auth.clientId ? new ManagedIdentityCredential({ clientId: auth.clientId }) : new ManagedIdentityCredential();
    case 'customer-tenant': {
      const source = customerTokenSource({
        AZURE_AUTHORITY_HOST: auth.authorityHost,
        MSP_APP_CLIENT_ID: auth.appClientId,
        MSP_IDENTITY_CLIENT_ID: auth.identityClientId,
      });
      return {
        getToken: async (scopes) => source.getToken(auth.tenantId, Array.isArray(scopes) ? (scopes[0] ?? '') : scopes),
      };
    }
  }
}
