import {
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  type TokenCredential,
} from '@azure/identity';

/**
 * Which identity the helpers use towards Graph. Managed identity is the default (no secret to
 * leak; in App Service and locally it reads IDENTITY_ENDPOINT / IDENTITY_HEADER). The app
 * registration modes exist for MSPs serving several customer tenants from one deployment: the
 * tenant id is then the customer's, per request.
 */
export type GraphAuth =
  | { mode: 'managed-identity'; clientId?: string }
  | { mode: 'client-secret'; tenantId: string; clientId: string; clientSecret: string }
  | { mode: 'client-certificate'; tenantId: string; clientId: string; certificatePem: string };

export function createCredential(auth: GraphAuth): TokenCredential {
  switch (auth.mode) {
    case 'managed-identity':
      return auth.clientId ? new ManagedIdentityCredential({ clientId: auth.clientId }) : new ManagedIdentityCredential();
    case 'client-secret':
      return new ClientSecretCredential(auth.tenantId, auth.clientId, auth.clientSecret);
    case 'client-certificate':
      return new ClientCertificateCredential(auth.tenantId, auth.clientId, { certificate: auth.certificatePem });
  }
}
