import { AppError } from '../errors/app-error.js';
import type { GraphClient } from '../graph/client.js';
import { domainsRequest } from './requests.js';

/**
 * The tenant's verified domains, to refuse a new user whose UPN domain Graph would reject anyway
 * (https://learn.microsoft.com/graph/api/user-post-users: the UPN's domain must be a verified domain) with a message that lists the domains that would work.
 */
export interface VerifiedDomain {
  id: string;
  isDefault: boolean;
  isInitial: boolean;
}

const STEP = 'check_domain';

export async function listVerifiedDomains(graph: GraphClient): Promise<VerifiedDomain[]> {
  const page = await graph.get<{ value?: Array<Record<string, unknown>> }>(
    domainsRequest('domains', ['id', 'isVerified', 'isDefault', 'isInitial']).url,
    { step: STEP },
  );
  return (page.value ?? [])
    .filter((d) => d.isVerified === true)
    .map((d) => ({ id: String(d.id), isDefault: d.isDefault === true, isInitial: d.isInitial === true }));
}

/** Returns the verified domain the UPN uses, or throws validation_failed listing the verified ones. */
export async function assertDomainVerified(graph: GraphClient, upn: string): Promise<VerifiedDomain> {
  const at = upn.lastIndexOf('@');
  const domain = at >= 0 ? upn.slice(at + 1).trim().toLowerCase() : '';
  const domains = await listVerifiedDomains(graph);
  const hit = domains.find((d) => d.id.toLowerCase() === domain);
  if (hit) return hit;
  throw new AppError({
    code: 'validation_failed',
    message: domain ? `"${domain}" is not a verified domain of this tenant.` : `"${upn}" has no domain part.`,
    status: 400,
    fix: `Use one of the verified domains: ${domains.map((d) => d.id).join(', ') || '(none found)'}.`,
    step: STEP,
    details: { verifiedDomains: domains.map((d) => d.id) },
  });
}
