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

if (-not $Organization) { $Organization = Get-AutomationVariable -Name 'ExchangeOrganization' }
if ($Organization -notmatch '^[a-z0-9-]+\.onmicrosoft\.com$') {
    throw "Organization '$Organization' is not an initial <name>.onmicrosoft.com domain."
}

Import-Module ExchangeOnlineManagement -RequiredVersion 3.5.1
Connect-ExchangeOnline -ManagedIdentity -Organization $Organization -ShowBanner:$false
Write-Output "Connected to Exchange Online organization $Organization."

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
