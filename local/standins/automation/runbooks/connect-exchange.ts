import { RunbookError, type BoundParameters, type ParameterSpec, type RunbookContext } from './runbook-types.js';

/**
 * Connect-ExchangeOnline -ManagedIdentity -Organization <initial domain>, as every runbook starts.
 * The organization comes from the Organization parameter or the ExchangeOrganization Automation
 * variable (defect 36 of the reference system built it from the tenant GUID); a wrong value fails the
 * connection as EXO does, so a misconfigured account shows up in tests rather than in production.
 */
export const ORGANIZATION_PARAMETER: ParameterSpec = { name: 'Organization', type: 'string', mandatory: false };
export const ORGANIZATION_VARIABLE = 'ExchangeOrganization';

export function connectExchange(params: BoundParameters, ctx: RunbookContext): void {
  const fromParam = typeof params.Organization === 'string' && params.Organization !== '' ? params.Organization : undefined;
  const organization = fromParam ?? ctx.variables[ORGANIZATION_VARIABLE];
  if (!organization) {
    throw new RunbookError(`No Exchange organization: pass -Organization or create the Automation variable '${ORGANIZATION_VARIABLE}'.`);
  }
  if (!/^[a-z0-9-]+\.onmicrosoft\.com$/i.test(organization)) {
    throw new RunbookError(`Organization '${organization}' is not an initial <name>.onmicrosoft.com domain.`);
  }
  if (organization.toLowerCase() !== ctx.exchange.organization.toLowerCase()) {
    throw new RunbookError(
      `UnAuthorized: the managed identity has no access to organization '${organization}' (Connect-ExchangeOnline failed).`,
    );
  }
  ctx.output(`Connected to Exchange Online organization ${ctx.exchange.organization}.`);
}
