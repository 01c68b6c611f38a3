#!/usr/bin/env bash
# Grants the Microsoft Graph application permissions the two managed identities need.
# Bicep cannot grant Graph app roles, so run this once after `az deployment group create`
# as a Global Administrator or Privileged Role Administrator of the customer's tenant.
#
#   scripts/grant-graph-permissions.sh <logicAppPrincipalId> <helpersPrincipalId>
#
# Writes happen only in the Logic App (each write is a named workflow action); the helpers only read.
set -euo pipefail
logic_app="${1:?usage: $0 <logicAppPrincipalId> <helpersPrincipalId>}"
helpers="${2:?usage: $0 <logicAppPrincipalId> <helpersPrincipalId>}"

graph_sp=$(az ad sp show --id 00000003-0000-0000-c000-000000000000 --query id -o tsv)

grant() {
  local principal="$1" permission="$2" role
  role=$(az ad sp show --id 00000003-0000-0000-c000-000000000000 \
    --query "appRoles[?value=='${permission}'].id | [0]" -o tsv)
  if [ -z "$role" ]; then echo "Unknown Graph permission ${permission}" >&2; exit 1; fi
  if az rest --method GET --url "https://graph.microsoft.com/v1.0/servicePrincipals/${principal}/appRoleAssignments" \
      --query "value[?appRoleId=='${role}'] | length(@)" -o tsv | grep -q '^1$'; then
    echo "  ${permission}: already granted"
    return
  fi
  az rest --method POST --url "https://graph.microsoft.com/v1.0/servicePrincipals/${principal}/appRoleAssignments" \
    --body "{\"principalId\":\"${principal}\",\"resourceId\":\"${graph_sp}\",\"appRoleId\":\"${role}\"}" >/dev/null
  echo "  ${permission}: granted"
}

echo "Logic App (writes):"
for p in User.ReadWrite.All GroupMember.ReadWrite.All LicenseAssignment.ReadWrite.All \
         UserAuthenticationMethod.ReadWrite.All User-PasswordProfile.ReadWrite.All MailboxSettings.ReadWrite; do
  grant "$logic_app" "$p"
done

echo "Helpers (reads):"
for p in User.Read.All GroupMember.Read.All Group.Read.All Organization.Read.All Domain.Read.All \
         RoleManagement.Read.Directory UserAuthenticationMethod.Read.All; do
  grant "$helpers" "$p"
done

cat <<'NOTE'

Also assign directory roles (Entra admin center > Roles and administrators):
  - Logic App identity: "User Administrator" and "Privileged Authentication Administrator" are NOT needed;
    "Helpdesk Administrator" + "Authentication Administrator" cover password and MFA resets of non-admin users,
    which is what the workflows allow (privileged targets are refused before any write).
  - Automation account identity: "Exchange Administrator" and the Office 365 Exchange Online app role
    Exchange.ManageAsApp (see runbooks/README.md).
NOTE
