# runbooks/Set-SharedMailboxPermission.ps1 under real PowerShell with the stub ExchangeOnlineManagement module.
# Sources: https://learn.microsoft.com/powershell/module/exchangepowershell/add-mailboxpermission (FullAccess, AutoMapping)
#          https://learn.microsoft.com/powershell/module/exchangepowershell/add-recipientpermission (SendAs)
#          https://learn.microsoft.com/powershell/module/exchangepowershell/set-mailbox (GrantSendOnBehalfTo @{Add=...})

BeforeAll {
    . (Join-Path $PSScriptRoot 'RunbookTestHelpers.ps1')
    $Runbook = 'Set-SharedMailboxPermission'
    $Shared = 'support@contoso.com'
    $User = 'jamie@contoso.com'
    Mock-RunbookBasics

    # One shared mailbox with its delegates in $mockState (reset before each test).
    Mock Get-Mailbox {
        if ($Identity -ne $mockState.mailbox.PrimarySmtpAddress) { Write-NotFound $Identity; return }
        $mockState.mailbox
    }
    Mock Get-Recipient {
        $found = $mockState.recipients[[string] $Identity]
        if (-not $found) { Write-NotFound $Identity; return }
        $found
    }
    Mock Get-MailboxPermission {
        $mockState.fullAccess | Where-Object { $_.User -eq $User }
    }
    Mock Get-RecipientPermission {
        @($mockState.sendAs | Where-Object { $_ -eq $Trustee } | ForEach-Object { [pscustomobject] @{ Trustee = $_; AccessRights = @('SendAs') } })
    }
    Mock Add-MailboxPermission { if ($mockState.writeError) { throw $mockState.writeError } }
    Mock Remove-MailboxPermission { if ($mockState.writeError) { throw $mockState.writeError } }
    Mock Add-RecipientPermission { if ($mockState.writeError) { throw $mockState.writeError } }
    Mock Remove-RecipientPermission { if ($mockState.writeError) { throw $mockState.writeError } }
    Mock Set-Mailbox { if ($mockState.writeError) { throw $mockState.writeError } }

    function New-Ace([string] $Trustee, [bool] $Inherited = $false) {
        [pscustomobject] @{ User = $Trustee; AccessRights = @('FullAccess'); IsInherited = $Inherited; Deny = $false }
    }
    function Invoke-Permission([string] $PermissionType, [string] $Action, [hashtable] $More = @{}) {
        $parameters = @{ SharedMailboxEmail = $Shared; UserEmail = 'jamie'; PermissionType = $PermissionType; Action = $Action } + $More
        Get-RunbookResult (Invoke-Runbook $Runbook $parameters)
    }
}

Describe 'Set-SharedMailboxPermission' {
    BeforeEach {
        Set-AutomationVariables
        $jamie = New-Recipient $User
        $mockState = @{
            mailbox    = New-Mailbox $Shared 'SharedMailbox'
            recipients = @{ 'jamie' = $jamie; $User = $jamie; 'Jamie Smith' = $jamie; 'robin@contoso.com' = (New-Recipient 'robin@contoso.com') }
            fullAccess = @()
            sendAs     = @()
            writeError = $null
        }
    }

    Context 'Full Access' {
        It 'grants Full Access with AutoMapping as asked and reports applied' {
            $result = Invoke-Permission 'Full Access' 'Grant' @{ AutoMapping = $false }

            $result.outcome | Should -Be 'applied'
            $result.action | Should -Be 'grant_full_access'
            $result.message | Should -Be "Granted Full Access on $Shared to $User."
            $result.details.Keys -join ',' | Should -Be 'mailbox,user,permissionType,autoMapping'
            $result.details.user | Should -Be $User
            $result.details.autoMapping | Should -BeFalse
            Should -Invoke Add-MailboxPermission -Times 1 -Exactly -ParameterFilter {
                $Identity -eq $Shared -and $User -eq 'jamie@contoso.com' -and $AccessRights -eq 'FullAccess' -and $InheritanceType -eq 'All' -and $AutoMapping -eq $false
            }
        }

        It 'reports already_satisfied when an explicit Full Access entry exists' {
            $mockState.fullAccess = @(New-Ace $User)
            $result = Invoke-Permission 'Full Access' 'Grant'

            $result.outcome | Should -Be 'already_satisfied'
            $result.details.autoMapping | Should -BeTrue
            Should -Invoke Add-MailboxPermission -Times 0 -Exactly
        }

        It 'does not count an inherited entry as granted' {
            $mockState.fullAccess = @(New-Ace $User $true)
            (Invoke-Permission 'Full Access' 'Grant').outcome | Should -Be 'applied'
        }

        It 'revokes Full Access' {
            $mockState.fullAccess = @(New-Ace $User)
            $result = Invoke-Permission 'Full Access' 'Revoke'

            $result.action | Should -Be 'revoke_full_access'
            $result.details.Keys -join ',' | Should -Be 'mailbox,user,permissionType'
            Should -Invoke Remove-MailboxPermission -Times 1 -Exactly -ParameterFilter { $AccessRights -eq 'FullAccess' -and $InheritanceType -eq 'All' }
        }

        It 'reports already_satisfied when revoking Full Access the user does not have' {
            $result = Invoke-Permission 'Full Access' 'Revoke'
            $result.outcome | Should -Be 'already_satisfied'
            $result.message | Should -Be "$User does not have Full Access on $Shared; nothing to revoke."
        }
    }

    Context 'Send As' {
        It 'grants Send As' {
            $result = Invoke-Permission 'Send As' 'Grant'

            $result.action | Should -Be 'grant_send_as'
            $result.outcome | Should -Be 'applied'
            Should -Invoke Add-RecipientPermission -Times 1 -Exactly -ParameterFilter { $Identity -eq $Shared -and $Trustee -eq $User -and $AccessRights -eq 'SendAs' }
        }

        It 'reports already_satisfied and revokes an existing Send As' {
            $mockState.sendAs = @($User)
            (Invoke-Permission 'Send As' 'Grant').outcome | Should -Be 'already_satisfied'
            (Invoke-Permission 'Send As' 'Revoke').action | Should -Be 'revoke_send_as'
            Should -Invoke Remove-RecipientPermission -Times 1 -Exactly -ParameterFilter { $Trustee -eq $User -and $AccessRights -eq 'SendAs' }
        }
    }

    Context 'Send on Behalf' {
        It 'adds the delegate with an Add hashtable, leaving the others' {
            $mockState.mailbox.GrantSendOnBehalfTo = @('Robin')
            $mockState.recipients['Robin'] = New-Recipient 'robin@contoso.com'

            $result = Invoke-Permission 'Send on Behalf' 'Grant'

            $result.action | Should -Be 'grant_send_on_behalf'
            Should -Invoke Set-Mailbox -Times 1 -Exactly -ParameterFilter {
                $GrantSendOnBehalfTo -is [hashtable] -and $GrantSendOnBehalfTo.Add -eq $User -and -not $GrantSendOnBehalfTo.ContainsKey('Remove')
            }
        }

        It 'resolves existing delegates (names, not addresses) before deciding it is already granted' {
            $mockState.mailbox.GrantSendOnBehalfTo = @('Jamie Smith')

            (Invoke-Permission 'Send on Behalf' 'Grant').outcome | Should -Be 'already_satisfied'
            Should -Invoke Set-Mailbox -Times 0 -Exactly
        }

        It 'removes the delegate with a Remove hashtable' {
            $mockState.mailbox.GrantSendOnBehalfTo = @('Jamie Smith')

            (Invoke-Permission 'Send on Behalf' 'Revoke').outcome | Should -Be 'applied'
            Should -Invoke Set-Mailbox -Times 1 -Exactly -ParameterFilter { $GrantSendOnBehalfTo.Remove -eq $User }
        }
    }

    Context 'failures' {
        It 'refuses a mailbox that is not shared, changing nothing' {
            $mockState.mailbox.RecipientTypeDetails = 'UserMailbox'
            { Invoke-Permission 'Full Access' 'Grant' } | Should -Throw "'$Shared' is a UserMailbox, not a shared mailbox; no permission was changed."
            Should -Invoke Add-MailboxPermission -Times 0 -Exactly
        }

        It 'fails with the Exchange message when the <what> does not exist' -ForEach @(
            @{ what = 'mailbox'; askedMailbox = 'nothere@contoso.com'; askedUser = 'jamie' }
            @{ what = 'user'; askedMailbox = 'support@contoso.com'; askedUser = 'nobody@contoso.com' }
        ) {
            $parameters = @{ SharedMailboxEmail = $askedMailbox; UserEmail = $askedUser; PermissionType = 'Full Access'; Action = 'Grant' }
            { Invoke-Runbook $Runbook $parameters } | Should -Throw "*couldn't be found*"
            Should -Invoke Disconnect-ExchangeOnline -Times 1 -Exactly
        }

        It 'writes a failed RESULT line with the reason, then fails, when the write throws' {
            $mockState.writeError = 'Active Directory operation failed.'

            $run = Invoke-FailingRunbook $Runbook @{ SharedMailboxEmail = $Shared; UserEmail = 'jamie'; PermissionType = 'Send As'; Action = 'Grant' }

            $run.error.Exception.Message | Should -BeLike '*Active Directory operation failed*'
            (Get-FailedRunbookResult $run.lines).message | Should -Be 'Active Directory operation failed.'
        }

        It 'a room mailbox: the failed RESULT line says what it is, and nothing changes' {
            $mockState.mailbox.RecipientTypeDetails = 'RoomMailbox'

            $run = Invoke-FailingRunbook $Runbook @{ SharedMailboxEmail = $Shared; UserEmail = 'jamie'; PermissionType = 'Full Access'; Action = 'Grant' }

            (Get-FailedRunbookResult $run.lines).message | Should -Be "'$Shared' is a RoomMailbox, not a shared mailbox; no permission was changed."
            $run.error.Exception.Message | Should -Be "'$Shared' is a RoomMailbox, not a shared mailbox; no permission was changed."
            Should -Invoke Add-MailboxPermission -Times 0 -Exactly
        }
    }

    Context 'parameters' {
        It 'accepts ValidateSet values in any case; the value keeps the caller''s casing (PowerShell does not normalise it)' {
            # undocumented: observed in pwsh 7.4-7.6, ValidateSet compares case-insensitively and binds the value as passed.
            $lines = Invoke-Runbook $Runbook @{ SharedMailboxEmail = $Shared; UserEmail = 'jamie'; PermissionType = 'full access'; Action = 'grant' }
            $result = Get-RunbookResult $lines
            $result.action | Should -Be 'grant_full_access'
            $result.details.permissionType | Should -BeExactly 'full access'
            $result.message | Should -BeExactly "Granted full access on $Shared to $User."
        }

        It 'refuses an unknown PermissionType' {
            { Invoke-Permission 'Read' 'Grant' } | Should -Throw '*PermissionType*'
        }
    }
}
