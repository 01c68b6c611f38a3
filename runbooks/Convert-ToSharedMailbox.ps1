<#
.SYNOPSIS
    Converts a user mailbox to a shared mailbox (offboarding: before licences are removed).

.NOTES
    Module   : ExchangeOnlineManagement 3.5.1 (pinned; Automation module from
               https://www.powershellgallery.com/packages/ExchangeOnlineManagement/3.5.1)
    Runtime  : PowerShell 7.4, through an Azure Automation runtime environment (see runbooks/README.md)
    Identity : Automation managed identity with Exchange.ManageAsApp + an Exchange role (infra/permissions.json).
    Output   : progress lines, then as the LAST line RESULT: {"outcome":...,"action":"convert_to_shared",...}
    Model    : local/standins/automation/runbooks/convert-to-shared-mailbox.ts
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][ValidateNotNullOrEmpty()][string] $UserPrincipalName,
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
    $previousType = [string] $mailbox.RecipientTypeDetails
    Write-Output "Mailbox $mbx is a $previousType."

    if ($previousType -eq 'SharedMailbox') {
        $message = "$mbx is already a shared mailbox."
        Write-Output $message
        Write-Result 'already_satisfied' 'convert_to_shared' $message ([ordered]@{ mailbox = $mbx; previousType = $previousType; recipientTypeDetails = $previousType })
        return
    }

    Set-Mailbox -Identity $mbx -Type Shared -Confirm:$false
    $after = [string] (Get-Mailbox -Identity $mbx).RecipientTypeDetails
    Write-Output "Verification: RecipientTypeDetails = $after"
    $message = "Converted $mbx to a shared mailbox."
    Write-Result 'applied' 'convert_to_shared' $message ([ordered]@{ mailbox = $mbx; previousType = $previousType; recipientTypeDetails = $after })
}
finally {
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue
}
