using 'main.bicep'

param baseName = 'contoso'
param notificationEmail = 'alerts@your-msp.example'
param exchangeOrganization = 'contoso.onmicrosoft.com'
param helpersAppClientId = '<client id from: az ad app create --display-name thread-intent-helpers --query appId -o tsv>'
