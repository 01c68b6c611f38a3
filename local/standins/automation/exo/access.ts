import { verifyLocalToken, verifyStandInToken, type LocalTokenClaims } from '../../identity/token.js';
import { roleNameByTemplateId } from '../../graph/tenant/role-catalog.js';
import { ExchangeCmdletError } from '../exchange-errors.js';
import type { HostedOrganization, HostedOrganizations } from './organizations.js';

/**
 * Who may use Exchange Online app-only, as EXO decides it when a runbook connects
 * (https://learn.microsoft.com/powershell/exchange/app-only-auth-powershell-v2):
 * 1. the access token for the Office 365 Exchange Online resource carries the application permission
 *    Exchange.ManageAsApp (Step 2 of that page); and
 * 2. the identity holds one of the Microsoft Entra roles EXO supports for app-only access (Step 5).
 * Both the /connect endpoint (PowerShell engine) and the TypeScript runbook models go through
 * `authorizeExchange`, so the two engines refuse the same way.
 */

/** Audiences of an Exchange Online token (resource https://outlook.office365.com/). */
export const EXCHANGE_AUDIENCES = ['https://outlook.office365.com', 'https://outlook.office.com'] as const;
export const MANAGE_AS_APP = 'Exchange.ManageAsApp';

/** Microsoft Entra roles Exchange Online accepts for app-only connections (Learn, Step 5 table). */
export const APP_ONLY_ROLES: readonly string[] = [
  'Compliance Administrator',
  'Exchange Administrator',
  'Exchange Recipient Administrator',
  'Global Administrator',
  'Global Reader',
  'Helpdesk Administrator',
  'Security Administrator',
  'Security Reader',
];

/**
 * Of those, the roles whose Exchange permissions include the recipient changes the runbooks make
 * (Set-Mailbox, *-MailboxPermission, *-DistributionGroupMember ...). The others connect but, as in EXO
 * where the module only exposes the cmdlets a role allows, a write cmdlet is "not recognized".
 */
export const RECIPIENT_WRITE_ROLES: readonly string[] = ['Exchange Administrator', 'Exchange Recipient Administrator', 'Global Administrator'];

/** Microsoft Entra role display names per principal (object id), e.g. the Automation account's identity. */
export type ExchangeRoleHolders = Readonly<Record<string, readonly string[]>>;

export interface ExchangeSession {
  principalId: string;
  appId: string;
  directoryRoles: readonly string[];
  /** False for read-only roles: write cmdlets are refused. */
  canWrite: boolean;
}

export type ExchangeAccess = { ok: true; session: ExchangeSession } | { ok: false; error: ExchangeCmdletError };

const norm = (s: string) => s.trim().toLowerCase();

/**
 * Without Exchange.ManageAsApp (or without a usable token) Connect-ExchangeOnline fails with "UnAuthorized".
 * Undocumented: observed as "[System.UnauthorizedAccessException] UnAuthorized" when the app lacks
 * Exchange.ManageAsApp (One Identity KB 4381137, support.oneidentity.com/identity-manager/kb/4381137).
 */
export function unauthorized(): ExchangeCmdletError {
  return new ExchangeCmdletError('UnAuthorized', 'System.UnauthorizedAccessException', { category: 'OperationStopped', errorId: 'UnAuthorized' });
}

/**
 * Without a supported Entra role. Undocumented: observed with module 3.x as this exact sentence,
 * "CategoryInfo : OperationStopped: (:) [], SystemException" and the sentence as FullyQualifiedErrorId
 * (MicrosoftDocs/office-docs-powershell#11332 with -ManagedIdentity, Microsoft365DSC/Microsoft365DSC#4530).
 */
export function roleNotSupported(appId: string): ExchangeCmdletError {
  const message =
    `The role assigned to application ${appId} isn't supported in this scenario. ` +
    'Please check online documentation for assigning correct Directory Roles to Azure AD Application for EXO App-Only Authentication.';
  return new ExchangeCmdletError(message, 'System.SystemException', { category: 'OperationStopped', errorId: message });
}

/** Checks the bearer token and the identity's roles; the refusal is the error Connect-ExchangeOnline raises. */
export function authorizeExchange(authorization: string | undefined, holders: ExchangeRoleHolders): ExchangeAccess {
  const check = verifyLocalToken(authorization, EXCHANGE_AUDIENCES);
  if (!check.ok) return { ok: false, error: unauthorized() };
  return authorizeClaims(check.claims, holders);
}

function authorizeClaims(claims: LocalTokenClaims, holders: ExchangeRoleHolders): ExchangeAccess {
  if (!(claims.roles ?? []).some((r) => norm(r) === norm(MANAGE_AS_APP))) return { ok: false, error: unauthorized() };
  const held = Object.entries(holders).find(([id]) => norm(id) === norm(claims.oid))?.[1] ?? [];
  const supported = held.filter((r) => APP_ONLY_ROLES.some((s) => norm(s) === norm(r)));
  if (supported.length === 0) return { ok: false, error: roleNotSupported(claims.appid) };
  const canWrite = supported.some((r) => RECIPIENT_WRITE_ROLES.some((w) => norm(w) === norm(r)));
  return { ok: true, session: { principalId: claims.oid, appId: claims.appid, directoryRoles: supported, canWrite } };
}

/**
 * Connect-ExchangeOnline -Organization must name this tenant. Undocumented how EXO words a foreign
 * organization for a managed identity; the stand-in's sentence starts with EXO's "UnAuthorized".
 */
export function checkOrganization(requested: string, organization: string): ExchangeCmdletError | undefined {
  if (norm(requested) === norm(organization)) return undefined;
  return new ExchangeCmdletError(
    `UnAuthorized: the managed identity has no access to organization '${requested}' (Connect-ExchangeOnline failed).`,
    'System.UnauthorizedAccessException',
    { category: 'OperationStopped', errorId: 'UnAuthorized' },
  );
}

/** A write cmdlet the session's role does not include: PowerShell's CommandNotFoundException. */
export function commandNotFound(cmdlet: string): ExchangeCmdletError {
  return new ExchangeCmdletError(
    `The term '${cmdlet}' is not recognized as a name of a cmdlet, function, script file, or executable program.\n` +
      'Check the spelling of the name, or if a path was included, verify that the path is correct and try again.',
    'System.Management.Automation.CommandNotFoundException',
    { category: 'ObjectNotFound', errorId: 'CommandNotFoundException' },
  );
}

/**
 * msp mode, Connect-ExchangeOnline -AccessToken <token> -Organization <org> and every cmdlet of that session: the
 * token (the multi-tenant app's app-only token, from the customer tenant's token endpoint) must be valid for Exchange
 * Online, and its tenant (`tid`) must host `requested`: Exchange Online serves a token only in the organization of
 * the tenant that issued it. The app's permissions come from the token: `roles` must hold Exchange.ManageAsApp and
 * `wids` (the directory roles assigned to the app's service principal in that tenant) a role Exchange accepts for
 * app-only access (https://learn.microsoft.com/powershell/exchange/app-only-auth-powershell-v2, Steps 2 and 5).
 * Reading the roles from `wids` is the stand-in's shortcut: Exchange looks the assignment up itself.
 */
export function authorizeTenantToken(
  authorization: string | undefined,
  organizations: HostedOrganizations,
  requested: string,
): { ok: true; session: ExchangeSession; hosted: HostedOrganization } | { ok: false; error: ExchangeCmdletError } {
  const check = verifyStandInToken(authorization, { audiences: EXCHANGE_AUDIENCES });
  if (!check.ok) return { ok: false, error: unauthorized() };
  const hosted = organizations.byTenant(check.claims.tid);
  // A token of a tenant without an Exchange organization here, or used with another tenant's -Organization.
  if (!hosted || norm(hosted.organization) !== norm(requested)) return { ok: false, error: foreignOrganization(requested) };
  const roleNames = (check.claims.wids ?? []).map((id) => roleNameByTemplateId(id)).filter((n): n is string => n !== undefined);
  const access = authorizeClaims(check.claims, { [check.claims.oid]: roleNames });
  return access.ok ? { ok: true, session: access.session, hosted } : access;
}

/**
 * An access token of tenant A with -Organization of tenant B. Undocumented wording: Exchange Online answers the
 * module's REST call with HTTP 401, which module 3.x reports as "UnAuthorized" (observed for tokens Exchange does not
 * accept, e.g. MicrosoftDocs/office-docs-powershell#10908); the sentence after it is the stand-in's.
 */
export function foreignOrganization(requested: string): ExchangeCmdletError {
  return new ExchangeCmdletError(
    `UnAuthorized: the access token was not issued by the tenant of organization '${requested}' (Connect-ExchangeOnline failed).`,
    'System.UnauthorizedAccessException',
    { category: 'OperationStopped', errorId: 'UnAuthorized' },
  );
}
