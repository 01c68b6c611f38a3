/**
 * What the Automation account's managed identity needs to run the Exchange runbooks app-only
 * (https://learn.microsoft.com/powershell/exchange/app-only-auth-powershell-v2): the Office 365 Exchange
 * Online application permission and a supported Entra role. test/permissions/manifest.test.ts checks
 * these names against infra/permissions.json, so answers always name what the deployment grants.
 * Pure data (bundled into the workflows' inline code).
 */
export const EXCHANGE_APP_PERMISSION = 'Exchange.ManageAsApp';
export const EXCHANGE_DIRECTORY_ROLE = 'Exchange Recipient Administrator';

/** The fix for a runbook that could not connect to or act in Exchange Online for lack of a grant. */
export const EXCHANGE_GRANTS_FIX =
  `The Automation account's managed identity needs the ${EXCHANGE_APP_PERMISSION} application permission (Office 365 Exchange Online) and the ${EXCHANGE_DIRECTORY_ROLE} role in the customer tenant: re-run \`npm run deploy\` (it grants everything in infra/permissions.json), or grant both to that identity. Also check the ExchangeOnlineManagement module and the ExchangeOrganization variable (runbooks/README.md).`;
