import { beforeAll, expect, it } from 'vitest';
import { checkInfra } from '../../scripts/infra/check.js';
import { describeWithTools } from '../support/tools.js';
import { managedAppSettings, moduleArgument, moduleTemplate, single, type ArmTemplate, type Json } from './arm-template.js';

/**
 * infra/main.bicep in msp mode (issue 13), checked on the compiled ARM JSON: a user-assigned identity (the
 * federated credential's subject, https://learn.microsoft.com/entra/workload-id/workload-identity-federation-config-app-trust-managed-identity)
 * attached to the three apps, the customers table, and no secret of any kind.
 */
describeWithTools('bicep')('infra/main.bicep, msp mode', () => {
  let main: ArmTemplate;
  beforeAll(async () => {
    main = (await checkInfra()).templates['main.json'] as ArmTemplate;
  }, 300_000);

  it('takes deploymentMode customer|msp (default customer) and the msp app client id', () => {
    expect(main.parameters?.deploymentMode).toMatchObject({ type: 'string', defaultValue: 'customer', allowedValues: ['customer', 'msp'] });
    expect(main.parameters?.mspAppClientId).toMatchObject({ type: 'string', defaultValue: '' });
  });

  it('creates the user-assigned identity only in msp mode and outputs its client and principal id', () => {
    const uami = single(main, 'Microsoft.ManagedIdentity/userAssignedIdentities');
    expect(uami.modulePath).toEqual(['mspIdentity']);
    const resources = main.resources as unknown;
    const list = Array.isArray(resources) ? (resources as Json[]) : Object.values(resources as Record<string, Json>);
    const module = list.find((r) => r.type === 'Microsoft.Resources/deployments' && String(r.name) === 'mspIdentity');
    expect(module?.condition).toBe("[variables('isMsp')]");
    expect(main.variables?.isMsp).toBe("[equals(parameters('deploymentMode'), 'msp')]");
    for (const name of ['mspIdentityClientId', 'mspIdentityPrincipalId', 'mspAppClientId', 'deploymentMode', 'customersTableName']) expect(main.outputs?.[name], name).toBeDefined();
  });

  it('attaches the identity to the Logic App, the helpers and Automation, next to their system-assigned identities', () => {
    for (const [module, type] of [['logicApp', 'Microsoft.Web/sites'], ['helpers', 'Microsoft.Web/sites'], ['automation', 'Microsoft.Automation/automationAccounts']] as const) {
      const { template } = moduleTemplate(main, module);
      const site = single(template, type).resource;
      expect(String(site.identity), module).toContain("'SystemAssigned, UserAssigned'");
      // Bicep folds a conditional argument into one expression for the whole parameter: "[if(isMsp, {value: <id>}, {value: ''})]".
      const parameters = (moduleTemplate(main, module).deployment.properties as Json).parameters as unknown;
      expect(String((parameters as Record<string, unknown>).userAssignedIdentityId), module).toMatch(/^\[if\(variables\('isMsp'\).*'mspIdentity'.*outputs\.id\.value/);
    }
  });

  it('gives both apps DEPLOYMENT_MODE, MSP_APP_CLIENT_ID and MSP_IDENTITY_CLIENT_ID, and no secret setting', () => {
    for (const module of ['logicApp', 'helpers']) {
      const settings = managedAppSettings(main, module);
      expect(Object.keys(settings)).toEqual(expect.arrayContaining(['DEPLOYMENT_MODE', 'MSP_APP_CLIENT_ID', 'MSP_IDENTITY_CLIENT_ID']));
      expect(Object.keys(settings).join(',')).not.toMatch(/SECRET|CERT|PASSWORD/i);
    }
  });

  it('creates the customers table only in msp mode', () => {
    const { template } = moduleTemplate(main, 'storage');
    const resources = template.resources as unknown;
    const list = Array.isArray(resources) ? (resources as Json[]) : Object.values(resources as Record<string, Json>);
    const tables = list.filter((r) => r.type === 'Microsoft.Storage/storageAccounts/tableServices/tables');
    const customers = tables.find((t) => String(t.name).includes("'customers'"));
    expect(customers?.condition).toBe("[parameters('createCustomersTable')]");
    // idempotency, onetimelinks, dispatches (lib/dispatch/store.ts): both modes.
    expect(tables.filter((t) => t.condition === undefined).map((t) => String(t.name).match(/'([a-z]+)'\)\]$/)?.[1] ?? t.name).sort()).toEqual(['dispatches', 'idempotency', 'onetimelinks']);
    expect(moduleArgument(main, 'storage', 'createCustomersTable')).toBe("[variables('isMsp')]");
  });
});
