# runbooks/Set-MailboxOffboarding.ps1 under real PowerShell with the stub ExchangeOnlineManagement module.
# Sources:
#   Set-Mailbox (HiddenFromAddressListsEnabled, ForwardingSmtpAddress, DeliverToMailboxAndForward):
#     https://learn.microsoft.com/powershell/module/exchangepowershell/set-mailbox
#   Automatic external forwarding is blocked by the default outbound spam policy:
#     https://learn.microsoft.com/defender-office-365/outbound-spam-policies-external-email-forwarding
#   External = not one of the organisation's accepted domains:
#     https://learn.microsoft.com/powershell/module/exchangepowershell/get-accepteddomain
#   Auto-reply: https://learn.microsoft.com/powershell/module/exchangepowershell/set-mailboxautoreplyconfiguration
#     ("HTML tags are automatically added to the text": I'm on vacation -> <html><body>I'm on vacation</body></html>)

BeforeAll {
    . (Join-Path $PSScriptRoot 'RunbookTestHelpers.ps1')
    $Runbook = 'Set-MailboxOffboarding'
    $Upn = 'alex@contoso.com'
    Mock-RunbookBasics

    # A small tenant in $mockState (reset before each test): one mailbox, some recipients, the accepted domains and
    # the mailbox's auto-reply configuration. The setters change it, so the runbook's read-back sees the change.
    Mock Get-Mailbox {
        if ($Identity -ne $mockState.mailbox.PrimarySmtpAddress) { Write-NotFound $Identity; return }
        $mockState.mailbox
    }
    Mock Set-Mailbox {
        if ($mockState.setMailboxError) { throw $mockState.setMailboxError }
        foreach ($key in 'HiddenFromAddressListsEnabled', 'ForwardingSmtpAddress', 'DeliverToMailboxAndForward') {
            if ($PesterBoundParameters.ContainsKey($key)) {
                $value = $PesterBoundParameters[$key]
                # Exchange stores the forwarding address as smtp:<address>.
                $mockState.mailbox.$key = if ($key -eq 'ForwardingSmtpAddress') { "smtp:$value" } else { $value }
            }
        }
    }
    Mock Get-Recipient {
        $found = $mockState.recipients[[string] $Identity]
        if (-not $found) { Write-NotFound $Identity; return }
        $found
    }
    Mock Get-AcceptedDomain { $mockState.acceptedDomains }
    Mock Get-MailboxAutoReplyConfiguration { $mockState.replies }
    Mock Set-MailboxAutoReplyConfiguration {
        if ($mockState.autoReplyError) { throw $mockState.autoReplyError }
        $mockState.replies = [pscustomobject] @{
            AutoReplyState   = $AutoReplyState
            ExternalAudience = $ExternalAudience
            InternalMessage  = "<html><body>$InternalMessage</body></html>"
            ExternalMessage  = "<html><body>$ExternalMessage</body></html>"
        }
    }

    function New-Domain([string] $Name, [bool] $MatchSubDomains = $false) {
        [pscustomobject] @{ DomainName = $Name; DomainType = 'Authoritative'; Default = $false; MatchSubDomains = $MatchSubDomains }
    }
    function Invoke-Offboarding([hashtable] $Parameters) {
        Get-RunbookResult (Invoke-Runbook $Runbook (@{ UserPrincipalName = $Upn } + $Parameters))
    }
}

Describe 'Set-MailboxOffboarding' {
    BeforeEach {
        Set-AutomationVariables
        $jamie = New-Recipient 'jamie@contoso.com'
        $mockState = @{
            mailbox         = New-Mailbox $Upn
            recipients      = @{ 'jamie' = $jamie; 'jamie@contoso.com' = $jamie; 'partner' = (New-Recipient 'partner@fabrikam.com' 'MailContact') }
            acceptedDomains = @((New-Domain 'contoso.com'), (New-Domain 'contoso.onmicrosoft.com'))
            replies         = [pscustomobject] @{ AutoReplyState = 'Disabled'; ExternalAudience = 'All'; InternalMessage = $null; ExternalMessage = $null }
            setMailboxError = $null
            autoReplyError  = $null
        }
    }

    Context 'hiding from the address lists' {
        It 'hides a visible mailbox and reports applied' {
            $result = Invoke-Offboarding @{}

            $result.outcome | Should -Be 'applied'
            $result.action | Should -Be 'mailbox_offboarding'
            $result.message | Should -Be "Updated ${Upn}: hidden_from_address_lists."
            $result.details.hiddenFromAddressListsEnabled | Should -BeTrue
            @($result.details.changed) | Should -Be @('hidden_from_address_lists')
            Should -Invoke Set-Mailbox -Times 1 -Exactly -ParameterFilter { $Identity -eq $Upn -and $HiddenFromAddressListsEnabled -eq $true }
            Should -Invoke Disconnect-ExchangeOnline -Times 1 -Exactly
        }

        It 'reports already_satisfied for a hidden mailbox and calls no setter' {
            $mockState.mailbox.HiddenFromAddressListsEnabled = $true

            $result = Invoke-Offboarding @{}

            $result.outcome | Should -Be 'already_satisfied'
            $result.message | Should -Be "$Upn already has the requested offboarding settings."
            @($result.details.changed).Count | Should -Be 0
            Should -Invoke Set-Mailbox -Times 0 -Exactly
        }

        It 'leaves a visible mailbox visible when HideFromAddressList is $false' {
            $result = Invoke-Offboarding @{ HideFromAddressList = $false }

            $result.outcome | Should -Be 'already_satisfied'
            $result.details.hiddenFromAddressListsEnabled | Should -BeFalse
            Should -Invoke Set-Mailbox -Times 0 -Exactly
        }
    }

    Context 'the RESULT line' {
        It 'keeps the existing details and adds autoReplyState and refused at the end' {
            $result = Invoke-Offboarding @{}

            $result.details.Keys -join ',' | Should -Be 'mailbox,hiddenFromAddressListsEnabled,forwardingSmtpAddress,deliverToMailboxAndForward,changed,autoReplyState,refused'
            $result.details.mailbox | Should -Be $Upn
            $result.details.forwardingSmtpAddress | Should -BeNullOrEmpty
            $result.details.deliverToMailboxAndForward | Should -BeFalse
            $result.details.autoReplyState | Should -BeNullOrEmpty
            , $result.details.refused | Should -BeOfType [array]
            @($result.details.refused).Count | Should -Be 0
        }

        It 'is the last output line, one line of compact JSON' {
            $lines = Invoke-Runbook $Runbook @{ UserPrincipalName = $Upn }
            $lines[-1] | Should -Match '^RESULT: \{"outcome":"applied","action":"mailbox_offboarding","message":'
            @($lines | Where-Object { $_ -like 'RESULT:*' }).Count | Should -Be 1
        }
    }

    Context 'forwarding inside the organisation' {
        It 'forwards to an internal recipient by its primary address, keeping a copy when asked' {
            $result = Invoke-Offboarding @{ HideFromAddressList = $false; ForwardTo = 'jamie'; DeliverToMailboxAndForward = $true }

            $result.outcome | Should -Be 'applied'
            @($result.details.changed) | Should -Be @('forwarding', 'deliver_to_mailbox_and_forward')
            $result.details.forwardingSmtpAddress | Should -Be 'jamie@contoso.com'
            $result.details.deliverToMailboxAndForward | Should -BeTrue
            Should -Invoke Set-Mailbox -Times 1 -Exactly -ParameterFilter { $ForwardingSmtpAddress -eq 'jamie@contoso.com' -and $DeliverToMailboxAndForward -eq $true }
            Should -Invoke Get-AutomationVariable -Times 0 -Exactly -ParameterFilter { $Name -eq 'AllowExternalForwarding' }
        }

        It 'forwards to an address in an accepted domain that is not a recipient, without asking for permission' {
            $result = Invoke-Offboarding @{ HideFromAddressList = $false; ForwardTo = 'new.starter@contoso.com' }

            $result.details.forwardingSmtpAddress | Should -Be 'new.starter@contoso.com'
            @($result.details.refused).Count | Should -Be 0
        }

        It 'treats a subdomain as internal only when the accepted domain matches subdomains' {
            $mockState.acceptedDomains = @((New-Domain 'contoso.com' $true))
            $result = Invoke-Offboarding @{ HideFromAddressList = $false; ForwardTo = 'desk@eu.contoso.com' }
            $result.details.forwardingSmtpAddress | Should -Be 'desk@eu.contoso.com'

            $mockState.mailbox.ForwardingSmtpAddress = $null
            $mockState.acceptedDomains = @((New-Domain 'contoso.com' $false))
            $result = Invoke-Offboarding @{ HideFromAddressList = $false; ForwardTo = 'desk@eu.contoso.com' }
            @($result.details.refused).Count | Should -Be 1
        }

        It 'reports already_satisfied when the mailbox already forwards there' {
            $mockState.mailbox.ForwardingSmtpAddress = 'smtp:jamie@contoso.com'
            $mockState.mailbox.HiddenFromAddressListsEnabled = $true

            $result = Invoke-Offboarding @{ ForwardTo = 'jamie@contoso.com' }

            $result.outcome | Should -Be 'already_satisfied'
            $result.details.forwardingSmtpAddress | Should -Be 'jamie@contoso.com'
            Should -Invoke Set-Mailbox -Times 0 -Exactly
        }

        It 'refuses to forward a mailbox to itself' {
            $mockState.recipients[$Upn] = New-Recipient $Upn
            { Invoke-Offboarding @{ ForwardTo = $Upn } } | Should -Throw "Cannot forward $Upn to itself."
            Should -Invoke Set-Mailbox -Times 0 -Exactly
        }

        It 'refuses a ForwardTo that is neither a recipient nor an address' {
            { Invoke-Offboarding @{ ForwardTo = 'jamie smith' } } | Should -Throw "ForwardTo 'jamie smith' is neither a recipient of this organisation nor an email address."
        }
    }

    Context 'forwarding outside the organisation' {
        It 'refuses an external address when AllowExternalForwarding is missing, with the reason in the RESULT' {
            $mockState.mailbox.HiddenFromAddressListsEnabled = $true

            $result = Invoke-Offboarding @{ ForwardTo = 'alex.private@gmail.com' }

            $result.outcome | Should -Be 'already_satisfied'
            $result.message | Should -BeLike "Nothing was changed on $Upn. Forwarding to alex.private@gmail.com was not set up:*"
            @($result.details.refused).Count | Should -Be 1
            $result.details.refused[0].step | Should -Be 'forwarding'
            $result.details.refused[0].reason | Should -BeLike '*gmail.com is outside the organisation*outbound spam policy*AllowExternalForwarding*'
            $result.details.forwardingSmtpAddress | Should -BeNullOrEmpty
            Should -Invoke Set-Mailbox -Times 0 -Exactly
        }

        It 'still hides the mailbox when it refuses the forwarding' {
            $result = Invoke-Offboarding @{ ForwardTo = 'alex.private@gmail.com'; DeliverToMailboxAndForward = $true }

            $result.outcome | Should -Be 'applied'
            @($result.details.changed) | Should -Be @('hidden_from_address_lists')
            $result.message | Should -BeLike "Updated ${Upn}: hidden_from_address_lists. Forwarding to alex.private@gmail.com was not set up:*"
            $result.details.deliverToMailboxAndForward | Should -BeFalse
            Should -Invoke Set-Mailbox -Times 1 -Exactly -ParameterFilter { -not $PesterBoundParameters.ContainsKey('ForwardingSmtpAddress') -and -not $PesterBoundParameters.ContainsKey('DeliverToMailboxAndForward') }
        }

        It 'refuses a mail contact whose address is outside the organisation' {
            $result = Invoke-Offboarding @{ HideFromAddressList = $false; ForwardTo = 'partner' }

            $result.details.refused[0].reason | Should -BeLike 'Forwarding to partner@fabrikam.com was not set up:*'
        }

        It 'refuses when AllowExternalForwarding is "false"' {
            Set-AutomationVariables @{ AllowExternalForwarding = 'false' }

            $result = Invoke-Offboarding @{ HideFromAddressList = $false; ForwardTo = 'alex.private@gmail.com' }

            @($result.details.refused).Count | Should -Be 1
            Should -Invoke Get-AutomationVariable -Times 1 -Exactly -ParameterFilter { $Name -eq 'AllowExternalForwarding' }
        }

        It 'forwards to an external address when AllowExternalForwarding is "<value>"' -ForEach @(
            @{ value = 'true' }, @{ value = 'True' }, @{ value = $true }
        ) {
            Set-AutomationVariables @{ AllowExternalForwarding = $value }

            $result = Invoke-Offboarding @{ HideFromAddressList = $false; ForwardTo = 'alex.private@gmail.com' }

            $result.outcome | Should -Be 'applied'
            @($result.details.changed) | Should -Be @('forwarding')
            $result.details.forwardingSmtpAddress | Should -Be 'alex.private@gmail.com'
            @($result.details.refused).Count | Should -Be 0
        }
    }

    Context 'automatic reply' {
        It 'turns on the reply for internal and all external senders, as its own step' {
            $mockState.mailbox.HiddenFromAddressListsEnabled = $true

            $result = Invoke-Offboarding @{ AutoReplyMessage = 'Alex has left Contoso. Please write to jamie@contoso.com.' }

            $result.outcome | Should -Be 'applied'
            @($result.details.changed) | Should -Be @('auto_reply')
            $result.details.autoReplyState | Should -Be 'Enabled'
            $result.message | Should -Be "Updated ${Upn}: auto_reply."
            Should -Invoke Set-MailboxAutoReplyConfiguration -Times 1 -Exactly -ParameterFilter {
                $Identity -eq $Upn -and $AutoReplyState -eq 'Enabled' -and $ExternalAudience -eq 'All' -and
                $InternalMessage -eq 'Alex has left Contoso. Please write to jamie@contoso.com.' -and $ExternalMessage -eq $InternalMessage
            }
        }

        It 'reports already_satisfied when Exchange already holds the same reply (stored as HTML)' {
            $mockState.mailbox.HiddenFromAddressListsEnabled = $true
            $mockState.replies = [pscustomobject] @{
                AutoReplyState = 'Enabled'; ExternalAudience = 'All'
                InternalMessage = "<html>`n<head>`n<meta http-equiv=`"Content-Type`" content=`"text/html; charset=utf-8`">`n<style>p { margin: 0 }</style>`n</head>`n<body>`nAlex has left &amp; gone.</body>`n</html>`n"
                ExternalMessage = '<html><body>Alex has left &amp; gone.</body></html>'
            }

            $result = Invoke-Offboarding @{ AutoReplyMessage = 'Alex has left & gone.' }

            $result.outcome | Should -Be 'already_satisfied'
            $result.details.autoReplyState | Should -Be 'Enabled'
            Should -Invoke Set-MailboxAutoReplyConfiguration -Times 0 -Exactly
        }

        It 'replaces a reply that differs in <what>' -ForEach @(
            @{ what = 'text'; state = 'Enabled'; audience = 'All'; text = 'On holiday.' }
            @{ what = 'state'; state = 'Disabled'; audience = 'All'; text = 'Alex has left.' }
            @{ what = 'audience'; state = 'Enabled'; audience = 'Known'; text = 'Alex has left.' }
        ) {
            $mockState.replies = [pscustomobject] @{ AutoReplyState = $state; ExternalAudience = $audience; InternalMessage = $text; ExternalMessage = $text }

            $result = Invoke-Offboarding @{ HideFromAddressList = $false; AutoReplyMessage = 'Alex has left.' }

            @($result.details.changed) | Should -Be @('auto_reply')
            Should -Invoke Set-MailboxAutoReplyConfiguration -Times 1 -Exactly
        }

        It 'leaves auto-replies alone when AutoReplyMessage is empty' {
            $result = Invoke-Offboarding @{ AutoReplyMessage = '  ' }

            $result.details.autoReplyState | Should -BeNullOrEmpty
            Should -Invoke Get-MailboxAutoReplyConfiguration -Times 0 -Exactly
            Should -Invoke Set-MailboxAutoReplyConfiguration -Times 0 -Exactly
        }

        It 'fails when Set-MailboxAutoReplyConfiguration throws' {
            $mockState.autoReplyError = "The user doesn't have a valid mailbox license."
            { Invoke-Offboarding @{ AutoReplyMessage = 'Alex has left.' } } | Should -Throw '*valid mailbox license*'
            Should -Invoke Disconnect-ExchangeOnline -Times 1 -Exactly
        }
    }

    Context 'failures' {
        It 'fails with the Exchange message when the mailbox does not exist' {
            { Invoke-Runbook $Runbook @{ UserPrincipalName = 'gone@contoso.com' } } | Should -Throw "*object 'gone@contoso.com' couldn't be found*"
            Should -Invoke Set-Mailbox -Times 0 -Exactly
            Should -Invoke Disconnect-ExchangeOnline -Times 1 -Exactly
        }

        It 'writes a failed RESULT line with the reason, then fails, when Set-Mailbox throws' {
            $mockState.setMailboxError = 'Access denied: the caller is not in the Recipient Management role.'

            $run = Invoke-FailingRunbook $Runbook @{ UserPrincipalName = $Upn }

            $run.error.Exception.Message | Should -BeLike '*Access denied*'
            (Get-FailedRunbookResult $run.lines).message | Should -Be 'Access denied: the caller is not in the Recipient Management role.'
        }
    }

    Context 'parameters' {
        It 'requires UserPrincipalName' {
            { & (Get-RunbookPath $Runbook) -ForwardTo 'jamie' } | Should -Throw '*UserPrincipalName*'
        }

        It 'refuses a HideFromAddressList that is not a boolean' {
            { & (Get-RunbookPath $Runbook) -UserPrincipalName $Upn -HideFromAddressList 'maybe' } | Should -Throw '*HideFromAddressList*'
        }
    }
}
