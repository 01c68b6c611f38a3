Set-StrictMode -Version Latest

# Stub ExchangeOnlineManagement for running the runbooks under real PowerShell without Exchange Online.
# The cmdlets (ExchangeOnlineManagement.Cmdlets.ps1, generated from Microsoft Learn) declare the real parameters, so
# PowerShell's binder refuses a parameter or value the real cmdlet would refuse. Their bodies land here:
#   - Pester mode (env EXO_STANDIN_URL unset): every cmdlet throws; tests Mock the ones a runbook should call.
#   - Stand-in mode (EXO_STANDIN_URL set by the local Automation stand-in): the call goes over HTTP to the stand-in's
#     Exchange model (contract: POST /connect, POST /cmdlet; see README.md next to this module).

function ConvertTo-ExoStubValue {
    # Switches as true/false, hashtables as objects, arrays as arrays (ConvertTo-Json does the rest).
    param($Value)
    if ($Value -is [System.Management.Automation.SwitchParameter]) { return $Value.IsPresent }
    if ($Value -is [System.Collections.IDictionary]) {
        $object = [ordered]@{}
        foreach ($key in $Value.Keys) { $object[[string] $key] = ConvertTo-ExoStubValue $Value[$key] }
        return $object
    }
    if ($Value -is [array]) { return , @($Value | ForEach-Object { ConvertTo-ExoStubValue $_ }) }
    return $Value
}

# The session Connect-ExchangeOnline -AccessToken opened (msp mode): its token and organization go with every cmdlet,
# as the real module sends them with each REST call. Held in this module's memory only; never written anywhere.
$script:ExoAccessSession = $null

function Invoke-ExoStandinRequest {
    # Token: the -AccessToken session's, else the Automation identity's (EXO_STANDIN_TOKEN, -ManagedIdentity).
    param([string] $Path, [System.Collections.IDictionary] $Body, [string] $Token = $env:EXO_STANDIN_TOKEN)
    $uri = $env:EXO_STANDIN_URL.TrimEnd('/') + $Path
    $headers = @{ Authorization = "Bearer $Token" }
    $json = $Body | ConvertTo-Json -Depth 10 -Compress
    Invoke-RestMethod -Method Post -Uri $uri -Headers $headers -ContentType 'application/json; charset=utf-8' -Body $json
}

function New-ExoStubErrorRecord {
    # The stand-in's error as the terminating ErrorRecord an Exchange cmdlet raises under $ErrorActionPreference = 'Stop'.
    param([string] $Cmdlet, $ErrorObject)
    $message = [string] $ErrorObject.message
    $exception = [System.Management.Automation.RuntimeException]::new($message)
    $category = [System.Management.Automation.ErrorCategory]::NotSpecified
    $named = if ($ErrorObject.PSObject.Properties['category']) { [string] $ErrorObject.category } else { '' }
    [void] [System.Enum]::TryParse([System.Management.Automation.ErrorCategory], $named, $true, [ref] $category)
    $errorId = if ($ErrorObject.PSObject.Properties['errorId'] -and $ErrorObject.errorId) { [string] $ErrorObject.errorId } else { "$named,$Cmdlet" }
    $record = [System.Management.Automation.ErrorRecord]::new($exception, $errorId, $category, $null)
    # Exchange reports e.g. "NotSpecified: (:) [Get-Mailbox], ManagementObjectNotFoundException".
    $record.CategoryInfo.Activity = $Cmdlet
    if ($ErrorObject.PSObject.Properties['exceptionType'] -and $ErrorObject.exceptionType) {
        $record.CategoryInfo.Reason = [string] $ErrorObject.exceptionType
    } elseif ($named) {
        $record.CategoryInfo.Reason = $named
    }
    $record
}

function Invoke-ExoStubCmdlet {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string] $Cmdlet,
        [Parameter(Mandatory = $true)][System.Collections.IDictionary] $Bound,
        # The stub cmdlet itself, so errors come from it (CategoryInfo, -ErrorAction) and not from this helper.
        [Parameter(Mandatory = $true)][System.Management.Automation.PSCmdlet] $Caller
    )
    if (-not $env:EXO_STANDIN_URL) {
        throw "$Cmdlet is a stub of ExchangeOnlineManagement: Mock it in the Pester test (or set EXO_STANDIN_URL to use the Automation stand-in)."
    }
    $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
    $parameters = [ordered]@{}
    foreach ($key in $Bound.Keys) {
        if ($common -notcontains $key) { $parameters[$key] = ConvertTo-ExoStubValue $Bound[$key] }
    }

    if ($Cmdlet -eq 'Disconnect-ExchangeOnline') { $script:ExoAccessSession = $null; return }
    if ($Cmdlet -eq 'Connect-ExchangeOnline' -and $Bound.ContainsKey('AccessToken')) {
        # -AccessToken: the token itself authenticates the connection (msp mode), never the Automation identity.
        $token = [string] $Bound['AccessToken']
        $body = [ordered]@{ organization = $parameters['Organization']; accessToken = $true }
        $response = Invoke-ExoStandinRequest -Path '/connect' -Body $body -Token $token
        $connected = -not ($response.PSObject.Properties['error'] -and $null -ne $response.error)
        $script:ExoAccessSession = if ($connected) { @{ Token = $token; Organization = [string] $parameters['Organization'] } } else { $null }
    } elseif ($Cmdlet -eq 'Connect-ExchangeOnline') {
        $script:ExoAccessSession = $null
        $body = [ordered]@{ organization = $parameters['Organization']; managedIdentity = [bool] $parameters['ManagedIdentity'] }
        $response = Invoke-ExoStandinRequest -Path '/connect' -Body $body
    } elseif ($script:ExoAccessSession) {
        $body = [ordered]@{ cmdlet = $Cmdlet; parameters = $parameters; organization = $script:ExoAccessSession.Organization }
        $response = Invoke-ExoStandinRequest -Path '/cmdlet' -Body $body -Token $script:ExoAccessSession.Token
    } else {
        $response = Invoke-ExoStandinRequest -Path '/cmdlet' -Body ([ordered]@{ cmdlet = $Cmdlet; parameters = $parameters })
    }

    if ($response.PSObject.Properties['error'] -and $null -ne $response.error) {
        $record = New-ExoStubErrorRecord -Cmdlet $Cmdlet -ErrorObject $response.error
        # -ErrorAction SilentlyContinue / Ignore on the call hides the error (Get-Recipient ... -ErrorAction SilentlyContinue);
        # otherwise it stops the runbook, as the runbooks run with $ErrorActionPreference = 'Stop'.
        $action = if ($Bound.ContainsKey('ErrorAction')) { [string] $Bound['ErrorAction'] } else { 'Stop' }
        if ($action -in 'SilentlyContinue', 'Ignore') {
            if ($action -eq 'SilentlyContinue') { $Caller.WriteError($record) }
            return
        }
        $Caller.ThrowTerminatingError($record)
    }
    if ($response.PSObject.Properties['output']) {
        foreach ($item in @($response.output)) { $item }
    }
}

. (Join-Path $PSScriptRoot 'ExchangeOnlineManagement.Cmdlets.ps1')
