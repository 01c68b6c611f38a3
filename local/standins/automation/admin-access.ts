import { isRecord } from './http-io.js';
import type { ExchangeAccessState } from './runbook-identity.js';

/**
 * POST /_admin/exchange/access: changes, at run time, the Exchange app roles in the Automation identity's token
 * and who holds which Microsoft Entra role, so a test can take a permission away from a running system;
 * POST /_admin/reset restores the start-up state.
 */

const stringList = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined);

/** Resets what POST /_admin/exchange/access changed, on POST /_admin/reset. */
const initialAccess = new WeakMap<ExchangeAccessState, string>();

export function changeAccess(access: ExchangeAccessState, body: unknown): string | undefined {
  if (!isRecord(body)) return 'The body must be an object: {exchangeAppRoles?, directoryRoles?, roleHolders?}.';
  const appRoles = body.exchangeAppRoles === undefined ? undefined : stringList(body.exchangeAppRoles);
  const directoryRoles = body.directoryRoles === undefined ? undefined : stringList(body.directoryRoles);
  if (body.exchangeAppRoles !== undefined && !appRoles) return 'exchangeAppRoles must be an array of strings.';
  if (body.directoryRoles !== undefined && !directoryRoles) return 'directoryRoles must be an array of strings.';
  let holders: Record<string, string[]> | undefined;
  if (body.roleHolders !== undefined) {
    if (!isRecord(body.roleHolders)) return 'roleHolders must be an object of principal ids to role names.';
    holders = {};
    for (const [id, roles] of Object.entries(body.roleHolders)) {
      const list = stringList(roles);
      if (!list) return `roleHolders.${id} must be an array of strings.`;
      holders[id] = list;
    }
  }
  if (!initialAccess.has(access)) initialAccess.set(access, JSON.stringify(access));
  if (appRoles) access.identity = { ...access.identity, exchangeAppRoles: appRoles };
  if (directoryRoles) {
    access.identity = { ...access.identity, directoryRoles };
    if (!access.explicitHolders) access.holders = { ...access.holders, [access.identity.principalId]: directoryRoles };
  }
  if (holders) {
    access.holders = holders;
    access.explicitHolders = true;
  }
  return undefined;
}

export function resetAccess(access: ExchangeAccessState): void {
  const saved = initialAccess.get(access);
  if (saved) Object.assign(access, JSON.parse(saved) as ExchangeAccessState);
}

