Set-StrictMode -Version Latest

# https://learn.microsoft.com/azure/automation/shared-resources/variables#internal-cmdlets-to-access-variables
# In Azure the value comes from the Automation account's variable assets; here from env AUTOMATION_VARIABLES, a JSON
# object the Automation stand-in (or a test) sets, e.g. {"ExchangeOrganization":"contoso.onmicrosoft.com"}.
# A missing variable is an error, as in Azure (undocumented wording: this message is ours).
function Get-AutomationVariable {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true, Position = 0)]
        [string] $Name
    )
    $variables = if ($env:AUTOMATION_VARIABLES) { $env:AUTOMATION_VARIABLES | ConvertFrom-Json -AsHashtable } else { @{} }
    $key = @($variables.Keys | Where-Object { $_ -eq $Name }) | Select-Object -First 1
    if ($null -eq $key) {
        $exception = [System.Management.Automation.ItemNotFoundException]::new("Variable asset '$Name' was not found in the Automation account.")
        $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new($exception, 'VariableNotFound', 'ObjectNotFound', $Name))
    }
    $variables[$key]
}
