<#
.SYNOPSIS
    Adds a member to, or removes one from, a distribution list or mail-enabled security group.

.NOTES
    Module   : ExchangeOnlineManagement 3.5.1 (pinned; Automation module from
               https://www.powershellgallery.com/packages/ExchangeOnlineManagement/3.5.1)
    Runtime  : PowerShell 7.4, through an Azure Automation runtime environment (see runbooks/README.md)
    Identity : Automation managed identity with Exchange.ManageAsApp + an Exchange role (infra/permissions.json).
    Output   : progress lines, then as the LAST line RESULT: {"outcome":...,"action":"add_member"|"remove_member",...}
    Model    : local/standins/automation/runbooks/set-distribution-group-member.ts
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][ValidateNotNullOrEmpty()][string] $GroupIdentity,
    [Parameter(Mandatory = $true)][ValidateNotNullOrEmpty()][string] $MemberEmail,
    [Parameter(Mandatory = $true)][ValidateSet('Add', 'Remove')][string] $Action,
    [Parameter(Mandatory = $false)][string] $Organization
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

function Write-Result([string] $Outcome, [string] $ResultAction, [string] $Message, [System.Collections.IDictionary] $Details) {
    $payload = [ordered]@{ outcome = $Outcome; action = $ResultAction; message = $Message; details = $Details }
    Write-Output ('RESULT: ' + ($payload | ConvertTo-Json -Compress -Depth 5))
}

if (-not $Organization) { $Organization = Get-AutomationVariable -Name 'ExchangeOrganization' }
if ($Organization -notmatch '^[a-z0-9-]+\.onmicrosoft\.com$') {
    throw "Organization '$Organization' is not an initial <name>.onmicrosoft.com domain."
}

Import-Module ExchangeOnlineManagement -RequiredVersion 3.5.1
Connect-ExchangeOnline -ManagedIdentity -Organization $Organization -ShowBanner:$false
Write-Output "Connected to Exchange Online organization $Organization."

try {
    $group = Get-DistributionGroup -Identity $GroupIdentity
    $groupAddress = [string] $group.PrimarySmtpAddress
    $member = [string] (Get-Recipient -Identity $MemberEmail).PrimarySmtpAddress
    $add = $Action -eq 'Add'
    Write-Output "Group $groupAddress ($($group.RecipientTypeDetails)); member $member; $Action."

    # Check first so a repeat is reported as already satisfied instead of MemberAlreadyExistsException.
    $isMember = @(Get-DistributionGroupMember -Identity $groupAddress -ResultSize Unlimited |
            Where-Object { [string] $_.PrimarySmtpAddress -eq $member }).Count -gt 0
    $resultAction = if ($add) { 'add_member' } else { 'remove_member' }
    $details = [ordered]@{ group = $groupAddress; groupType = [string] $group.RecipientTypeDetails; member = $member }

    if ($isMember -eq $add) {
        $message = if ($add) { "$member is already a member of $groupAddress." } else { "$member is not a member of $groupAddress; nothing to remove." }
        Write-Output $message
        Write-Result 'already_satisfied' $resultAction $message $details
        return
    }

    # BypassSecurityGroupManagerCheck: the identity is not an owner of mail-enabled security groups.
    if ($add) {
        Add-DistributionGroupMember -Identity $groupAddress -Member $member -BypassSecurityGroupManagerCheck -Confirm:$false
        $message = "Added $member to $groupAddress."
    } else {
        Remove-DistributionGroupMember -Identity $groupAddress -Member $member -BypassSecurityGroupManagerCheck -Confirm:$false
        $message = "Removed $member from $groupAddress."
    }
    Write-Output $message
    Write-Result 'applied' $resultAction $message $details
}
finally {
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue
}
