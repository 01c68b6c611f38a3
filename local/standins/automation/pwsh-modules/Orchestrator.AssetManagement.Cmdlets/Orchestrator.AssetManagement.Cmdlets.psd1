# Test stand-in for the module Azure Automation's sandbox loads for every runbook, which provides Get-AutomationVariable
# (https://learn.microsoft.com/azure/automation/shared-resources/variables#internal-cmdlets-to-access-variables).
@{
    RootModule        = 'Orchestrator.AssetManagement.Cmdlets.psm1'
    ModuleVersion     = '1.0.0'
    GUID              = '0f5c3b7e-4a53-4f0b-9b61-2f8f3f1f6b11'
    Author            = 'thread-intent-runner (test stub)'
    Description       = 'Get-AutomationVariable read from env AUTOMATION_VARIABLES (a JSON object).'
    PowerShellVersion = '7.2'
    FunctionsToExport = @('Get-AutomationVariable')
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
