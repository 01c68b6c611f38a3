import { readFileSync } from 'node:fs';
import { mintLocalToken } from '../identity/token.js';
import { MANAGE_AS_APP, type ExchangeRoleHolders } from './exo/access.js';
import { PERMISSIONS_MANIFEST } from './repo-paths.js';

/**
 * The Automation account's system-assigned managed identity, as runbook jobs use it to reach Exchange
 * Online: its Exchange token's app roles (the Office 365 Exchange Online permissions granted to it) and
 * the Microsoft Entra roles it holds. By default both come from infra/permissions.json, the manifest the
 * deploy grants from (grants of identity "automation"); without the manifest, Exchange.ManageAsApp and
 * Exchange Administrator, as runbooks/*.ps1 document.
 */

export interface AutomationIdentity {
  principalId: string;
  appId: string;
  /** Application permissions in its Exchange Online token (the `roles` claim). */
  exchangeAppRoles: readonly string[];
  /** Microsoft Entra role display names it holds (used when no exchangeRoleHolders are given). */
  directoryRoles: readonly string[];
}

/** What the admin API may change at run time: who the Automation identity is and which roles it holds. */
export interface ExchangeAccessState {
  identity: AutomationIdentity;
  holders: ExchangeRoleHolders;
  /** Holders were given explicitly, so a change of the identity's directoryRoles does not replace them. */
  explicitHolders: boolean;
}

/** Fixed ids so logs and refusals name the same identity run after run. */
export const LOCAL_AUTOMATION_PRINCIPAL_ID = '3c9b2f6e-8d41-4a7e-b5c2-7e1f0a9d4b63';
export const LOCAL_AUTOMATION_APP_ID = '9e4d1a7c-2b6f-4c83-a0d5-5f8e3b2c1a94';
const EXCHANGE_ONLINE_APP_ID = '00000002-0000-0ff1-ce00-000000000000';

interface ManifestGrant {
  identity?: unknown;
  kind?: unknown;
  resourceAppId?: unknown;
  value?: unknown;
}

/** The automation identity's grants from the manifest, or undefined when there is no (readable) manifest. */
export function manifestAutomationGrants(path = PERMISSIONS_MANIFEST): { appRoles: string[]; directoryRoles: string[] } | undefined {
  let grants: ManifestGrant[];
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { grants?: unknown };
    if (!Array.isArray(parsed.grants)) return undefined;
    grants = parsed.grants as ManifestGrant[];
  } catch {
    return undefined;
  }
  const mine = grants.filter((g) => g.identity === 'automation' && typeof g.value === 'string');
  return {
    appRoles: mine.filter((g) => g.kind === 'appRole' && String(g.resourceAppId).toLowerCase() === EXCHANGE_ONLINE_APP_ID).map((g) => String(g.value)),
    directoryRoles: mine.filter((g) => g.kind === 'directoryRole').map((g) => String(g.value)),
  };
}

export function defaultAutomationIdentity(overrides: Partial<AutomationIdentity> = {}): AutomationIdentity {
  const manifest = manifestAutomationGrants();
  return {
    principalId: LOCAL_AUTOMATION_PRINCIPAL_ID,
    appId: LOCAL_AUTOMATION_APP_ID,
    exchangeAppRoles: manifest ? manifest.appRoles : [MANAGE_AS_APP],
    directoryRoles: manifest ? manifest.directoryRoles : ['Exchange Administrator'],
    ...overrides,
  };
}

/** Default role holders: just the Automation identity with its directory roles. */
export function defaultRoleHolders(identity: AutomationIdentity): ExchangeRoleHolders {
  return { [identity.principalId]: [...identity.directoryRoles] };
}

/** A token for https://outlook.office365.com/ as the identity endpoint gives the Automation sandbox. */
export function exchangeTokenFor(identity: AutomationIdentity, lifetimeSeconds = 3600): string {
  return mintLocalToken({ aud: 'https://outlook.office365.com/', oid: identity.principalId, appid: identity.appId, roles: [...identity.exchangeAppRoles] }, lifetimeSeconds);
}
