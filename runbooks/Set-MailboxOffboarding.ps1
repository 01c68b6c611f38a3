<#
.SYNOPSIS
    Offboarding mailbox settings: hide from the global address list and forward mail.
    HideFromAddressList $false and an empty ForwardTo leave those settings unchanged.

.NOTES
    Module   : ExchangeOnlineManagement 3.5.1 (pinned; Automation module from
               https://www.powershellgallery.com/packages/ExchangeOnlineManagement/3.5.1)
    Runtime  : PowerShell 7.2 runbook in Azure Automation
    Identity : Automation managed identity with Exchange.ManageAsApp + Exchange Administrator.
    Output   : progress lines, then as the LAST line RESULT: {"outcome":...,"action":"mailbox_offboarding",...}
    Model    : local/standins/automation/runbooks/set-mailbox-offboarding.ts
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][ValidateNotNullOrEmpty()][string] $UserPrincipalName,
    [Parameter(Mandatory = $false)][bool] $HideFromAddressList = $true,
    [Parameter(Mandatory = $false)][string] $ForwardTo = '',
    [Parameter(Mandatory = $false)][bool] $DeliverToMailboxAndForward = $false,
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
    $mailbox = Get-Mailbox -Identity $UserPrincipalName
    $mbx = [string] $mailbox.PrimarySmtpAddress
    $changes = @{}
    $changed = [System.Collections.Generic.List[string]]::new()

    if ($HideFromAddressList -and -not $mailbox.HiddenFromAddressListsEnabled) {
        $changes.HiddenFromAddressListsEnabled = $true
        $changed.Add('hidden_from_address_lists')
    }

    $forward = $ForwardTo.Trim()
    if ($forward) {
        # An internal recipient is forwarded to by its primary address; anything else must be an SMTP address.
        $internal = Get-Recipient -Identity $forward -ErrorAction SilentlyContinue
        $target = if ($internal) { [string] $internal.PrimarySmtpAddress } else { $forward }
        if ($target -eq $mbx) { throw "Cannot forward $mbx to itself." }
        $current = if ($mailbox.ForwardingSmtpAddress) { ([string] $mailbox.ForwardingSmtpAddress) -replace '^smtp:', '' } else { '' }
        if ($current -ne $target) {
            $changes.ForwardingSmtpAddress = $target
            $changed.Add('forwarding')
        }
        if ([bool] $mailbox.DeliverToMailboxAndForward -ne $DeliverToMailboxAndForward) {
            $changes.DeliverToMailboxAndForward = $DeliverToMailboxAndForward
            $changed.Add('deliver_to_mailbox_and_forward')
        }
    }

    if ($changed.Count -gt 0) {
        Set-Mailbox -Identity $mbx @changes -Confirm:$false
    }
    $now = Get-Mailbox -Identity $mbx
    $details = [ordered]@{
        mailbox                       = $mbx
        hiddenFromAddressListsEnabled = [bool] $now.HiddenFromAddressListsEnabled
        forwardingSmtpAddress         = if ($now.ForwardingSmtpAddress) { ([string] $now.ForwardingSmtpAddress) -replace '^smtp:', '' } else { $null }
        deliverToMailboxAndForward    = [bool] $now.DeliverToMailboxAndForward
        changed                       = @($changed)
    }
    if ($changed.Count -gt 0) {
        $message = "Updated ${mbx}: $($changed -join ', ')."
        Write-Output $message
        Write-Result 'applied' 'mailbox_offboarding' $message $details
    } else {
        $message = "$mbx already has the requested offboarding settings."
        Write-Output $message
        Write-Result 'already_satisfied' 'mailbox_offboarding' $message $details
    }
}
finally {
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue
}
