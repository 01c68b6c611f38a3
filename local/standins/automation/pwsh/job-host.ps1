<#
.SYNOPSIS
    Runs one runbook the way an Azure Automation PowerShell 7 job does, for the Automation stand-in
    (pwsh-job.ts starts it; docs/exchange-stand-in.md explains the engines).

.DESCRIPTION
    The process starts before its job is known (the stand-in keeps one warm so a job does not wait for
    PowerShell to start): it loads the modules a runbook imports, then reads ONE job from stdin, a JSON line
    {runbookPath, parameters, environment}, runs it and exits.
    - `environment` (EXO_STANDIN_URL, EXO_STANDIN_TOKEN, AUTOMATION_VARIABLES) becomes process environment
      variables, as the stub modules read them; nothing of it appears on a command line.
    - `parameters` are the job's parameters, strings as ARM holds them. [bool] and [switch] parameters get
      True/False/$true/$false/1/0 converted as Automation does; every other value is passed as the string it
      is, so PowerShell's own binder checks names, mandatory parameters, ValidateSet and conversions and fails
      with its own messages.
    - Every record the runbook writes goes to stdout as one line: '##job-stream ' + {"stream","text"}.
      Output and Information (Write-Host) -> Output, Warning -> Warning, Error -> Error, Verbose -> Verbose
      (https://learn.microsoft.com/azure/automation/automation-runbook-output-and-messages).
    - A terminating error ends the job: one 'Exception' record with the exception's message, exit code 1.
#>
$ProgressPreference = 'SilentlyContinue'

function Send-JobRecord([string] $Stream, [string] $Text) {
    [Console]::Out.WriteLine('##job-stream ' + (@{ stream = $Stream; text = $Text } | ConvertTo-Json -Compress))
}

# Warm-up: load what every runbook loads and run each code path once (a first call costs ~100 ms of JIT).
# The stub cmdlet goes to a port nothing listens on, so it fails at once and reaches no stand-in.
Import-Module ExchangeOnlineManagement -RequiredVersion 3.5.1
Import-Module Orchestrator.AssetManagement.Cmdlets
$null = '{"warm":true}' | ConvertFrom-Json -AsHashtable | ConvertTo-Json -Compress -Depth 5
$env:EXO_STANDIN_URL = 'http://127.0.0.1:9'
try { $null = Get-Mailbox -Identity 'warm-up' -ErrorAction Stop } catch { $null = $_ }
$env:EXO_STANDIN_URL = $null
$Error.Clear()

$line = [Console]::In.ReadLine()
if ($null -eq $line) { exit 0 }  # the stand-in stopped without giving this process a job

try {
    $job = ConvertFrom-Json -InputObject $line -AsHashtable
    foreach ($name in $job.environment.Keys) { [Environment]::SetEnvironmentVariable($name, [string] $job.environment[$name]) }
    $runbookPath = [string] $job.runbookPath
    $command = Get-Command -Name $runbookPath -CommandType ExternalScript
    $bound = @{}
    foreach ($name in $job.parameters.Keys) {
        $value = [string] $job.parameters[$name]
        $declared = $command.Parameters.Keys | Where-Object { $_ -eq $name } | Select-Object -First 1
        if ($declared) {
            $type = $command.Parameters[$declared].ParameterType
            if ($type -eq [bool] -or $type -eq [switch]) {
                switch -Regex ($value.Trim()) {
                    '^(true|\$true|1)$' { $value = $true }
                    '^(false|\$false|0)$' { $value = $false }
                }
            }
        }
        $bound[$name] = $value
    }
    $job = $null

    & $runbookPath @bound *>&1 | ForEach-Object {
        $record = $_
        switch ($record) {
            { $_ -is [System.Management.Automation.ErrorRecord] } { Send-JobRecord 'Error' ([string] $record); break }
            { $_ -is [System.Management.Automation.WarningRecord] } { Send-JobRecord 'Warning' $record.Message; break }
            { $_ -is [System.Management.Automation.VerboseRecord] } { Send-JobRecord 'Verbose' $record.Message; break }
            { $_ -is [System.Management.Automation.DebugRecord] } { break }
            { $_ -is [System.Management.Automation.InformationRecord] } { Send-JobRecord 'Output' ([string] $record.MessageData); break }
            { $_ -is [string] } { Send-JobRecord 'Output' $record; break }
            default { Send-JobRecord 'Output' (($record | Out-String).TrimEnd()) }
        }
    }
    exit 0
}
catch {
    Send-JobRecord 'Exception' $_.Exception.Message
    exit 1
}
