import { RunbookError, type BoundParameters, type ParameterSpec, type RunbookContext } from './runbook-types.js';

/**
 * The start every runbook shares: the organization from -Organization or the ExchangeOrganization
 * Automation variable (defect 36 of the reference system built it from the tenant GUID), checked to be an
 * initial <name>.onmicrosoft.com domain, then Connect-ExchangeOnline -ManagedIdentity, which refuses as
 * Exchange Online does (ctx.connect). Same order and wording as the .ps1 files.
 */
export const ORGANIZATION_PARAMETER: ParameterSpec = { name: 'Organization', type: 'string', mandatory: false };
export const ORGANIZATION_VARIABLE = 'ExchangeOrganization';

/** Get-AutomationVariable -Name: the stub module's wording for a missing variable (pwsh-modules/Orchestrator.AssetManagement.Cmdlets). */
export function automationVariable(ctx: RunbookContext, name: string): string | boolean | number {
  const key = Object.keys(ctx.variables).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : ctx.variables[key];
  if (value === undefined) throw new RunbookError(`Variable asset '${name}' was not found in the Automation account.`);
  return value;
}

export function connectExchange(params: BoundParameters, ctx: RunbookContext): void {
  const fromParam = typeof params.Organization === 'string' && params.Organization !== '' ? params.Organization : undefined;
  const organization = fromParam ?? String(automationVariable(ctx, ORGANIZATION_VARIABLE));
  if (!/^[a-z0-9-]+\.onmicrosoft\.com$/i.test(organization)) {
    throw new RunbookError(`Organization '${organization}' is not an initial <name>.onmicrosoft.com domain.`);
  }
  ctx.connect(organization);
  ctx.output(`Connected to Exchange Online organization ${organization}.`);
}
