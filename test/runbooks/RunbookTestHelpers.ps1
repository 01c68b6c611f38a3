# Shared by the runbook Pester tests (dot-source it in BeforeAll). The runbooks import the stub
# ExchangeOnlineManagement 3.5.1 (local/standins/automation/pwsh-modules, first on PSModulePath: npm run test:runbooks
# sets it); its cmdlets declare the real parameters, and Pester's Mock keeps those signatures, so a runbook that passes
# a parameter the real cmdlet lacks fails here with PowerShell's own binding error.

$script:RunbooksDir = Join-Path $PSScriptRoot '..' '..' 'runbooks' | Resolve-Path | Select-Object -ExpandProperty Path
$script:StubModulesDir = Join-Path $PSScriptRoot '..' '..' 'local' 'standins' 'automation' 'pwsh-modules' | Resolve-Path | Select-Object -ExpandProperty Path
$script:Organization = 'contoso.onmicrosoft.com'

if (-not (($env:PSModulePath -split [System.IO.Path]::PathSeparator) -contains $script:StubModulesDir)) {
    $env:PSModulePath = $script:StubModulesDir + [System.IO.Path]::PathSeparator + $env:PSModulePath
}
Import-Module ExchangeOnlineManagement -RequiredVersion 3.5.1
Import-Module Orchestrator.AssetManagement.Cmdlets

function Get-RunbookPath([string] $Name) { Join-Path $script:RunbooksDir "$Name.ps1" }

# Runs a runbook as Automation does (a script with named parameters) and returns its Output stream as strings.
function Invoke-Runbook([string] $Name, [hashtable] $Parameters) {
    $path = Get-RunbookPath $Name
    @(& $path @Parameters 6>$null 3>$null | ForEach-Object { [string] $_ })
}

# The RESULT line the workflows parse (lib/intents/group-membership/runbook-result.ts): the LAST output line,
# 'RESULT: ' + compact JSON with outcome, action, message, details in that order.
function Get-RunbookResult([string[]] $Lines) {
    $last = $Lines[-1]
    if (-not $last.StartsWith('RESULT: ')) { throw "The last output line is not a RESULT line: $last" }
    $json = $last.Substring(8)
    if ($json -match '\r|\n') { throw 'The RESULT JSON spans lines.' }
    $parsed = $json | ConvertFrom-Json -AsHashtable
    $keys = @($parsed.Keys)
    if (($keys -join ',') -ne 'outcome,action,message,details') { throw "RESULT keys are '$($keys -join ',')'." }
    $parsed
}

# The RESULT line a failing runbook writes last before it throws (runbooks/shared/ExchangeConnection.ps1, the trap):
# 'RESULT: ' + compact JSON with outcome 'failed', message, details in that order.
function Get-FailedRunbookResult([string[]] $Lines) {
    $last = $Lines[-1]
    if (-not $last.StartsWith('RESULT: ')) { throw "The last output line is not a RESULT line: $last" }
    $json = $last.Substring(8)
    if ($json -match '\r|\n') { throw 'The RESULT JSON spans lines.' }
    $parsed = $json | ConvertFrom-Json -AsHashtable
    if ((@($parsed.Keys) -join ',') -ne 'outcome,message,details') { throw "RESULT keys are '$(@($parsed.Keys) -join ',')'." }
    if ($parsed.outcome -ne 'failed') { throw "RESULT outcome is '$($parsed.outcome)', not failed." }
    if (@($Lines | Where-Object { $_ -like 'RESULT:*' }).Count -ne 1) { throw 'More than one RESULT line.' }
    $parsed
}

# Runs a runbook that must fail: returns the error it threw and its Output stream up to then.
function Invoke-FailingRunbook([string] $Name, [hashtable] $Parameters) {
    $output = [System.Collections.Generic.List[string]]::new()
    $thrown = $null
    try { & (Get-RunbookPath $Name) @Parameters 6>$null 3>$null | ForEach-Object { $output.Add([string] $_) } }
    catch { $thrown = $_ }
    if ($null -eq $thrown) { throw "$Name did not fail." }
    @{ error = $thrown; lines = [string[]] $output }
}

# The Automation account's variables as the stub Get-AutomationVariable reads them (env AUTOMATION_VARIABLES):
# ExchangeOrganization (unless $Variables sets it) plus $Variables; any other variable is missing, which the stub reports as an error.
function Set-AutomationVariables([hashtable] $Variables = @{}) {
    $all = @{ ExchangeOrganization = $script:Organization }
    foreach ($key in $Variables.Keys) { $all[$key] = $Variables[$key] }
    $env:AUTOMATION_VARIABLES = $all | ConvertTo-Json -Compress
}

# Mocks every runbook needs (call in BeforeAll): the connection, and Get-AutomationVariable answered by the stub module
# (so tests can Should -Invoke it and still get the values of Set-AutomationVariables).
function Mock-RunbookBasics {
    Set-AutomationVariables
    Mock Connect-ExchangeOnline {}
    Mock Disconnect-ExchangeOnline {}
    # Run inside the module so the call reaches the stub's own function, not this mock.
    Mock Get-AutomationVariable { & (Get-Module Orchestrator.AssetManagement.Cmdlets) { Get-AutomationVariable -Name $args[0] } $Name }
}

# A mailbox as Get-Mailbox returns it (the properties the runbooks read).
function New-Mailbox([string] $Address, [string] $Type = 'UserMailbox', [hashtable] $More = @{}) {
    $props = [ordered]@{
        PrimarySmtpAddress            = $Address
        RecipientTypeDetails          = $Type
        HiddenFromAddressListsEnabled = $false
        ForwardingSmtpAddress         = $null
        DeliverToMailboxAndForward    = $false
        GrantSendOnBehalfTo           = @()
    }
    foreach ($k in $More.Keys) { $props[$k] = $More[$k] }
    [pscustomobject] $props
}

function New-Recipient([string] $Address, [string] $Type = 'UserMailbox') {
    [pscustomobject] @{ PrimarySmtpAddress = $Address; RecipientTypeDetails = $Type }
}

# The error Exchange Online raises for an unknown identity (observed wording of the RecipientTask not-found error).
function Get-NotFoundMessage([string] $Identity) {
    "The operation couldn't be performed because object '$Identity' couldn't be found on 'AM0PR01A001DC01.EURPR01A001.prod.outlook.com'."
}

# Exchange's cmdlets report a missing object as a non-terminating error: -ErrorAction SilentlyContinue hides it,
# $ErrorActionPreference = 'Stop' (every runbook) turns it into a failure.
function Write-NotFound([string] $Identity) {
    Write-Error -Message (Get-NotFoundMessage $Identity) -Category ObjectNotFound -ErrorId 'ManagementObjectNotFoundException'
}
