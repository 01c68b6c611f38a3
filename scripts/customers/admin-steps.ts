/**
 * What the customer's Global Administrator does, as text a technician can forward unchanged.
 * - Admin consent: https://login.microsoftonline.com/{tenant}/adminconsent?client_id={app id} grants every
 *   permission the app registration requests (its requiredResourceAccess)
 *   (https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent#construct-the-url-for-granting-tenant-wide-admin-consent).
 * - Directory roles are not part of consent; an admin assigns them to the app's service principal
 *   (https://learn.microsoft.com/graph/api/rbacapplication-post-roleassignments; Exchange Online app-only access
 *   needs Exchange.ManageAsApp plus an Entra role: https://learn.microsoft.com/powershell/exchange/app-only-auth-powershell-v2).
 */
export function adminConsentUrl(tenantId: string, appId: string): string {
  return `https://login.microsoftonline.com/${tenantId}/adminconsent?client_id=${appId}`;
}

export interface DirectoryRole {
  name: string;
  id: string;
}

export function roleAssignmentInstructions(tenantId: string, appId: string, appName: string, roles: readonly DirectoryRole[]): string[] {
  if (roles.length === 0) return [];
  const lines = [
    `The customer's Global Administrator or Privileged Role Administrator must assign ${roles.length === 1 ? 'this directory role' : 'these directory roles'} to the enterprise app "${appName}" (${appId}):`,
  ];
  for (const role of roles) lines.push(`  - ${role.name} (role id ${role.id})`);
  lines.push(
    '',
    '  In the portal: Microsoft Entra admin center (entra.microsoft.com) > Identity > Roles & admins > Roles & admins >',
    `  open the role > Add assignments > Select member(s) > search "${appName}" > Select > Next > Assign (Active, permanent).`,
    '',
    '  Or in PowerShell (Microsoft Graph PowerShell SDK):',
    `    Connect-MgGraph -TenantId ${tenantId} -Scopes RoleManagement.ReadWrite.Directory`,
    `    $sp = Get-MgServicePrincipal -Filter "appId eq '${appId}'"`,
  );
  for (const role of roles) {
    lines.push(`    New-MgRoleManagementDirectoryRoleAssignment -PrincipalId $sp.Id -RoleDefinitionId ${role.id} -DirectoryScopeId "/"   # ${role.name}`);
  }
  lines.push('', '  Or with the Azure CLI:', `    az login --tenant ${tenantId} --allow-no-subscriptions`, `    SP=$(az ad sp show --id ${appId} --query id -o tsv)`);
  for (const role of roles) {
    lines.push(
      `    az rest --method post --url https://graph.microsoft.com/v1.0/roleManagement/directory/roleAssignments --body "{\\"principalId\\":\\"$SP\\",\\"roleDefinitionId\\":\\"${role.id}\\",\\"directoryScopeId\\":\\"/\\"}"   # ${role.name}`,
    );
  }
  return lines;
}

export function removalInstructions(tenantId: string, appId: string, appName: string): string[] {
  return [
    `The customer's admin removes the app from their tenant (this revokes every permission and role it holds there):`,
    `  Portal: Microsoft Entra admin center > Identity > Applications > Enterprise applications > "${appName}" > Properties > Delete.`,
    `  PowerShell: Connect-MgGraph -TenantId ${tenantId} -Scopes Application.ReadWrite.All; Remove-MgServicePrincipal -ServicePrincipalId (Get-MgServicePrincipal -Filter "appId eq '${appId}'").Id`,
    `  Azure CLI: az login --tenant ${tenantId} --allow-no-subscriptions; az ad sp delete --id ${appId}`,
  ];
}
