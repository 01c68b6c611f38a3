# runbooks/Set-DistributionGroupMember.ps1 under real PowerShell with the stub ExchangeOnlineManagement module.
# Sources: https://learn.microsoft.com/powershell/module/exchangepowershell/add-distributiongroupmember
#          https://learn.microsoft.com/powershell/module/exchangepowershell/remove-distributiongroupmember
#          (-BypassSecurityGroupManagerCheck: the caller is not an owner of a mail-enabled security group)

BeforeAll {
    . (Join-Path $PSScriptRoot 'RunbookTestHelpers.ps1')
    $Runbook = 'Set-DistributionGroupMember'
    $Group = 'sales@contoso.com'
    Mock-RunbookBasics

    # One group and its members in $mockState (reset before each test).
    Mock Get-DistributionGroup {
        if ($Identity -notin $mockState.group.PrimarySmtpAddress, 'Sales') { Write-NotFound $Identity; return }
        $mockState.group
    }
    Mock Get-Recipient {
        $found = $mockState.recipients[[string] $Identity]
        if (-not $found) { Write-NotFound $Identity; return }
        $found
    }
    Mock Get-DistributionGroupMember { $mockState.members | ForEach-Object { New-Recipient $_ } }
    Mock Add-DistributionGroupMember {
        if ($mockState.writeError) { throw $mockState.writeError }
        $mockState.members += [string] $Member
    }
    Mock Remove-DistributionGroupMember {
        if ($mockState.writeError) { throw $mockState.writeError }
        $mockState.members = @($mockState.members | Where-Object { $_ -ne [string] $Member })
    }
}

Describe 'Set-DistributionGroupMember' {
    BeforeEach {
        Set-AutomationVariables
        $jamie = New-Recipient 'jamie@contoso.com'
        $mockState = @{
            group      = [pscustomobject] @{ PrimarySmtpAddress = $Group; RecipientTypeDetails = 'MailUniversalDistributionGroup' }
            recipients = @{ 'jamie' = $jamie; 'jamie@contoso.com' = $jamie; 'robin@contoso.com' = (New-Recipient 'robin@contoso.com') }
            members    = @('robin@contoso.com')
            writeError = $null
        }
    }

    It 'adds a member by primary address and reports applied' {
        $result = Get-RunbookResult (Invoke-Runbook $Runbook @{ GroupIdentity = 'Sales'; MemberEmail = 'jamie'; Action = 'Add' })

        $result.outcome | Should -Be 'applied'
        $result.action | Should -Be 'add_member'
        $result.message | Should -Be "Added jamie@contoso.com to $Group."
        $result.details.Keys -join ',' | Should -Be 'group,groupType,member'
        $result.details.group | Should -Be $Group
        $result.details.groupType | Should -Be 'MailUniversalDistributionGroup'
        $result.details.member | Should -Be 'jamie@contoso.com'
        Should -Invoke Add-DistributionGroupMember -Times 1 -Exactly -ParameterFilter { $Identity -eq $Group -and $Member -eq 'jamie@contoso.com' -and $BypassSecurityGroupManagerCheck }
        Should -Invoke Get-DistributionGroupMember -Times 1 -Exactly -ParameterFilter { $ResultSize -eq 'Unlimited' }
    }

    It 'reports already_satisfied when the user is already a member' {
        $result = Get-RunbookResult (Invoke-Runbook $Runbook @{ GroupIdentity = $Group; MemberEmail = 'robin@contoso.com'; Action = 'Add' })

        $result.outcome | Should -Be 'already_satisfied'
        $result.message | Should -Be "robin@contoso.com is already a member of $Group."
        Should -Invoke Add-DistributionGroupMember -Times 0 -Exactly
    }

    It 'removes a member of a mail-enabled security group' {
        $mockState.group.RecipientTypeDetails = 'MailUniversalSecurityGroup'

        $result = Get-RunbookResult (Invoke-Runbook $Runbook @{ GroupIdentity = $Group; MemberEmail = 'robin@contoso.com'; Action = 'Remove' })

        $result.outcome | Should -Be 'applied'
        $result.action | Should -Be 'remove_member'
        $result.details.groupType | Should -Be 'MailUniversalSecurityGroup'
        Should -Invoke Remove-DistributionGroupMember -Times 1 -Exactly -ParameterFilter { $Member -eq 'robin@contoso.com' -and $BypassSecurityGroupManagerCheck }
    }

    It 'reports already_satisfied when removing someone who is not a member' {
        $result = Get-RunbookResult (Invoke-Runbook $Runbook @{ GroupIdentity = $Group; MemberEmail = 'jamie'; Action = 'remove' })

        $result.outcome | Should -Be 'already_satisfied'
        $result.action | Should -Be 'remove_member'
        $result.message | Should -Be "jamie@contoso.com is not a member of $Group; nothing to remove."
        Should -Invoke Remove-DistributionGroupMember -Times 0 -Exactly
    }

    It 'fails with the Exchange message when the <what> does not exist' -ForEach @(
        @{ what = 'group'; askedGroup = 'nogroup@contoso.com'; askedMember = 'jamie' }
        @{ what = 'member'; askedGroup = 'sales@contoso.com'; askedMember = 'nobody@contoso.com' }
    ) {
        { Invoke-Runbook $Runbook @{ GroupIdentity = $askedGroup; MemberEmail = $askedMember; Action = 'Add' } } | Should -Throw "*couldn't be found*"
        Should -Invoke Add-DistributionGroupMember -Times 0 -Exactly
        Should -Invoke Disconnect-ExchangeOnline -Times 1 -Exactly
    }

    It 'writes a failed RESULT line with the reason, then fails, when Add-DistributionGroupMember throws' {
        $mockState.writeError = "You don't have sufficient permissions. This operation can only be performed by a manager of the group."

        $run = Invoke-FailingRunbook $Runbook @{ GroupIdentity = $Group; MemberEmail = 'jamie'; Action = 'Add' }

        $run.error.Exception.Message | Should -BeLike '*manager of the group*'
        $result = Get-FailedRunbookResult $run.lines
        $result.message | Should -Be $mockState.writeError
        $result.details.exchangeConnected | Should -BeTrue
    }

    It 'a group that does not exist: the failed RESULT line names it' {
        $run = Invoke-FailingRunbook $Runbook @{ GroupIdentity = 'nogroup@contoso.com'; MemberEmail = 'jamie'; Action = 'Add' }

        (Get-FailedRunbookResult $run.lines).message | Should -BeLike "*'nogroup@contoso.com' couldn't be found*"
    }

    Context 'parameters' {
        It 'refuses an Action outside Add / Remove' {
            { Invoke-Runbook $Runbook @{ GroupIdentity = $Group; MemberEmail = 'jamie'; Action = 'Toggle' } } | Should -Throw '*Action*Toggle*'
        }

        It 'requires <name>' -ForEach @(@{ name = 'GroupIdentity' }, @{ name = 'MemberEmail' }, @{ name = 'Action' }) {
            $parameters = @{ GroupIdentity = $Group; MemberEmail = 'jamie'; Action = 'Add' }
            $parameters.Remove($name)
            { & (Get-RunbookPath $Runbook) @parameters } | Should -Throw "*$name*"
        }
    }
}
