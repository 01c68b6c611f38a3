import { errors } from '../errors.js';
import { contextUrl, ok, type GraphCall, type GraphResult } from '../http-types.js';
import type { Route } from '../router.js';
import type { TenantFixture } from '../tenant/fixture-schema.js';

/** /domains and /organization: the verified-domain list UPN checks rely on. */

function domainView(d: TenantFixture['domains'][number]): Record<string, unknown> {
  return {
    authenticationType: d.authenticationType,
    availabilityStatus: null,
    id: d.id,
    isAdminManaged: true,
    isDefault: d.isDefault,
    isInitial: d.isInitial,
    isRoot: true,
    isVerified: d.isVerified,
    supportedServices: d.supportedServices.length > 0 ? d.supportedServices : d.isVerified ? ['Email', 'OfficeCommunicationsOnline'] : [],
    passwordValidityPeriodInDays: 2147483647,
    passwordNotificationWindowInDays: 14,
    state: null,
  };
}

function listDomains(call: GraphCall): GraphResult {
  return ok({ '@odata.context': contextUrl(call.version, 'domains'), value: call.state.domains.map(domainView) });
}

function getDomain(call: GraphCall, id: string): GraphResult {
  const d = call.state.domains.find((x) => x.id.toLowerCase() === id.toLowerCase());
  if (!d) throw errors.notFound(id);
  return ok({ '@odata.context': contextUrl(call.version, 'domains/$entity'), ...domainView(d) });
}

function organization(call: GraphCall): GraphResult {
  return ok({
    '@odata.context': contextUrl(call.version, 'organization'),
    value: [
      {
        id: call.state.tenantId,
        displayName: call.state.displayName,
        verifiedDomains: call.state.domains
          .filter((d) => d.isVerified)
          .map((d) => ({ capabilities: 'Email, OfficeCommunicationsOnline', isDefault: d.isDefault, isInitial: d.isInitial, name: d.id, type: d.authenticationType })),
      },
    ],
  });
}

export const domainRoutes: Route[] = [
  { method: 'GET', pattern: 'domains', handler: (c) => listDomains(c) },
  { method: 'GET', pattern: 'domains/{id}', handler: (c, p) => getDomain(c, p.id as string) },
  { method: 'GET', pattern: 'organization', handler: (c) => organization(c) },
];
