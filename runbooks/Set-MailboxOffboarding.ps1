<#
.SYNOPSIS
    Offboarding mailbox settings: hide from the global address list, forward mail, turn on an automatic reply.
    HideFromAddressList $false, an empty ForwardTo and an empty AutoReplyMessage leave those settings unchanged.

.DESCRIPTION
    Forwarding to an address outside the organisation (its domain is not one of Get-AcceptedDomain's) is refused
    unless the Automation variable AllowExternalForwarding is "true": Microsoft 365's default outbound spam policy
    blocks automatic external forwarding, so the mail would never arrive
    (https://learn.microsoft.com/defender-office-365/outbound-spam-policies-external-email-forwarding).
    A refusal changes nothing about forwarding, the other steps still run, and details.refused[] says why.

.NOTES
    Module   : ExchangeOnlineManagement 3.5.1 (pinned; Automation module from
               https://www.powershellgallery.com/packages/ExchangeOnlineManagement/3.5.1)
    Runtime  : PowerShell 7.4, through an Azure Automation runtime environment (see runbooks/README.md)
    Identity : Automation managed identity with Exchange.ManageAsApp + an Exchange role (infra/permissions.json).
    Variables: ExchangeOrganization; AllowExternalForwarding ("true"/"false", false when missing).
    Connect  : DeploymentMode customer = that identity; msp = the customer tenant's app-only token for -Organization
               (runbooks/README.md, "Connecting to Exchange Online")
    Output   : progress lines, then as the LAST line RESULT: {"outcome":...,"action":"mailbox_offboarding",...}
    Model    : local/standins/automation/runbooks/set-mailbox-offboarding.ts
    Tests    : test/runbooks/Set-MailboxOffboarding.Tests.ps1 (npm run test:runbooks)
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][ValidateNotNullOrEmpty()][string] $UserPrincipalName,
    [Parameter(Mandatory = $false)][bool] $HideFromAddressList = $true,
    [Parameter(Mandatory = $false)][string] $ForwardTo = '',
    [Parameter(Mandatory = $false)][bool] $DeliverToMailboxAndForward = $false,
    [Parameter(Mandatory = $false)][string] $AutoReplyMessage = '',
    [Parameter(Mandatory = $false)][string] $Organization
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

function Write-Result([string] $Outcome, [string] $ResultAction, [string] $Message, [System.Collections.IDictionary] $Details) {
    $payload = [ordered]@{ outcome = $Outcome; action = $ResultAction; message = $Message; details = $Details }
    Write-Output ('RESULT: ' + ($payload | ConvertTo-Json -Compress -Depth 5))
}

# region Exchange connection (generated from runbooks/shared/ExchangeConnection.ps1: edit it there, then run node dist/scripts/runbooks/build-runbooks.js)
# The Exchange Online connection every runbook makes, and the failed RESULT line every runbook writes when it fails.
# This file is the one place to change them:
# scripts/runbooks/build-runbooks.ts (`npm run build`, then `node dist/scripts/runbooks/build-runbooks.js`) copies it into each runbooks/*.ps1 between the
# "region Exchange connection" markers, and test/runbooks/runbook-build.test.ts fails when a copy differs.
# Why a generated copy and not a module or a child runbook: runbooks/README.md, "Shared connection code".
#
# Mode (Automation variable DeploymentMode, 'customer' when absent):
#   customer  Connect-ExchangeOnline -ManagedIdentity -Organization <ExchangeOrganization variable or -Organization>:
#             the Automation account's own identity in its own tenant.
#   msp       one Automation account serves many customer tenants. -Organization (the customer's initial domain) is
#             required. A token of the MSP's user-assigned identity (variable MspIdentityClientId) for
#             api://AzureADTokenExchange is exchanged, as client_assertion of the multi-tenant app (variable
#             MspAppClientId), for an app-only Exchange Online token of the customer's tenant, and the runbook
#             connects with -AccessToken. No secret exists anywhere; the tokens are never written to any stream.
#   Sources: https://learn.microsoft.com/azure/automation/add-user-assigned-identity (token from IDENTITY_ENDPOINT)
#            https://learn.microsoft.com/entra/workload-id/workload-identity-federation-config-app-trust-managed-identity
#            https://learn.microsoft.com/powershell/module/exchangepowershell/connect-exchangeonline (-AccessToken, 3.1.0+)

# A failing runbook still ends Failed (Azure Automation's job status and Exception tab stay true), but first writes, as
# its last output line, RESULT: {"outcome":"failed","message":<the error's message>,"details":{"exchangeConnected":...}}.
# The workflows read a job's status with getJobStatus, which carries no exception text, and its output with
# getJobOutput (https://learn.microsoft.com/azure/logic-apps/connectors/built-in/reference/azureautomation), so this
# line is how the reason reaches the technician's answer (lib/inline/runbook-job.ts). exchangeConnected is false when
# the runbook failed before Connect-ExchangeOnline succeeded: then nothing can have changed in Exchange Online.
# A trap applies to the whole script it is written in (https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_trap),
# so it also catches what fails inside the runbook's try/finally (after the finally has disconnected) and inside
# Connect-CustomerExchange; `break` then rethrows the same error. Parameter binding errors happen before any line of
# the script runs, so those jobs fail without a RESULT line. Messages here never hold a token: the connection code
# below only ever puts Entra ID's error description, never the assertion or a token, into what it throws.
$script:ExchangeConnected = $false
trap {
    # Exchange Online PowerShell 3.x prefixes server errors with "Ex<hex>|<exception type>|" (undocumented: observed
    # in microsoft/Microsoft365DSC issue 4401 as "Ex6F9304|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|The operation ...").
    $failure = [ordered]@{
        outcome = 'failed'
        message = ([string] $_.Exception.Message) -replace '^Ex[0-9A-Fa-f]+\|[^|]*\|', ''
        details = [ordered]@{ exchangeConnected = [bool] $script:ExchangeConnected }
    }
    Write-Output ('RESULT: ' + ($failure | ConvertTo-Json -Compress -Depth 5))
    break
}

function Get-RunbookSetting([string] $Name, [string] $Default) {
    # A missing Automation variable (or an empty one) means the default.
    try { $value = Get-AutomationVariable -Name $Name } catch { return $Default }
    if ($null -eq $value -or [string] $value -eq '') { return $Default }
    [string] $value
}

function Get-CustomerExchangeToken([string] $Organization) {
    $identityClientId = Get-RunbookSetting 'MspIdentityClientId' ''
    $appClientId = Get-RunbookSetting 'MspAppClientId' ''
    if (-not $identityClientId -or -not $appClientId) {
        throw 'msp mode needs the Automation variables MspIdentityClientId and MspAppClientId (the deployment creates them); nothing was changed in Exchange Online.'
    }
    # Azure's sign-in endpoint; AZURE_AUTHORITY_HOST only exists where something sets it (the local stand-in).
    $authority = if ($env:AZURE_AUTHORITY_HOST) { $env:AZURE_AUTHORITY_HOST.TrimEnd('/') } else { 'https://login.microsoftonline.com' }

    # 1) The user-assigned identity's token for the federated credential's audience, from the Automation sandbox.
    $identityUri = $env:IDENTITY_ENDPOINT + '?resource=' + [uri]::EscapeDataString('api://AzureADTokenExchange') + '&client_id=' + [uri]::EscapeDataString($identityClientId)
    try {
        $assertion = (Invoke-RestMethod -Method Get -Uri $identityUri -Headers @{ 'X-IDENTITY-HEADER' = $env:IDENTITY_HEADER; 'Metadata' = 'True' }).access_token
    } catch {
        throw "Could not get a token of the MSP's managed identity ($identityClientId) from the Automation account: $($_.Exception.Message) Check that the identity is attached to the Automation account; nothing was changed in Exchange Online."
    }

    # 2) Exchanged in the customer's tenant for an app-only Exchange Online token of the multi-tenant app.
    $body = @{
        client_id             = $appClientId
        scope                 = 'https://outlook.office365.com/.default'
        grant_type            = 'client_credentials'
        client_assertion_type = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
        client_assertion      = $assertion
    }
    try {
        $answer = Invoke-RestMethod -Method Post -Uri "$authority/$Organization/oauth2/v2.0/token" -Body $body -ContentType 'application/x-www-form-urlencoded'
    } catch {
        # Entra's answer names the cause (AADSTS code); it never contains the assertion.
        $reason = $_.Exception.Message
        if ($_.ErrorDetails -and $_.ErrorDetails.Message) {
            try { $reason = ($_.ErrorDetails.Message | ConvertFrom-Json).error_description -split "`r?`n" | Select-Object -First 1 } catch { $reason = $_.ErrorDetails.Message }
        }
        throw "The customer's tenant $Organization did not issue an Exchange Online token to the app $appClientId`: $reason Check that the customer's Global Administrator granted admin consent (npm run customer:add verifies it); nothing was changed in Exchange Online."
    }
    $answer.access_token
}

function Connect-CustomerExchange([string] $Organization) {
    $mode = (Get-RunbookSetting 'DeploymentMode' 'customer').ToLowerInvariant()
    if ($mode -notin 'customer', 'msp') { throw "Automation variable DeploymentMode is '$mode'; it must be customer or msp." }
    if (-not $Organization) {
        if ($mode -eq 'msp') {
            throw "-Organization is required in msp mode: the customer's initial <name>.onmicrosoft.com domain (the workflow passes it for each job); nothing was changed in Exchange Online."
        }
        $Organization = Get-AutomationVariable -Name 'ExchangeOrganization'
    }
    # The tenant's initial domain, never '<tenant GUID>.onmicrosoft.com'.
    if ($Organization -notmatch '^[a-z0-9-]+\.onmicrosoft\.com$') {
        throw "Organization '$Organization' is not an initial <name>.onmicrosoft.com domain."
    }

    Import-Module ExchangeOnlineManagement -RequiredVersion 3.5.1
    if ($mode -eq 'msp') {
        Connect-ExchangeOnline -AccessToken (Get-CustomerExchangeToken $Organization) -Organization $Organization -ShowBanner:$false
    } else {
        Connect-ExchangeOnline -ManagedIdentity -Organization $Organization -ShowBanner:$false
    }
    $script:ExchangeConnected = $true
    Write-Output "Connected to Exchange Online organization $Organization."
}
# endregion Exchange connection

Connect-CustomerExchange $Organization

# Automatic forwarding to outside the organisation only works where the outbound spam policy allows it.
function Test-ExternalForwardingAllowed {
    try { $value = Get-AutomationVariable -Name 'AllowExternalForwarding' } catch { return $false }
    return ([string] $value).Trim() -eq 'true'
}

# Internal as Exchange decides it: the address's domain is an accepted domain of the organisation
# (https://learn.microsoft.com/exchange/mail-flow-best-practices/manage-accepted-domains/manage-accepted-domains).
function Test-AcceptedDomain([string] $Address) {
    $domain = ($Address -split '@')[-1]
    foreach ($accepted in @(Get-AcceptedDomain)) {
        $name = [string] $accepted.DomainName
        if ($domain -eq $name) { return $true }
        if ($accepted.PSObject.Properties['MatchSubDomains'] -and $accepted.MatchSubDomains -and $domain.EndsWith(".$name", [System.StringComparison]::OrdinalIgnoreCase)) { return $true }
    }
    return $false
}

# Exchange stores a plain-text reply as HTML (<html><body>text</body></html>, per Set-MailboxAutoReplyConfiguration
# -InternalMessage), so replies are compared by their visible text (a <head>/<style> block is not text).
function ConvertTo-ReplyText([string] $Message) {
    $text = [regex]::Replace([string] $Message, '<(head|style|script)\b[^>]*>[\s\S]*?</\1\s*>', ' ', 'IgnoreCase')
    $text = [regex]::Replace($text, '<br\s*/?>|</p>', ' ', 'IgnoreCase')
    $text = [regex]::Replace($text, '<[^>]+>', '')
    $text = [System.Net.WebUtility]::HtmlDecode($text)
    return ([regex]::Replace($text, '\s+', ' ')).Trim()
}

try {
    $mailbox = Get-Mailbox -Identity $UserPrincipalName
    $mbx = [string] $mailbox.PrimarySmtpAddress
    $changes = @{}
    $changed = [System.Collections.Generic.List[string]]::new()
    $refused = [System.Collections.Generic.List[object]]::new()

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
        if ($target -notmatch '^[^@\s]+@[^@\s]+\.[^@\s]+$') {
            throw "ForwardTo '$forward' is neither a recipient of this organisation nor an email address."
        }
        if (-not (Test-AcceptedDomain $target) -and -not (Test-ExternalForwardingAllowed)) {
            $reason = "Forwarding to $target was not set up: $(($target -split '@')[-1]) is outside the organisation, and " +
                "Microsoft 365's outbound spam policy blocks automatic forwarding to external addresses by default, so the mail " +
                "would never arrive. To allow it, permit automatic forwarding in the outbound spam policy and set the Automation " +
                "variable AllowExternalForwarding to true, or forward to an internal mailbox."
            $refused.Add([ordered]@{ step = 'forwarding'; reason = $reason })
        } else {
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
    }

    if ($changes.Count -gt 0) {
        Set-Mailbox -Identity $mbx @changes -Confirm:$false
    }

    $autoReplyState = $null
    $reply = $AutoReplyMessage.Trim()
    if ($reply) {
        $replies = Get-MailboxAutoReplyConfiguration -Identity $mbx
        $wanted = ConvertTo-ReplyText $reply
        $same = [string] $replies.AutoReplyState -eq 'Enabled' -and [string] $replies.ExternalAudience -eq 'All' -and
            (ConvertTo-ReplyText $replies.InternalMessage) -ceq $wanted -and (ConvertTo-ReplyText $replies.ExternalMessage) -ceq $wanted
        if (-not $same) {
            Set-MailboxAutoReplyConfiguration -Identity $mbx -AutoReplyState Enabled -InternalMessage $reply -ExternalMessage $reply -ExternalAudience All -Confirm:$false
            $changed.Add('auto_reply')
            $replies = Get-MailboxAutoReplyConfiguration -Identity $mbx
        }
        $autoReplyState = [string] $replies.AutoReplyState
    }

    $now = Get-Mailbox -Identity $mbx
    $details = [ordered]@{
        mailbox                       = $mbx
        hiddenFromAddressListsEnabled = [bool] $now.HiddenFromAddressListsEnabled
        forwardingSmtpAddress         = if ($now.ForwardingSmtpAddress) { ([string] $now.ForwardingSmtpAddress) -replace '^smtp:', '' } else { $null }
        deliverToMailboxAndForward    = [bool] $now.DeliverToMailboxAndForward
        changed                       = @($changed)
        autoReplyState                = $autoReplyState
        refused                       = @($refused)
    }
    $refusals = @($refused | ForEach-Object { $_.reason }) -join ' '
    if ($changed.Count -gt 0) {
        $outcome = 'applied'
        $message = "Updated ${mbx}: $($changed -join ', ').$(if ($refusals) { " $refusals" })"
    } elseif ($refusals) {
        $outcome = 'already_satisfied'
        $message = "Nothing was changed on $mbx. $refusals"
    } else {
        $outcome = 'already_satisfied'
        $message = "$mbx already has the requested offboarding settings."
    }
    Write-Output $message
    Write-Result $outcome 'mailbox_offboarding' $message $details
}
finally {
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue
}
