# The connection code every runbook carries (runbooks/shared/ExchangeConnection.ps1, copied into each runbook), run
# through Convert-ToSharedMailbox under real PowerShell with the stub ExchangeOnlineManagement module.
# Sources:
#   customer mode: https://learn.microsoft.com/powershell/exchange/connect-exo-powershell-managed-identity
#   msp mode, 1) the user-assigned identity's token from the Automation sandbox (IDENTITY_ENDPOINT, X-IDENTITY-HEADER,
#     client_id): https://learn.microsoft.com/azure/automation/add-user-assigned-identity
#   2) client_assertion exchange for the app's token in the customer's tenant (audience api://AzureADTokenExchange):
#     https://learn.microsoft.com/entra/workload-id/workload-identity-federation-config-app-trust-managed-identity
#   3) Connect-ExchangeOnline -AccessToken (module 3.1.0 or later) with -Organization:
#     https://learn.microsoft.com/powershell/module/exchangepowershell/connect-exchangeonline

BeforeAll {
    . (Join-Path $PSScriptRoot 'RunbookTestHelpers.ps1')
    $Runbook = 'Convert-ToSharedMailbox'
    $Upn = 'alex@fabrikam.com'
    $Customer = 'fabrikam.onmicrosoft.com'
    $IdentityClientId = '5b0e9c1d-7a2f-4e63-9d18-2c4b6f8a1e07'
    $AppClientId = 'c7d21f4e-3b85-4a9c-8e60-9f1a2d3b4c5e'
    # Recognisable values: no stream of the job may ever contain them.
    $Assertion = 'eyJ.assertion-of-the-msp-identity.sig'
    $ExchangeToken = 'eyJ.exchange-token-for-fabrikam.sig'
    Mock-RunbookBasics
    Mock Get-Mailbox { New-Mailbox $Upn $mockState.type }
    Mock Set-Mailbox { $mockState.type = 'SharedMailbox' }

    # The two HTTP calls of msp mode; $mockState.tokenError makes the exchange fail as Entra ID answers.
    Mock Invoke-RestMethod -ParameterFilter { $Method -eq 'Get' } { [pscustomobject] @{ access_token = $Assertion; client_id = $IdentityClientId } }
    Mock Invoke-RestMethod -ParameterFilter { $Method -eq 'Post' } {
        if ($mockState.tokenError) {
            $record = [System.Management.Automation.ErrorRecord]::new(
                [System.Exception]::new('Response status code does not indicate success: 400 (Bad Request).'),
                'WebCmdletWebResponseException,Microsoft.PowerShell.Commands.InvokeRestMethodCommand', 'InvalidOperation', $null)
            $record.ErrorDetails = [System.Management.Automation.ErrorDetails]::new($mockState.tokenError)
            throw $record
        }
        [pscustomobject] @{ token_type = 'Bearer'; expires_in = 3599; access_token = $ExchangeToken }
    }

    function Set-MspVariables([hashtable] $More = @{}) {
        Set-AutomationVariables (@{ DeploymentMode = 'msp'; MspAppClientId = $AppClientId; MspIdentityClientId = $IdentityClientId } + $More)
    }
    # Every stream of the runbook (output, errors, warnings, verbose, information) as text.
    function Invoke-RunbookAllStreams([hashtable] $Parameters) {
        $lines = [System.Collections.Generic.List[string]]::new()
        try { & (Get-RunbookPath $Runbook) @Parameters *>&1 | ForEach-Object { $lines.Add([string] $_) } }
        catch { $lines.Add("THROWN: $($_.Exception.Message)") }
        $lines
    }
}

Describe 'Exchange connection' {
    BeforeEach {
        $mockState = @{ type = 'UserMailbox'; tokenError = $null }
        $env:IDENTITY_ENDPOINT = 'http://127.0.0.1:41000/msi/token'
        $env:IDENTITY_HEADER = 'sandbox-header-value'
        $env:AZURE_AUTHORITY_HOST = $null
    }
    AfterAll {
        $env:IDENTITY_ENDPOINT = $null; $env:IDENTITY_HEADER = $null; $env:AZURE_AUTHORITY_HOST = $null
    }

    Context 'customer mode' {
        It 'connects with the managed identity when DeploymentMode is absent (deployments before msp mode)' {
            Set-AutomationVariables
            Invoke-Runbook $Runbook @{ UserPrincipalName = $Upn } | Out-Null
            Should -Invoke Connect-ExchangeOnline -Times 1 -Exactly -ParameterFilter { $ManagedIdentity -and $Organization -eq 'contoso.onmicrosoft.com' -and -not $AccessToken }
            Should -Invoke Invoke-RestMethod -Times 0 -Exactly
        }

        It 'connects with the managed identity when DeploymentMode is customer' {
            Set-AutomationVariables @{ DeploymentMode = 'customer' }
            Invoke-Runbook $Runbook @{ UserPrincipalName = $Upn } | Out-Null
            Should -Invoke Connect-ExchangeOnline -Times 1 -Exactly -ParameterFilter { $ManagedIdentity -and -not $AccessToken }
        }

        It 'refuses an unknown DeploymentMode before connecting' {
            Set-AutomationVariables @{ DeploymentMode = 'shared' }
            { Invoke-Runbook $Runbook @{ UserPrincipalName = $Upn } } | Should -Throw "*DeploymentMode is 'shared'; it must be customer or msp*"
            Should -Invoke Connect-ExchangeOnline -Times 0 -Exactly
        }
    }

    Context 'msp mode' {
        It 'asks the Automation sandbox for the user-assigned identity''s token for api://AzureADTokenExchange' {
            Set-MspVariables
            Invoke-Runbook $Runbook @{ UserPrincipalName = $Upn; Organization = $Customer } | Out-Null
            Should -Invoke Invoke-RestMethod -Times 1 -Exactly -ParameterFilter {
                $Method -eq 'Get' -and
                $Uri -eq "http://127.0.0.1:41000/msi/token?resource=api%3A%2F%2FAzureADTokenExchange&client_id=$IdentityClientId" -and
                $Headers['X-IDENTITY-HEADER'] -eq 'sandbox-header-value'
            }
        }

        It 'exchanges it as client_assertion of the multi-tenant app in the customer''s tenant, for Exchange Online' {
            Set-MspVariables
            Invoke-Runbook $Runbook @{ UserPrincipalName = $Upn; Organization = $Customer } | Out-Null
            Should -Invoke Invoke-RestMethod -Times 1 -Exactly -ParameterFilter {
                $Method -eq 'Post' -and
                $Uri -eq "https://login.microsoftonline.com/$Customer/oauth2/v2.0/token" -and
                $ContentType -eq 'application/x-www-form-urlencoded' -and
                $Body.grant_type -eq 'client_credentials' -and
                $Body.client_id -eq $AppClientId -and
                $Body.scope -eq 'https://outlook.office365.com/.default' -and
                $Body.client_assertion_type -eq 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' -and
                $Body.client_assertion -eq $Assertion -and
                @($Body.Keys).Count -eq 5
            }
        }

        It 'connects with -AccessToken and -Organization, never -ManagedIdentity, and carries out the change' {
            Set-MspVariables
            $result = Get-RunbookResult (Invoke-Runbook $Runbook @{ UserPrincipalName = $Upn; Organization = $Customer })
            $result.outcome | Should -Be 'applied'
            Should -Invoke Connect-ExchangeOnline -Times 1 -Exactly -ParameterFilter { $AccessToken -eq $ExchangeToken -and $Organization -eq $Customer -and -not $ManagedIdentity -and -not $ShowBanner }
        }

        It 'writes no token to any stream' {
            Set-MspVariables
            $lines = Invoke-RunbookAllStreams @{ UserPrincipalName = $Upn; Organization = $Customer }
            $lines | Should -Contain "Connected to Exchange Online organization $Customer."
            ($lines -join "`n") | Should -Not -Match ([regex]::Escape($Assertion))
            ($lines -join "`n") | Should -Not -Match ([regex]::Escape($ExchangeToken))
        }

        It 'uses AZURE_AUTHORITY_HOST as the sign-in endpoint when set (the local sign-in stand-in)' {
            Set-MspVariables
            $env:AZURE_AUTHORITY_HOST = 'http://127.0.0.1:42000/'
            Invoke-Runbook $Runbook @{ UserPrincipalName = $Upn; Organization = $Customer } | Out-Null
            Should -Invoke Invoke-RestMethod -Times 1 -Exactly -ParameterFilter { $Method -eq 'Post' -and $Uri -eq "http://127.0.0.1:42000/$Customer/oauth2/v2.0/token" }
        }

        It 'refuses a job without -Organization, before any token is requested' {
            Set-MspVariables
            { Invoke-Runbook $Runbook @{ UserPrincipalName = $Upn } } | Should -Throw '*-Organization is required in msp mode*'
            Should -Invoke Invoke-RestMethod -Times 0 -Exactly
            Should -Invoke Connect-ExchangeOnline -Times 0 -Exactly
            Should -Invoke Get-AutomationVariable -Times 0 -Exactly -ParameterFilter { $Name -eq 'ExchangeOrganization' }
        }

        It 'refuses an organization that is not an initial onmicrosoft.com domain, before any token is requested' {
            Set-MspVariables
            { Invoke-Runbook $Runbook @{ UserPrincipalName = $Upn; Organization = 'fabrikam.com' } } | Should -Throw '*is not an initial <name>.onmicrosoft.com domain*'
            Should -Invoke Invoke-RestMethod -Times 0 -Exactly
        }

        It 'refuses without the MspAppClientId variable' {
            Set-AutomationVariables @{ DeploymentMode = 'msp'; MspIdentityClientId = $IdentityClientId }
            { Invoke-Runbook $Runbook @{ UserPrincipalName = $Upn; Organization = $Customer } } | Should -Throw '*needs the Automation variables MspIdentityClientId and MspAppClientId*'
            Should -Invoke Connect-ExchangeOnline -Times 0 -Exactly
        }

        It 'fails with Entra ID''s reason when the customer''s tenant refuses the exchange, and changes nothing' {
            Set-MspVariables
            # AADSTS700016: https://learn.microsoft.com/entra/identity-platform/reference-error-codes (app not found in the tenant: no consent)
            $mockState.tokenError = '{"error":"unauthorized_client","error_description":"AADSTS700016: Application with identifier ''' + $AppClientId + ''' was not found in the directory ''Fabrikam''.\r\nTrace ID: 0000 Correlation ID: 0000 Timestamp: 2026-12-06 12:00:00Z","error_codes":[700016]}'
            $lines = Invoke-RunbookAllStreams @{ UserPrincipalName = $Upn; Organization = $Customer }
            $thrown = @($lines | Where-Object { $_ -like 'THROWN:*' })
            $thrown | Should -HaveCount 1
            $thrown[0] | Should -BeLike "*The customer's tenant $Customer did not issue an Exchange Online token to the app $AppClientId`: AADSTS700016: Application with identifier*Check that the customer's Global Administrator granted admin consent*"
            $thrown[0] | Should -Not -BeLike '*Trace ID*'
            ($lines -join "`n") | Should -Not -Match ([regex]::Escape($Assertion))
            Should -Invoke Connect-ExchangeOnline -Times 0 -Exactly
            Should -Invoke Set-Mailbox -Times 0 -Exactly
            # The same reason, as the failed RESULT line the workflow reads: not connected, so nothing changed.
            $result = Get-FailedRunbookResult @($lines | Where-Object { $_ -notlike 'THROWN:*' })
            $result.message | Should -Be ($thrown[0].Substring(8))
            $result.details.exchangeConnected | Should -BeFalse
        }

        It 'a job refused before connecting writes a failed RESULT line with exchangeConnected false' {
            Set-MspVariables
            $run = Invoke-FailingRunbook $Runbook @{ UserPrincipalName = $Upn }
            $result = Get-FailedRunbookResult $run.lines
            $result.message | Should -BeLike '-Organization is required in msp mode*'
            $result.details.exchangeConnected | Should -BeFalse
        }
    }
}
