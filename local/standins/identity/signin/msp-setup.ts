import { federationIssuer, TOKEN_EXCHANGE_AUDIENCE } from '../index.js';
import { mspConsentRoles, mspDirectoryRoles, type EntraDirectory, type ServicePrincipalRecord } from './directory.js';

/**
 * What `npm run deploy -- --mode msp` and `npm run customer:add` leave behind in Entra, set up in one call for the
 * local system and tests: the multi-tenant app whose only credential is a federated identity credential trusting
 * the user-assigned identity (issuer = the MSP tenant's v2.0 authority, subject = the identity's principal id,
 * audience api://AzureADTokenExchange; infra/README.md "msp mode"), and per customer tenant the admin consent and,
 * when the customer's admin did it, the directory roles.
 */
export interface MspSetup {
  appId: string;
  mspTenantId: string;
  /** Principal (object) id of the user-assigned identity: the federated credential's subject. */
  identityPrincipalId: string;
  displayName?: string;
  customers: Array<{
    tenantId: string;
    /** Admin consent given (default true): the manifest's msp application permissions. */
    consent?: boolean;
    /** Directory roles the customer's admin assigned (default: the manifest's msp roles when consented). */
    directoryRoles?: string[];
  }>;
}

/**
 * Ids the local msp system can use (any GUIDs would do; these are easy to spot in logs): the MSP's tenant, the
 * multi-tenant app, and the user-assigned identity (principal id = the federated credential's subject).
 */
export const LOCAL_MSP = {
  tenantId: '0e0e0e0e-1111-4222-8333-444444444444',
  appId: '7a7a7a7a-0000-4000-8000-000000000001',
  identity: {
    objectId: '5c5c5c5c-0000-4000-8000-000000000001',
    clientId: '5d5d5d5d-0000-4000-8000-000000000001',
    resourceId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/local/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-local-msp',
  },
} as const;

export function setUpMspTenants(directory: EntraDirectory, setup: MspSetup): ServicePrincipalRecord[] {
  directory.registerApp({
    appId: setup.appId,
    displayName: setup.displayName ?? 'Thread intent runner',
    homeTenantId: setup.mspTenantId,
    federatedCredentials: [{ name: 'msp-identity', issuer: federationIssuer(setup.mspTenantId), subject: setup.identityPrincipalId, audiences: [TOKEN_EXCHANGE_AUDIENCE] }],
  });
  const out: ServicePrincipalRecord[] = [];
  for (const c of setup.customers) {
    if (c.consent === false) continue;
    directory.consent(c.tenantId, setup.appId, mspConsentRoles());
    const roles = c.directoryRoles ?? mspDirectoryRoles();
    out.push(roles.length > 0 ? directory.assignDirectoryRoles(c.tenantId, setup.appId, roles) : (directory.servicePrincipal(c.tenantId, setup.appId) as ServicePrincipalRecord));
  }
  return out;
}
