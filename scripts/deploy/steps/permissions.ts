import { DeployProblem, AzCommandError } from '../errors.js';
import { grantsForMode, identityName, loadManifest, MANIFEST_PATH, type PermissionGrant } from '../manifest.js';
import { need, type DeployContext, type Step } from '../context.js';

const GRAPH = 'https://graph.microsoft.com/v1.0';
/** A managed identity created minutes ago may not have replicated to Graph yet; the assignment then names it missing. */
const REPLICATION_RETRY = { attempts: 7, delayMs: 20_000 };

interface ServicePrincipal {
  id: string;
  appRoles?: Array<{ id: string; value?: string }>;
}

/** The principal id (object id of the service principal) of each identity in customer mode, from the Bicep outputs. */
function principalIds(ctx: DeployContext): Record<string, string> {
  const o = need(ctx, 'outputs');
  return { logicApp: o.logicAppPrincipalId, helpers: o.helpersPrincipalId, automation: o.automationPrincipalId };
}

/** Follows @odata.nextLink so an identity with many assignments is read completely. */
async function listAll(ctx: DeployContext, firstUrl: string): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  let next: string | undefined = firstUrl;
  while (next) {
    const page = (await ctx.run.check(['rest', '--method', 'get', '--url', next], { plan: { value: [] } })) as {
      value?: Array<Record<string, unknown>>;
      '@odata.nextLink'?: string;
    };
    items.push(...(page.value ?? []));
    next = page['@odata.nextLink'];
  }
  return items;
}

async function post(ctx: DeployContext, url: string, body: Record<string, string>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await ctx.run.apply(['rest', '--method', 'post', '--url', url, '--headers', 'Content-Type=application/json', '--body', JSON.stringify(body)]);
      return;
    } catch (error) {
      const replicating = error instanceof AzCommandError && /does not exist or one of its queried reference-property objects are not present/.test(error.stderr);
      if (!replicating || attempt >= REPLICATION_RETRY.attempts) throw error;
      ctx.io.out(`    the new identity is not visible in Entra ID yet; trying again in ${REPLICATION_RETRY.delayMs / 1000} s`);
      await ctx.sleep(REPLICATION_RETRY.delayMs);
    }
  }
}

/**
 * Grants every app role and directory role infra/permissions.json lists for the customer-mode identities, skipping
 * those already assigned. App roles: POST /servicePrincipals/{id}/appRoleAssignments
 * (https://learn.microsoft.com/graph/api/serviceprincipal-post-approleassignments); directory roles:
 * POST /roleManagement/directory/roleAssignments with directoryScopeId "/"
 * (https://learn.microsoft.com/graph/api/rbacapplication-post-roleassignments). Needs a Global Administrator or
 * Privileged Role Administrator signed in. Delegated grants cannot be scripted: they become the manual step.
 */
export const permissionsStep: Step = {
  id: 'permissions',
  title: `Microsoft Graph and Exchange permissions (${MANIFEST_PATH})`,
  modes: ['customer'],
  async run(ctx) {
    const manifest = await loadManifest(ctx.root);
    const grants = grantsForMode(manifest, 'customer');
    const principals = principalIds(ctx);
    const resourceSps = new Map<string, ServicePrincipal>();
    const appRoleAssignments = new Map<string, Array<Record<string, unknown>>>();
    const roleAssignments = new Map<string, Array<Record<string, unknown>>>();
    const granted: string[] = [];
    let kept = 0;

    const label = (g: PermissionGrant): string => `${identityName(manifest, g.identity)}: ${g.value}`;

    for (const grant of grants) {
      if (grant.kind === 'delegated') continue;
      const principalId = principals[grant.identity];
      if (!principalId) {
        throw new DeployProblem(`${MANIFEST_PATH} grants ${grant.value} to '${grant.identity}', which this deployment does not create.`, `Fix ${MANIFEST_PATH}`);
      }
      if (grant.kind === 'appRole') {
        const appId = grant.resourceAppId as string;
        let sp = resourceSps.get(appId);
        if (!sp) {
          const found = (await ctx.run.check(['ad', 'sp', 'list', '--filter', `appId eq '${appId}'`], {
            plan: [{ id: `<${grant.resource ?? appId} servicePrincipalId>`, appRoles: [{ id: grant.id, value: grant.value }] }],
          })) as ServicePrincipal[];
          sp = found[0];
          if (!sp) {
            throw new DeployProblem(
              `This tenant has no service principal for ${grant.resource ?? appId} (${appId}), needed for ${grant.value}.`,
              grant.resource?.includes('Exchange') ? 'The tenant needs Exchange Online (a Microsoft 365 licence with Exchange): add it.' : 'Check the tenant.',
            );
          }
          resourceSps.set(appId, sp);
        }
        const role = sp.appRoles?.find((r) => r.id === grant.id);
        if (!ctx.run.planning && (!role || (role.value !== undefined && role.value !== grant.value))) {
          throw new DeployProblem(
            `${MANIFEST_PATH}: ${grant.value} (${grant.id}) is not an application permission of ${grant.resource ?? appId} in this tenant.`,
            `Correct the id in ${MANIFEST_PATH} (the resource's appRoles list the ids)`,
          );
        }
        let existing = appRoleAssignments.get(principalId);
        if (!existing) {
          existing = await listAll(ctx, `${GRAPH}/servicePrincipals/${principalId}/appRoleAssignments`);
          appRoleAssignments.set(principalId, existing);
        }
        if (existing.some((a) => a.appRoleId === grant.id && a.resourceId === sp.id)) {
          kept++;
          continue;
        }
        await post(ctx, `${GRAPH}/servicePrincipals/${principalId}/appRoleAssignments`, { principalId, resourceId: sp.id, appRoleId: grant.id });
        granted.push(label(grant));
      } else {
        let existing = roleAssignments.get(principalId);
        if (!existing) {
          existing = await listAll(ctx, `${GRAPH}/roleManagement/directory/roleAssignments?$filter=principalId%20eq%20'${principalId}'`);
          roleAssignments.set(principalId, existing);
        }
        if (existing.some((a) => a.roleDefinitionId === grant.id && (a.directoryScopeId ?? '/') === '/')) {
          kept++;
          continue;
        }
        await post(ctx, `${GRAPH}/roleManagement/directory/roleAssignments`, {
          '@odata.type': '#microsoft.graph.unifiedRoleAssignment',
          principalId,
          roleDefinitionId: grant.id,
          directoryScopeId: '/',
        });
        granted.push(label(grant));
      }
    }
    if (granted.length === 0) return { status: 'unchanged', summary: `all ${kept} grants already in place` };
    return { status: 'changed', summary: `granted ${granted.length} (${granted.join('; ')}), ${kept} already in place` };
  },
};
