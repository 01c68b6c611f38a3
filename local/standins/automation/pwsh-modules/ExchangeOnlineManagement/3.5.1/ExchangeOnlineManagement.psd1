# Test stand-in for ExchangeOnlineManagement 3.5.1 (https://www.powershellgallery.com/packages/ExchangeOnlineManagement/3.5.1).
# Same name and version as the module the runbooks pin, so `Import-Module ExchangeOnlineManagement -RequiredVersion 3.5.1`
# works unchanged. See README.md in the parent folder.
@{
    RootModule        = 'ExchangeOnlineManagement.psm1'
    ModuleVersion     = '3.5.1'
    GUID              = 'b5eced50-afa4-455b-847a-d8fb64140a22'
    Author            = 'thread-intent-runner (test stub)'
    Description       = 'Stub of the Exchange Online cmdlets the runbooks call: real parameter names and sets; Pester mocks them, or the local Automation stand-in answers them.'
    PowerShellVersion = '7.2'
    FunctionsToExport = @(
        'Connect-ExchangeOnline', 'Disconnect-ExchangeOnline', 'Get-AcceptedDomain',
        'Get-Mailbox', 'Set-Mailbox', 'Get-Recipient',
        'Get-MailboxPermission', 'Add-MailboxPermission', 'Remove-MailboxPermission',
        'Get-RecipientPermission', 'Add-RecipientPermission', 'Remove-RecipientPermission',
        'Get-DistributionGroup', 'Get-DistributionGroupMember', 'Add-DistributionGroupMember', 'Remove-DistributionGroupMember',
        'Get-MailboxAutoReplyConfiguration', 'Set-MailboxAutoReplyConfiguration'
    )
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
