import { RunbookError, type AutomationVariableValue, type BoundParameters, type ParameterSpec, type RunbookContext } from './runbook-types.js';

/**
 * The start every runbook shares, as runbooks/shared/ExchangeConnection.ps1 does it (same order and wording):
 * the mode from the DeploymentMode Automation variable (customer when absent); the organization from -Organization,
 * else (customer mode only) the ExchangeOrganization variable, checked to be an initial <name>.onmicrosoft.com
 * domain (never '<tenant GUID>.onmicrosoft.com'); then Connect-ExchangeOnline, which refuses as Exchange Online does
 * (ctx.connect). In msp mode the runner has already exchanged the MSP identity's assertion for the customer tenant's
 * token (runners/customer-token.ts) and ctx.connect checks that token.
 */
export const ORGANIZATION_PARAMETER: ParameterSpec = { name: 'Organization', type: 'string', mandatory: false };
export const ORGANIZATION_VARIABLE = 'ExchangeOrganization';
export const MODE_VARIABLE = 'DeploymentMode';

export type DeploymentMode = 'customer' | 'msp';

type Variables = Readonly<Record<string, AutomationVariableValue>>;

function find(variables: Variables, name: string): AutomationVariableValue | undefined {
  const key = Object.keys(variables).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : variables[key];
}

/** Get-AutomationVariable -Name: the stub module's wording for a missing variable (pwsh-modules/Orchestrator.AssetManagement.Cmdlets). */
export function automationVariable(ctx: { variables: Variables }, name: string): string | boolean | number {
  const value = find(ctx.variables, name);
  if (value === undefined) throw new RunbookError(`Variable asset '${name}' was not found in the Automation account.`);
  return value;
}

/** Get-RunbookSetting of the shared connection code: a missing or empty variable is the default. */
export function runbookSetting(variables: Variables, name: string, fallback: string): string {
  const value = find(variables, name);
  return value === undefined || String(value) === '' ? fallback : String(value);
}

export function deploymentMode(variables: Variables): DeploymentMode {
  const mode = runbookSetting(variables, MODE_VARIABLE, 'customer').toLowerCase();
  if (mode !== 'customer' && mode !== 'msp') throw new RunbookError(`Automation variable DeploymentMode is '${mode}'; it must be customer or msp.`);
  return mode;
}

/** Which organization the runbook connects to, and how; throws what the runbook throws before connecting. */
export function exchangeTarget(params: BoundParameters, variables: Variables): { mode: DeploymentMode; organization: string } {
  const mode = deploymentMode(variables);
  let organization = typeof params.Organization === 'string' && params.Organization !== '' ? params.Organization : undefined;
  if (organization === undefined) {
    if (mode === 'msp') {
      throw new RunbookError(
        "-Organization is required in msp mode: the customer's initial <name>.onmicrosoft.com domain (the workflow passes it for each job); nothing was changed in Exchange Online.",
      );
    }
    organization = String(automationVariable({ variables }, ORGANIZATION_VARIABLE));
  }
  if (!/^[a-z0-9-]+\.onmicrosoft\.com$/i.test(organization)) {
    throw new RunbookError(`Organization '${organization}' is not an initial <name>.onmicrosoft.com domain.`);
  }
  return { mode, organization };
}

export function connectExchange(params: BoundParameters, ctx: RunbookContext): void {
  const { organization } = exchangeTarget(params, ctx.variables);
  ctx.connect(organization);
  ctx.output(`Connected to Exchange Online organization ${organization}.`);
}
