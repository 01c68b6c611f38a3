import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { checkInfra, summaryLine, type InfraCheckReport } from '../../scripts/infra/check.js';
import { describeWithTools } from '../support/tools.js';
import {
  allResources,
  appSettingsDeployment,
  managedAppSettings,
  moduleArgument,
  moduleTemplate,
  resolveVariables,
  resourcesOfType,
  single,
  type ArmTemplate,
  type Json,
} from './arm-template.js';

/**
 * infra/main.bicep as the real Bicep compiler builds it: clean under the compiler and linter, and the compiled
 * ARM JSON does what issue 8 asks, each rule with the Microsoft Learn page it comes from.
 */
const ROOT = resolve(import.meta.dirname, '..', '..');

// The deploy command depends on these names (contract: infra/README.md, "Parameters" and "Outputs").
const CONTRACT_PARAMS = [
  'baseName',
  'location',
  'notificationEmail',
  'exchangeOrganization',
  'helpersAppClientId',
  'allowedCallerIps',
  'protectedGroups',
  'defaultUsageLocation',
  'allowExternalForwarding',
  'createStatusSigningKey',
  'logicAppExists',
];
const CONTRACT_OUTPUTS = [
  'logicAppName',
  'logicAppPrincipalId',
  'logicAppHostName',
  'helpersName',
  'helpersPrincipalId',
  'helpersHostName',
  'automationAccountName',
  'automationPrincipalId',
  'keyVaultName',
  'storageAccountName',
  'office365ConnectionName',
  'runtimeEnvironmentName',
  'runbookNames',
];

const ROLE = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
};

describeWithTools('bicep')('infra/main.bicep', () => {
  let report: InfraCheckReport;
  let main: ArmTemplate;

  beforeAll(async () => {
    report = await checkInfra();
    main = report.templates['main.json'] as ArmTemplate;
  }, 300_000);

  it('builds and lints with 0 errors and 0 unexplained warnings; every suppression says why', () => {
    const shown = [...report.errors, ...report.warnings].map((d) => `${d.file}(${d.line}) ${d.code}: ${d.message}`);
    expect(shown).toEqual([]);
    expect(report.problems).toEqual([]);
    expect(report.suppressions.every((s) => s.reason.length > 0 && s.hides.length > 0)).toBe(true);
    expect(summaryLine(report)).toMatch(/^bicep: 0 errors, 0 warnings \(\d+ suppressed with reasons\)$/);
    expect(report.files).toEqual(expect.arrayContaining(['main.bicep', 'main.bicepparam', 'modules/logic-app.bicep']));
  });

  it('bicep build-params infra/main.bicepparam works', () => {
    const params = report.parameters['main.json'] as { parameters: Record<string, unknown> };
    expect(Object.keys(params.parameters)).toEqual(expect.arrayContaining(['baseName', 'notificationEmail', 'exchangeOrganization', 'helpersAppClientId']));
  });

  it('keeps every parameter and output of the contract with the deploy command, each documented in infra/README.md', async () => {
    const readme = await readFile(join(ROOT, 'infra', 'README.md'), 'utf8');
    expect(Object.keys(main.parameters ?? {})).toEqual(expect.arrayContaining(CONTRACT_PARAMS));
    expect(Object.keys(main.outputs ?? {})).toEqual(expect.arrayContaining(CONTRACT_OUTPUTS));
    for (const name of [...Object.keys(main.parameters ?? {}), ...Object.keys(main.outputs ?? {})]) expect(readme, name).toContain(`\`${name}\``);
    expect(main.parameters?.allowExternalForwarding).toMatchObject({ type: 'bool', defaultValue: false });
    expect(main.parameters?.createStatusSigningKey).toMatchObject({ type: 'bool', defaultValue: true });
    expect(main.parameters?.logicAppExists).toMatchObject({ type: 'bool', defaultValue: false });
    expect(main.outputs?.runbookNames?.type).toBe('array');
  });

  // BCP120: https://learn.microsoft.com/azure/azure-resource-manager/bicep/diagnostics/bcp120 (a resource name must be
  // computable when the deployment starts). Module parameters count as known: ARM evaluates them before the module runs.
  it("derives no resource name from a runtime value (reference(), list*(), a resource's identity)", () => {
    for (const { modulePath, resource } of allResources(main)) {
      const name = String(resource.name);
      expect(name, `${modulePath.join('/')}: ${String(resource.type)}`).not.toMatch(/\b(reference|list\w*)\(|identity\.principalId/i);
    }
    const access = single(main, 'Microsoft.Web/connections/accessPolicies');
    expect(String(access.resource.name)).toContain("guid(resourceId('Microsoft.Web/sites'");
  });

  // https://learn.microsoft.com/azure/azure-functions/functions-reference#connecting-to-host-storage-with-an-identity
  it("gives the helpers' identity the host-storage roles on the storage account, and the helpers no storage key", () => {
    const { template: rbac } = moduleTemplate(main, 'rbac');
    const onStorage = resourcesOfType(rbac, 'Microsoft.Authorization/roleAssignments').filter(
      (r) => String(r.resource.scope).includes('Microsoft.Storage/storageAccounts') && (r.resource.properties as Json).principalId === "[parameters('helpersPrincipalId')]",
    );
    const roleIds = onStorage.flatMap(({ resource }) => {
      const roleDefinitionId = String((resource.properties as Json).roleDefinitionId);
      const copied = /variables\('([^']+)'\)\[copyIndex\(\)\]/.exec(roleDefinitionId);
      if (copied) return resolveVariables(rbac, rbac.variables?.[copied[1]!]) as string[];
      const literal = /variables\('roles'\)\.(\w+)/.exec(roleDefinitionId);
      return [resolveVariables(rbac, `[variables('roles').${literal?.[1]}]`) as string];
    });
    expect(roleIds.sort()).toEqual(Object.values(ROLE).sort());
    expect(moduleArgument(main, 'rbac', 'helpersPrincipalId')).toContain("'helpers'");

    const settings = managedAppSettings(main, 'helpers');
    expect(settings).not.toHaveProperty('AzureWebJobsStorage');
    expect(JSON.stringify(settings)).not.toMatch(/listKeys|AccountKey/);
    expect(Object.keys(settings)).toEqual(expect.arrayContaining(['AzureWebJobsStorage__blobServiceUri', 'AzureWebJobsStorage__queueServiceUri', 'AzureWebJobsStorage__tableServiceUri']));
  });

  // Conditional resources: https://learn.microsoft.com/azure/azure-resource-manager/bicep/conditional-resource-deployment
  // newGuid() only as a parameter default: https://learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-functions-string#newguid
  it('creates status-url-signing-key only when createStatusSigningKey is true, generates it in the deployment, never outputs it', () => {
    const { template: kv } = moduleTemplate(main, 'keyVault');
    const secret = single(main, 'Microsoft.KeyVault/vaults/secrets').resource;
    expect(String(secret.name)).toContain('status-url-signing-key');
    expect(secret.condition).toBe("[parameters('createStatusSigningKey')]");
    expect(moduleArgument(main, 'keyVault', 'createStatusSigningKey')).toBe("[parameters('createStatusSigningKey')]");
    expect(kv.parameters?.statusUrlSigningKey).toMatchObject({ type: 'securestring' });
    expect(String(kv.parameters?.statusUrlSigningKey?.defaultValue)).toMatch(/newGuid\(\).*newGuid\(\)/);
    expect(moduleArgument(main, 'keyVault', 'statusUrlSigningKey')).toBeUndefined(); // nobody passes a value in
    expect(main.parameters).not.toHaveProperty('statusUrlSigningKey');
    const outputs = [main, ...allResources(main).filter((r) => r.resource.type === 'Microsoft.Resources/deployments').map((r) => (r.resource.properties as Json).template as ArmTemplate)].flatMap(
      (t) => Object.values(t.outputs ?? {}),
    );
    for (const output of outputs) expect(JSON.stringify(output)).not.toMatch(/statusUrlSigningKey|secrets|listKeys/i);
  });

  // https://learn.microsoft.com/azure/automation/manage-runtime-environment (runtime environment, packages,
  // runbook "runtimeEnvironment", API version 2024-10-23)
  it('runs every runbook in a PowerShell 7.4 runtime environment that carries ExchangeOnlineManagement 3.5.1', async () => {
    const env = single(main, 'Microsoft.Automation/automationAccounts/runtimeEnvironments');
    expect((env.resource.properties as Json).runtime).toEqual({ language: 'PowerShell', version: '7.4' });
    expect(env.resource.apiVersion).toBe('2024-10-23');
    const pkg = single(main, 'Microsoft.Automation/automationAccounts/runtimeEnvironments/packages').resource;
    expect(String(pkg.name)).toContain('ExchangeOnlineManagement');
    expect(((pkg.properties as Json).contentLink as Json).uri).toBe('https://www.powershellgallery.com/api/v2/package/ExchangeOnlineManagement/3.5.1');
    expect(resourcesOfType(main, 'Microsoft.Automation/automationAccounts/powerShell72Modules')).toEqual([]);

    const runbooks = single(main, 'Microsoft.Automation/automationAccounts/runbooks');
    const props = runbooks.resource.properties as Json;
    expect(props.runbookType).toBe('PowerShell');
    expect(resolveVariables(runbooks.template, props.runtimeEnvironment)).toBe('PowerShell-74-ExchangeOnline');
    expect(String(env.resource.name)).toContain("variables('runtimeEnvironmentName')");
    expect(runbooks.resource.apiVersion).toBe('2024-10-23');

    const onDisk = (await readdir(join(ROOT, 'runbooks'))).filter((f) => f.endsWith('.ps1')).map((f) => f.replace(/\.ps1$/, '')).sort();
    expect([...(main.variables?.runbookNames as string[])].sort()).toEqual(onDisk);
  });

  it('passes allowExternalForwarding to the runbooks (Automation variable) and to both apps (ALLOW_EXTERNAL_FORWARDING)', () => {
    const variable = resourcesOfType(main, 'Microsoft.Automation/automationAccounts/variables').find((r) => String(r.resource.name).includes('AllowExternalForwarding'));
    expect(JSON.stringify(variable?.resource.properties)).toContain("parameters('allowExternalForwarding')");
    for (const app of ['logicApp', 'helpers']) {
      expect(managedAppSettings(main, app).ALLOW_EXTERNAL_FORWARDING, app).toContain("parameters('allowExternalForwarding')");
      expect(moduleArgument(main, app, 'allowExternalForwarding'), app).toBe("[parameters('allowExternalForwarding')]");
    }
  });

  // https://learn.microsoft.com/azure/azure-functions/flex-consumption-plan (Node.js 22, timer triggers, Easy Auth);
  // https://learn.microsoft.com/azure/azure-functions/functions-app-settings#flex-consumption-plan-deprecations;
  // Logic Apps Standard needs a Workflow Standard plan: https://learn.microsoft.com/azure/logic-apps/single-tenant-overview-compare
  it('hosts the helpers on Flex Consumption (Node.js 22, identity deployment storage, Easy Auth) and the workflows on WS1', () => {
    const plans = resourcesOfType(main, 'Microsoft.Web/serverfarms').map((r) => r.resource.sku);
    expect(plans).toEqual(expect.arrayContaining([{ name: 'FC1', tier: 'FlexConsumption' }, { tier: 'WorkflowStandard', name: 'WS1' }]));

    const helpers = resourcesOfType(main, 'Microsoft.Web/sites').find((r) => r.modulePath.includes('helpers'))!;
    expect(helpers.resource.kind).toBe('functionapp,linux');
    const config = (helpers.resource.properties as Json).functionAppConfig as Json;
    expect(config.runtime).toEqual({ name: 'node', version: '22' });
    expect(((config.deployment as Json).storage as Json).authentication).toEqual({ type: 'SystemAssignedIdentity' });
    const settings = managedAppSettings(main, 'helpers');
    for (const refused of ['FUNCTIONS_WORKER_RUNTIME', 'FUNCTIONS_EXTENSION_VERSION', 'WEBSITE_RUN_FROM_PACKAGE', 'WEBSITE_NODE_DEFAULT_VERSION']) expect(settings).not.toHaveProperty(refused);
    const auth = resourcesOfType(main, 'Microsoft.Web/sites/config').find((r) => r.modulePath.includes('helpers'));
    expect(String(auth?.resource.name)).toContain('authsettingsV2');
  });

  // Issue 8: a redeployment never wipes settings. A PUT of Microsoft.Web/sites/config 'appsettings' (or of
  // siteConfig.appSettings) sets the whole list (https://learn.microsoft.com/azure/templates/microsoft.web/sites/config-appsettings),
  // so each app's settings are written as union(<current settings read with list()>, <managed settings>); union():
  // a later object's property wins (https://learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-functions-object#union).
  it("applies both apps' settings as a merge: union(list(<site>/config/appsettings), managed), read after the site exists", () => {
    for (const app of ['logicApp', 'helpers']) {
      const { deployment } = appSettingsDeployment(main, app);
      const props = deployment.properties as Json;
      const params = props.parameters as Record<string, { value: unknown }>;
      expect(params.currentSettings?.value, app).toBe("[list(format('{0}/config/appsettings', resourceId('Microsoft.Web/sites', parameters('name'))), '2025-03-01').properties]");
      expect(params.siteName?.value, app).toBe("[parameters('name')]");
      // list() runs when the module starts: after the site is created or updated, also on a first deployment.
      expect(deployment.dependsOn, app).toContain("[resourceId('Microsoft.Web/sites', parameters('name'))]");

      const inner = props.template as ArmTemplate;
      expect(inner.parameters?.currentSettings?.type, app).toBe('secureObject'); // kept out of the deployment's recorded inputs
      expect(inner.parameters?.managedSettings?.type, app).toBe('secureObject');
      const configs = resourcesOfType(inner, 'Microsoft.Web/sites/config');
      expect(configs, app).toHaveLength(1);
      expect(String(configs[0]!.resource.name)).toContain("'appsettings'");
      expect((configs[0]!.resource.properties as unknown), app).toBe("[union(parameters('currentSettings'), parameters('managedSettings'))]");
    }
    // The only config resources besides the two merges: the helpers' Easy Auth, written after the settings.
    const others = resourcesOfType(main, 'Microsoft.Web/sites/config').filter((r) => !String(r.resource.name).includes("'appsettings'"));
    expect(others.map((r) => String(r.resource.name))).toEqual([expect.stringContaining('authsettingsV2')]);
    expect(others[0]!.resource.dependsOn).toContain("[resourceId('Microsoft.Resources/deployments', format('appSettings-{0}', parameters('name')))]");
  });

  // The Logic App's content share is created with the site from WEBSITE_CONTENTAZUREFILECONNECTIONSTRING/_CONTENTSHARE;
  // set later through sites/config it is not (Microsoft's answer: github.com/MicrosoftDocs/azure-docs/issues/36458).
  it('sends no settings list with a site that would replace settings: none for the helpers, the Logic App only while logicAppExists is false', () => {
    const helpers = resourcesOfType(main, 'Microsoft.Web/sites').find((r) => r.modulePath.includes('helpers'))!;
    expect((helpers.resource.properties as Json).siteConfig).not.toHaveProperty('appSettings');

    const logicApp = resourcesOfType(main, 'Microsoft.Web/sites').find((r) => r.modulePath.includes('logicApp'))!;
    const siteConfig = String((logicApp.resource.properties as Json).siteConfig);
    expect(siteConfig).toMatch(/^\[shallowMerge\(createArray\(createObject\('netFrameworkVersion'/);
    expect(siteConfig).toContain("if(parameters('exists'), createObject(), createObject('appSettings', map(items(");
    expect(moduleArgument(main, 'logicApp', 'exists')).toBe("[parameters('logicAppExists')]");
    // The list sent with a new site is the same managed set the merge applies afterwards.
    for (const name of Object.keys(managedAppSettings(main, 'logicApp'))) expect(siteConfig, name).toContain(`'${name}'`);

    // Nowhere else does a settings list appear (siteConfig of any site, config 'web', a slot).
    const text = JSON.stringify(main);
    expect(text.match(/appSettings'?"?\s*[:,]/g) ?? []).toHaveLength(1);
  });

  it('documents in infra/README.md exactly the names each app manages; the Logic App keeps its storage key only there', async () => {
    const readme = await readFile(join(ROOT, 'infra', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## App settings: merged, never replaced'));
    expect(section.length).toBeLessThan(readme.length);
    const listed = (label: string): string[] => {
      const line = section.split('\n').find((l) => l.startsWith(`- ${label} manages`)) ?? '';
      return [...line.matchAll(/`([A-Za-z0-9_]+)`/g)].map((m) => m[1]!).sort();
    };
    expect(listed('The Logic App')).toEqual(Object.keys(managedAppSettings(main, 'logicApp')).sort());
    expect(listed('The helpers app')).toEqual(Object.keys(managedAppSettings(main, 'helpers')).sort());
    expect(JSON.stringify(managedAppSettings(main, 'logicApp').AzureWebJobsStorage)).toContain('listKeys');
    expect(JSON.stringify(managedAppSettings(main, 'helpers'))).not.toMatch(/listKeys|AccountKey/);
  });

  // Variables are child resources of their own: a deployment writes the two it declares and leaves any other alone
  // (incremental mode: https://learn.microsoft.com/azure/azure-resource-manager/templates/deployment-modes).
  it('writes exactly the five Automation variables, from the deploy options (deploy-managed)', () => {
    const variables = resourcesOfType(main, 'Microsoft.Automation/automationAccounts/variables').map((r) => r.resource);
    expect(variables.map((v) => String(v.name)).sort()).toEqual(
      ['AllowExternalForwarding', 'DeploymentMode', 'ExchangeOrganization', 'MspAppClientId', 'MspIdentityClientId'].map((n) => expect.stringContaining(`'${n}'`)),
    );
    expect(moduleArgument(main, 'automation', 'exchangeOrganization')).toBe("[parameters('exchangeOrganization')]");
    expect(moduleArgument(main, 'automation', 'allowExternalForwarding')).toBe("[parameters('allowExternalForwarding')]");
    // How the runbooks connect to Exchange Online (runbooks/shared/ExchangeConnection.ps1).
    expect(moduleArgument(main, 'automation', 'deploymentMode')).toBe("[parameters('deploymentMode')]");
    expect(moduleArgument(main, 'automation', 'mspAppClientId')).toBe("[parameters('mspAppClientId')]");
    // Bicep folds the conditional argument into one expression for the whole parameter (as msp-mode.test.ts notes).
    const automationParameters = (moduleTemplate(main, 'automation').deployment.properties as { parameters: Record<string, unknown> }).parameters;
    expect(String(automationParameters.mspIdentityClientId)).toMatch(/^\[if\(variables\('isMsp'\).*'mspIdentity'.*outputs\.clientId\.value/);
  });

  // Metric: https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-web-sites-metrics
  // Alert resource: https://learn.microsoft.com/azure/azure-monitor/alerts/resource-manager-alerts-metric
  it('mails notificationEmail when a workflow run fails (action group + metric alert on the Logic App)', () => {
    const group = single(main, 'Microsoft.Insights/actionGroups').resource;
    expect((group.properties as Json).emailReceivers).toEqual([expect.objectContaining({ emailAddress: "[parameters('notificationEmail')]" })]);
    expect(moduleArgument(main, 'alerts', 'notificationEmail')).toBe("[parameters('notificationEmail')]");

    const alert = single(main, 'Microsoft.Insights/metricAlerts').resource;
    const props = alert.properties as Json;
    const [criterion] = (props.criteria as Json).allOf as Json[];
    expect(criterion).toMatchObject({ metricNamespace: 'Microsoft.Web/sites', metricName: 'WorkflowRunsFailureRate', operator: 'GreaterThan', threshold: 0, timeAggregation: 'Total' });
    expect(props.scopes).toEqual(["[parameters('logicAppId')]"]);
    expect(String(moduleArgument(main, 'alerts', 'logicAppId'))).toContain("'logicApp'");
    expect(JSON.stringify(props.actions)).toContain('Microsoft.Insights/actionGroups');
  });
});
