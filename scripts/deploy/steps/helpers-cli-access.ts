import { randomUUID } from 'node:crypto';
import type { Step } from '../context.js';

/**
 * msp mode: `npm run customer:add` calls the helpers' `POST /api/msp/verify-tenant` with the technician's own token,
 * `az account get-access-token --resource api://<helpers app id>`. The Azure CLI is a public client: Entra issues it a
 * token for another app only when that app exposes a delegated permission (scope) and either the user consented or the
 * app lists the CLI under `preAuthorizedApplications`; otherwise the request fails with AADSTS65001 ("The user or
 * administrator has not consented to use the application"). This step exposes `user_impersonation` and pre-authorises
 * the Azure CLI for it, so onboarding works the first time without a consent prompt.
 * Sources: application resource `api` (apiApplication: oauth2PermissionScopes, preAuthorizedApplications),
 * https://learn.microsoft.com/graph/api/resources/apiapplication; the Azure CLI's well-known client id
 * 04b07795-8ddb-461a-bbee-02f9e1bf7b46 (https://learn.microsoft.com/troubleshoot/azure/entra/entra-id/governance/verify-first-party-apps-sign-in).
 * Only the technicians listed in the helpers' ONBOARDING_CALLER_OBJECT_IDS may then call verify-tenant
 * (lib/msp, docs/msp-mode.md); every other route still admits only the Logic App's identity.
 */
export const AZURE_CLI_APP_ID = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';
export const SCOPE_VALUE = 'user_impersonation';

interface PermissionScope {
  id: string;
  value: string;
  isEnabled?: boolean;
  [key: string]: unknown;
}
interface ApiApplication {
  oauth2PermissionScopes?: PermissionScope[];
  preAuthorizedApplications?: Array<{ appId: string; delegatedPermissionIds: string[] }>;
  [key: string]: unknown;
}
interface Application {
  id: string;
  appId: string;
  api?: ApiApplication;
}

export const helpersCliAccessStep: Step = {
  id: 'helpers-cli-access',
  title: "Let the technician's Azure CLI call the helpers' onboarding check (scope user_impersonation, CLI pre-authorised)",
  modes: ['msp'],
  async run(ctx) {
    const appId = ctx.state.helpersAppId ?? '<helpersAppId>';
    const app = (await ctx.run.check(['ad', 'app', 'show', '--id', appId], {
      plan: { id: '<helpersAppObjectId>', appId, api: {} },
    })) as Application;
    const url = `https://graph.microsoft.com/v1.0/applications/${app.id}`;
    const scopes = app.api?.oauth2PermissionScopes ?? [];
    let scope = scopes.find((s) => s.value === SCOPE_VALUE);
    let changed = false;
    if (!scope) {
      scope = {
        id: randomUUID(),
        value: SCOPE_VALUE,
        type: 'Admin',
        isEnabled: true,
        adminConsentDisplayName: 'Call the Thread intent runner helpers',
        adminConsentDescription: 'Lets a signed-in technician run the onboarding check of an msp-mode deployment.',
      };
      // The scope list replaces the app's scopes: keep any it already has. The scope must exist before a
      // pre-authorisation can name it, hence two PATCHes.
      await ctx.run.apply(['rest', '--method', 'PATCH', '--url', url, '--body', JSON.stringify({ api: { oauth2PermissionScopes: [...scopes, scope] } })]);
      changed = true;
    }
    const pre = app.api?.preAuthorizedApplications ?? [];
    const cli = pre.find((p) => p.appId === AZURE_CLI_APP_ID);
    if (!cli || !cli.delegatedPermissionIds.includes(scope.id)) {
      const others = pre.filter((p) => p.appId !== AZURE_CLI_APP_ID);
      const ids = [...new Set([...(cli?.delegatedPermissionIds ?? []), scope.id])];
      await ctx.run.apply(['rest', '--method', 'PATCH', '--url', url, '--body', JSON.stringify({ api: { preAuthorizedApplications: [...others, { appId: AZURE_CLI_APP_ID, delegatedPermissionIds: ids }] } })]);
      changed = true;
    }
    return { status: changed ? 'changed' : 'unchanged', summary: `scope ${SCOPE_VALUE}${changed ? ' exposed,' : ','} Azure CLI pre-authorised` };
  },
};
