import { AppError } from '../errors/app-error.js';
import { getAllPages, type GraphClient } from '../graph/index.js';
import { buildQuery, odataString } from '../graph/odata.js';
import { CustomerTokenError } from './customer-token-error.js';
import { GRAPH_SCOPE, type CustomerTokenSource } from './customer-token.js';

/**
 * What a customer's tenant has granted the MSP app, read inside that tenant with the app's own token: the answer
 * of POST /api/msp/verify-tenant, which `npm run customer:add` checks against infra/permissions.json
 * (contract: infra/README.md "Onboarding"; scripts/customers/verification.ts holds the same shape).
 *
 * - consented: the app has a service principal in the tenant. Without one Microsoft Entra refuses the token
 *   (AADSTS7000229 / AADSTS700016), which is read here as "not consented", not as a failure.
 * - grantedAppRoleIds: app role ids of the service principal's appRoleAssignments (application permissions), any
 *   resource (Microsoft Graph and Office 365 Exchange Online):
 *   https://learn.microsoft.com/graph/api/serviceprincipal-list-approleassignments
 * - assignedDirectoryRoleIds: roleDefinitionIds assigned to the service principal at the tenant scope "/":
 *   https://learn.microsoft.com/graph/api/rbacapplication-list-roleassignments
 * - initialDomain, verifiedDomains: the organization's verifiedDomains (isInitial marks the initial one):
 *   https://learn.microsoft.com/graph/api/organization-list
 * A service principal may read itself without any permission
 * (https://learn.microsoft.com/graph/api/serviceprincipal-get); the other reads need Directory.Read.All, which the
 * manifest grants.
 */
export interface TenantVerification {
  consented: boolean;
  grantedAppRoleIds: string[];
  assignedDirectoryRoleIds: string[];
  initialDomain: string;
  verifiedDomains: string[];
}

export interface VerifyTenantDependencies {
  tokens: CustomerTokenSource;
  graphFor: (tenantId: string) => Promise<GraphClient>;
  appClientId: string;
}

const NOT_CONSENTED: TenantVerification = { consented: false, grantedAppRoleIds: [], assignedDirectoryRoleIds: [], initialDomain: '', verifiedDomains: [] };

export async function verifyTenant(tenantId: string, deps: VerifyTenantDependencies): Promise<TenantVerification> {
  const step = 'verify_tenant';
  try {
    // The token first: Entra's answer says whether the app is installed in the tenant at all.
    await deps.tokens.getToken(tenantId, GRAPH_SCOPE);
  } catch (err) {
    if (err instanceof CustomerTokenError && err.reason === 'consent_missing') return { ...NOT_CONSENTED };
    throw err;
  }
  const graph = await deps.graphFor(tenantId);
  let sp: { id?: string };
  try {
    sp = await graph.get<{ id?: string }>(`/servicePrincipals(appId=${odataString(deps.appClientId)})${buildQuery({ $select: 'id,appId' })}`, { step });
  } catch (err) {
    // Consent just removed: the token may still be cached while the service principal is gone.
    if (err instanceof AppError && err.upstreamStatus === 404) return { ...NOT_CONSENTED };
    throw err;
  }
  if (!sp.id) return { ...NOT_CONSENTED };
  const spId = sp.id;
  const [assignments, roles, organizations] = await Promise.all([
    getAllPages<{ appRoleId?: string }>(graph, `/servicePrincipals/${encodeURIComponent(spId)}/appRoleAssignments${buildQuery({ $select: 'appRoleId,resourceId' })}`, { step }),
    getAllPages<{ roleDefinitionId?: string; directoryScopeId?: string }>(
      graph,
      `/roleManagement/directory/roleAssignments${buildQuery({ $filter: `principalId eq ${odataString(spId)}`, $select: 'roleDefinitionId,directoryScopeId' })}`,
      { step },
    ),
    getAllPages<{ verifiedDomains?: Array<{ name?: string; isInitial?: boolean }> }>(graph, `/organization${buildQuery({ $select: 'verifiedDomains' })}`, { step }),
  ]);
  const domains = organizations.items.flatMap((o) => o.verifiedDomains ?? []);
  const unique = (values: Array<string | undefined>) => [...new Set(values.filter((v): v is string => typeof v === 'string' && v !== ''))];
  return {
    consented: true,
    grantedAppRoleIds: unique(assignments.items.map((a) => a.appRoleId)),
    assignedDirectoryRoleIds: unique(roles.items.filter((r) => (r.directoryScopeId ?? '/') === '/').map((r) => r.roleDefinitionId)),
    initialDomain: domains.find((d) => d.isInitial)?.name ?? '',
    verifiedDomains: unique(domains.map((d) => d.name?.toLowerCase())),
  };
}
