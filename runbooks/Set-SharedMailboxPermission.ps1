<#
.SYNOPSIS
    Grants or revokes one delegate permission (Full Access, Send As, Send on Behalf) on a shared mailbox.

.NOTES
    Module   : ExchangeOnlineManagement 3.5.1 (pinned; Automation module from
               https://www.powershellgallery.com/packages/ExchangeOnlineManagement/3.5.1)
    Runtime  : PowerShell 7.4, through an Azure Automation runtime environment (see runbooks/README.md)
    Identity : the Automation account's system-assigned managed identity, holding the Office 365 Exchange
               Online app role Exchange.ManageAsApp and an Exchange Entra role (infra/permissions.json).
    Output   : progress lines, then as the LAST line
               RESULT: {"outcome":"applied"|"already_satisfied","action":"...","message":"...","details":{...}}
               Failures throw, so the job ends Failed with the error as its exception.
    Model    : local/standins/automation/runbooks/set-shared-mailbox-permission.ts (keep both in step)
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][ValidateNotNullOrEmpty()][string] $SharedMailboxEmail,
    [Parameter(Mandatory = $true)][ValidateNotNullOrEmpty()][string] $UserEmail,
    [Parameter(Mandatory = $true)][ValidateSet('Full Access', 'Send As', 'Send on Behalf')][string] $PermissionType,
    [Parameter(Mandatory = $true)][ValidateSet('Grant', 'Revoke')][string] $Action,
    [Parameter(Mandatory = $false)][bool] $AutoMapping = $true,
    # Initial <name>.onmicrosoft.com domain; defaults to the ExchangeOrganization Automation variable.
    [Parameter(Mandatory = $false)][string] $Organization
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

function Write-Result([string] $Outcome, [string] $ResultAction, [string] $Message, [System.Collections.IDictionary] $Details) {
    $payload = [ordered]@{ outcome = $Outcome; action = $ResultAction; message = $Message; details = $Details }
    Write-Output ('RESULT: ' + ($payload | ConvertTo-Json -Compress -Depth 5))
}

# The tenant's initial domain, never '<tenant GUID>.onmicrosoft.com' (defect 36 of the reference system).
if (-not $Organization) { $Organization = Get-AutomationVariable -Name 'ExchangeOrganization' }
if ($Organization -notmatch '^[a-z0-9-]+\.onmicrosoft\.com$') {
    throw "Organization '$Organization' is not an initial <name>.onmicrosoft.com domain."
}

Import-Module ExchangeOnlineManagement -RequiredVersion 3.5.1
Connect-ExchangeOnline -ManagedIdentity -Organization $Organization -ShowBanner:$false
Write-Output "Connected to Exchange Online organization $Organization."

try {
    $mailbox = Get-Mailbox -Identity $SharedMailboxEmail
    if ($mailbox.RecipientTypeDetails -ne 'SharedMailbox') {
        throw "'$($mailbox.PrimarySmtpAddress)' is a $($mailbox.RecipientTypeDetails), not a shared mailbox; no permission was changed."
    }
    $mbx = [string] $mailbox.PrimarySmtpAddress
    # Resolve the trustee once and compare by primary SMTP address from here on.
    $user = [string] (Get-Recipient -Identity $UserEmail).PrimarySmtpAddress
    $grant = $Action -eq 'Grant'
    Write-Output "Mailbox $mbx ($($mailbox.RecipientTypeDetails)); user $user; $Action $PermissionType."

    switch ($PermissionType) {
        'Full Access' {
            $has = @(Get-MailboxPermission -Identity $mbx -User $user |
                    Where-Object { $_.AccessRights -contains 'FullAccess' -and -not $_.IsInherited -and -not $_.Deny }).Count -gt 0
            $slug = 'full_access'
        }
        'Send As' {
            $has = @(Get-RecipientPermission -Identity $mbx -Trustee $user -AccessRights SendAs).Count -gt 0
            $slug = 'send_as'
        }
        'Send on Behalf' {
            # GrantSendOnBehalfTo holds recipient identities, not addresses: resolve each one before comparing (defect 38).
            $delegates = @($mailbox.GrantSendOnBehalfTo | ForEach-Object { [string] (Get-Recipient -Identity $_).PrimarySmtpAddress })
            $has = $delegates -contains $user
            $slug = 'send_on_behalf'
        }
    }

    $resultAction = "$(if ($grant) { 'grant' } else { 'revoke' })_$slug"
    $details = [ordered]@{ mailbox = $mbx; user = $user; permissionType = $PermissionType }
    if ($PermissionType -eq 'Full Access' -and $grant) { $details.autoMapping = $AutoMapping }

    if ($grant -eq $has) {
        $message = if ($grant) { "$user already has $PermissionType on $mbx." } else { "$user does not have $PermissionType on $mbx; nothing to revoke." }
        Write-Output $message
        Write-Result 'already_satisfied' $resultAction $message $details
        return
    }

    switch ($PermissionType) {
        'Full Access' {
            if ($grant) {
                Add-MailboxPermission -Identity $mbx -User $user -AccessRights FullAccess -InheritanceType All -AutoMapping $AutoMapping -Confirm:$false | Out-Null
            } else {
                Remove-MailboxPermission -Identity $mbx -User $user -AccessRights FullAccess -InheritanceType All -Confirm:$false
            }
        }
        'Send As' {
            if ($grant) {
                Add-RecipientPermission -Identity $mbx -Trustee $user -AccessRights SendAs -Confirm:$false | Out-Null
            } else {
                Remove-RecipientPermission -Identity $mbx -Trustee $user -AccessRights SendAs -Confirm:$false
            }
        }
        'Send on Behalf' {
            # Add/Remove hashtables change one delegate and leave the others alone (defect 38).
            if ($grant) {
                Set-Mailbox -Identity $mbx -GrantSendOnBehalfTo @{ Add = $user } -Confirm:$false
            } else {
                Set-Mailbox -Identity $mbx -GrantSendOnBehalfTo @{ Remove = $user } -Confirm:$false
            }
        }
    }

    $message = if ($grant) { "Granted $PermissionType on $mbx to $user." } else { "Revoked $PermissionType on $mbx from $user." }
    Write-Output $message
    Write-Result 'applied' $resultAction $message $details
}
finally {
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue
}
