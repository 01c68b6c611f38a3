import { RunbookError, type AutomationVariableValue } from '../runbooks/runbook-types.js';
import { runbookSetting } from '../runbooks/connect-exchange.js';

/**
 * msp mode, TypeScript engine: Get-CustomerExchangeToken of runbooks/shared/ExchangeConnection.ps1, same requests and
 * same failure wording. 1) GET IDENTITY_ENDPOINT?resource=api://AzureADTokenExchange&client_id=<MspIdentityClientId>
 * with X-IDENTITY-HEADER (https://learn.microsoft.com/azure/automation/add-user-assigned-identity); 2) POST
 * <authority>/<organization>/oauth2/v2.0/token, client credentials with that token as client_assertion
 * (https://learn.microsoft.com/entra/workload-id/workload-identity-federation-config-app-trust-managed-identity).
 */

export interface SandboxEnvironment {
  IDENTITY_ENDPOINT?: string;
  IDENTITY_HEADER?: string;
  AZURE_AUTHORITY_HOST?: string;
}

/** PowerShell 7's HttpResponseException message, which the runbook quotes when there is no answer body. */
const httpFailure = (r: Response) => `Response status code does not indicate success: ${r.status} (${r.statusText}).`;

export async function customerExchangeToken(organization: string, variables: Readonly<Record<string, AutomationVariableValue>>, env: SandboxEnvironment): Promise<string> {
  const identityClientId = runbookSetting(variables, 'MspIdentityClientId', '');
  const appClientId = runbookSetting(variables, 'MspAppClientId', '');
  if (!identityClientId || !appClientId) {
    throw new RunbookError('msp mode needs the Automation variables MspIdentityClientId and MspAppClientId (the deployment creates them); nothing was changed in Exchange Online.');
  }
  const authority = env.AZURE_AUTHORITY_HOST ? env.AZURE_AUTHORITY_HOST.replace(/\/+$/, '') : 'https://login.microsoftonline.com';

  const identityUri = `${env.IDENTITY_ENDPOINT ?? ''}?resource=${encodeURIComponent('api://AzureADTokenExchange')}&client_id=${encodeURIComponent(identityClientId)}`;
  let assertion: string;
  try {
    const r = await fetch(identityUri, { headers: { 'X-IDENTITY-HEADER': env.IDENTITY_HEADER ?? '', Metadata: 'True' } });
    if (!r.ok) throw new Error(httpFailure(r));
    assertion = String(((await r.json()) as { access_token?: unknown }).access_token ?? '');
  } catch (err) {
    throw new RunbookError(
      `Could not get a token of the MSP's managed identity (${identityClientId}) from the Automation account: ${err instanceof Error ? err.message : String(err)} Check that the identity is attached to the Automation account; nothing was changed in Exchange Online.`,
    );
  }

  const body = new URLSearchParams({
    client_id: appClientId,
    scope: 'https://outlook.office365.com/.default',
    grant_type: 'client_credentials',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion,
  });
  const r = await fetch(`${authority}/${organization}/oauth2/v2.0/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  const text = await r.text();
  if (!r.ok) {
    let reason = text === '' ? httpFailure(r) : text;
    try {
      const parsed = JSON.parse(text) as { error_description?: unknown };
      reason = String(parsed.error_description ?? '').split(/\r?\n/)[0] ?? '';
    } catch {
      // Not JSON: the body as it came, as the runbook's fallback.
    }
    throw new RunbookError(
      `The customer's tenant ${organization} did not issue an Exchange Online token to the app ${appClientId}: ${reason} Check that the customer's Global Administrator granted admin consent (npm run customer:add verifies it); nothing was changed in Exchange Online.`,
    );
  }
  return String((JSON.parse(text) as { access_token?: unknown }).access_token ?? '');
}
