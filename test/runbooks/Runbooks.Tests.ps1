# What holds for every runbook, and proof that the stub ExchangeOnlineManagement module catches what the real one would.

BeforeDiscovery {
    $runbooks = Get-ChildItem (Join-Path $PSScriptRoot '..' '..' 'runbooks') -Filter '*.ps1' | ForEach-Object { @{ Name = $_.BaseName; Path = $_.FullName } }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'RunbookTestHelpers.ps1')
    $stub = Get-Module ExchangeOnlineManagement
    $stubCommands = @($stub.ExportedCommands.Keys)

    function Get-RunbookAst([string] $Path) {
        $tokens = $null; $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref] $tokens, [ref] $errors)
        [pscustomobject] @{ Ast = $ast; Errors = @($errors) }
    }
    function Get-CommandCalls($Ast) {
        @($Ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true))
    }
}

Describe 'runbook <Name>' -ForEach $runbooks {
    BeforeAll {
        $parsed = Get-RunbookAst $Path
        $defined = @($parsed.Ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true) | ForEach-Object Name)
    }

    It 'parses without errors' {
        $parsed.Errors | ForEach-Object { "$($_.Extent.StartLineNumber): $($_.Message)" } | Should -BeNullOrEmpty
    }

    It 'calls only PowerShell''s own commands, its own functions, Get-AutomationVariable and stubbed Exchange cmdlets' {
        $unknown = foreach ($call in Get-CommandCalls $parsed.Ast) {
            $name = $call.GetCommandName()
            if (-not $name -or $name -in $defined -or $name -eq 'Get-AutomationVariable' -or $name -in $stubCommands) { continue }
            $command = Get-Command $name -ErrorAction SilentlyContinue
            if ($command -and $command.Source -like 'Microsoft.PowerShell.*') { continue }
            "$name (line $($call.Extent.StartLineNumber))"
        }
        $unknown | Should -BeNullOrEmpty -Because 'an Exchange cmdlet without a stub is not checked (add it to STUB_CMDLETS in scripts/runbooks/generate-exo-stub.ts)'
    }

    It 'passes only parameters the real Exchange cmdlets declare, on every code path' {
        # Static binding against the stub's real parameter metadata covers branches the other tests do not run.
        $problems = foreach ($call in Get-CommandCalls $parsed.Ast) {
            $name = $call.GetCommandName()
            if ($name -notin $stubCommands) { continue }
            $binding = [System.Management.Automation.Language.StaticParameterBinder]::BindCommand($call, $true)
            foreach ($entry in $binding.BindingExceptions.GetEnumerator()) {
                # A splatted hashtable (Set-Mailbox @changes) cannot be resolved statically; PowerShell binds it at run time
                # (the behaviour tests cover those calls).
                $splatted = $call.CommandElements.Where({ $_ -is [System.Management.Automation.Language.VariableExpressionAst] -and $_.Splatted }).Count -gt 0
                if ($splatted -and $entry.Value.BindingException.ErrorId -in 'PositionalParameterNotFound', 'AmbiguousParameterSet') { continue }
                "$name line $($call.Extent.StartLineNumber): $($entry.Value.BindingException.Message)"
            }
        }
        $problems | Should -BeNullOrEmpty
    }

    It 'passes only values the real Exchange cmdlets accept for their enumerations, on every code path' {
        # Static binding does not run validation: check literal arguments against the stub's ValidateSet here.
        $problems = foreach ($call in Get-CommandCalls $parsed.Ast) {
            $name = $call.GetCommandName()
            if ($name -notin $stubCommands) { continue }
            $binding = [System.Management.Automation.Language.StaticParameterBinder]::BindCommand($call, $true)
            foreach ($bound in $binding.BoundParameters.GetEnumerator()) {
                $set = $bound.Value.Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] }
                if (-not $set -or $bound.Value.Value -isnot [System.Management.Automation.Language.StringConstantExpressionAst]) { continue }
                $value = [string] $bound.Value.ConstantValue
                if ($set.ValidValues -notcontains $value) { "$name -$($bound.Key) $value (line $($call.Extent.StartLineNumber)): not one of $($set.ValidValues -join ', ')" }
            }
        }
        $problems | Should -BeNullOrEmpty
    }

    It 'documents the PowerShell 7.4 runtime environment and the pinned module in .NOTES' {
        $text = Get-Content -Raw $Path
        $text | Should -Match 'Runtime  : PowerShell 7\.4, through an Azure Automation runtime environment'
        $text | Should -Match 'Module   : ExchangeOnlineManagement 3\.5\.1'
    }
}

Describe 'the stub ExchangeOnlineManagement module' {
    It 'is version 3.5.1, the version the runbooks pin' {
        $stub.Version.ToString() | Should -Be '3.5.1'
    }

    It 'refuses a parameter the real cmdlet lacks (fixture calls Set-Mailbox -NoSuchParam)' {
        $fixture = Join-Path $PSScriptRoot 'fixtures' 'Wrong-Parameter.ps1'
        { & $fixture } | Should -Throw -ErrorId 'NamedParameterNotFound,Set-Mailbox'
    }

    It 'still refuses it when the test mocks the cmdlet (Pester keeps the stub''s signature)' {
        Mock Set-Mailbox {}
        $fixture = Join-Path $PSScriptRoot 'fixtures' 'Wrong-Parameter.ps1'
        { & $fixture } | Should -Throw '*NoSuchParam*'
        Should -Invoke Set-Mailbox -Times 0 -Exactly
    }

    It 'finds the wrong parameter statically too' {
        $parsed = Get-RunbookAst (Join-Path $PSScriptRoot 'fixtures' 'Wrong-Parameter.ps1')
        $call = Get-CommandCalls $parsed.Ast | Where-Object { $_.GetCommandName() -eq 'Set-Mailbox' }
        $binding = [System.Management.Automation.Language.StaticParameterBinder]::BindCommand($call, $true)
        @($binding.BindingExceptions.Keys) | Should -Contain 'NoSuchParam'
    }

    It 'finds the wrong enumeration value statically too (the value check above reads the stub''s ValidateSet)' {
        $parsed = Get-RunbookAst (Join-Path $PSScriptRoot 'fixtures' 'Wrong-Value.ps1')
        $call = Get-CommandCalls $parsed.Ast | Where-Object { $_.GetCommandName() -eq 'Add-MailboxPermission' }
        $bound = [System.Management.Automation.Language.StaticParameterBinder]::BindCommand($call, $true).BoundParameters['AccessRights']
        $set = $bound.Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] }
        $set.ValidValues | Should -Not -Contain $bound.ConstantValue
        $set.ValidValues | Should -Contain 'FullAccess'
    }

    It 'refuses a value outside the cmdlet''s enumeration (fixture: -AccessRights FullAcess)' {
        { & (Join-Path $PSScriptRoot 'fixtures' 'Wrong-Value.ps1') } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Add-MailboxPermission'
    }

    It 'requires the mandatory parameters of the real parameter set (Add-MailboxPermission without -User)' {
        Mock Add-MailboxPermission {}
        { Add-MailboxPermission -Identity 'support@contoso.com' -AccessRights FullAccess -ErrorAction Stop } | Should -Throw '*User*'
    }

    It 'throws in Pester mode for a cmdlet the test did not mock' {
        { Get-Recipient -Identity 'jamie@contoso.com' } | Should -Throw '*Get-Recipient is a stub of ExchangeOnlineManagement: Mock it*'
    }
}

Describe 'the stub Get-AutomationVariable' {
    AfterEach { Set-AutomationVariables }

    It 'returns the value from AUTOMATION_VARIABLES, by case-insensitive name' {
        Set-AutomationVariables @{ AllowExternalForwarding = 'true' }
        Get-AutomationVariable -Name 'allowexternalforwarding' | Should -Be 'true'
    }

    It 'fails for a variable the account does not have' {
        { Get-AutomationVariable -Name 'NoSuchVariable' } | Should -Throw "*'NoSuchVariable'*not found*"
    }
}
