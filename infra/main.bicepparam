using 'main.bicep'

param baseName = 'contoso'
param notificationEmail = 'alerts@your-msp.example'
param exchangeOrganization = 'contoso.onmicrosoft.com'
