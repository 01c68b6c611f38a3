// A recording stand-in for the Azure CLI (`az`), used by test/deploy. Put this folder first on PATH; every call
// appends its arguments as one JSON line to $FAKE_AZ_LOG and answers from the JSON state in $FAKE_AZ_STATE the
// way the real CLI answers: JSON on stdout for -o json, raw text for non-JSON `az rest` answers, nothing for
// empty answers, "ERROR: …" on stderr with exit code 3 for show commands that find nothing
// (https://github.com/Azure/azure-cli/issues/6612) and exit code 1 for other failures, `az rest` HTTP errors
// printed as `<Reason>(<body>)` (azure-cli `send_raw_request`). It knows only the commands the deploy command
// runs; anything else fails loudly so a typo cannot pass.
// Sources of the answers it mimics:
// - az rest prints non-JSON bodies (text/powershell runbook content) as text: azure-cli util/custom.py `rest_call`.
// - Runbook draft replace-content and publish answer 202 with no body:
//   https://learn.microsoft.com/rest/api/automation/runbook-draft/replace-content,
//   https://learn.microsoft.com/rest/api/automation/runbook/publish
// - listCallbackUrl answers { value, method, basePath, queries{…, sig} }:
//   https://learn.microsoft.com/rest/api/appservice/workflow-triggers/list-callback-url
// - what-if --no-pretty-print answers a WhatIfOperationResult { status, changes[{ resourceId, changeType, delta }] }:
//   https://learn.microsoft.com/rest/api/resources/deployments/what-if-at-resource-group
// - ARM describes Key Vault secrets without their value: https://learn.microsoft.com/azure/templates/microsoft.keyvault/vaults/secrets
// - Graph: missing object → Request_ResourceNotFound "Resource '…' does not exist or one of its queried
//   reference-property objects are not present." (https://learn.microsoft.com/graph/errors); a repeated app role
//   assignment → 400 "Permission being assigned already exists on the object" and a repeated directory role
//   assignment → 400 "A conflicting object …" (undocumented: as commonly reported; the deploy command never sends
//   a repeat, these answers only make a regression loud).
// - `az ad app update` prints nothing on success (undocumented: the command returns no object).
// - App settings (infra/README.md, "App settings: merged, never replaced"; test/infra checks that the compiled
//   template declares exactly this): the Logic App's settings are sent with the site only while logicAppExists is
//   not true, and such a list replaces every setting (https://learn.microsoft.com/azure/templates/microsoft.web/sites);
//   then each app's Microsoft.Web/sites/config 'appsettings' is union(current settings, managed settings), the
//   managed value winning (https://learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-functions-object#union).
//   A Logic App created without its settings never gets its content share (Microsoft's answer in
//   github.com/MicrosoftDocs/azure-docs/issues/36458): the fake records that as `contentShareMissing`. Only a few
//   managed names are modelled, with values derived from the parameters as the template derives them.
// - what-if reports a changed setting as a Modify of `<site>/config/appsettings` with one delta per name, carrying
//   before/after values as a WhatIfPropertyChange does (the deploy command must print neither).
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash, randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { inflateRawSync } from 'node:zlib';

const argv = process.argv.slice(2);
const statePath = process.env.FAKE_AZ_STATE;
const logPath = process.env.FAKE_AZ_LOG;
if (!statePath || !logPath) fail(2, 'fake az: FAKE_AZ_STATE and FAKE_AZ_LOG must be set');
appendFileSync(logPath, JSON.stringify(argv) + '\n');
const state = JSON.parse(readFileSync(statePath, 'utf8'));

function save() {
  writeFileSync(statePath, JSON.stringify(state, null, 2));
}
function fail(code, message) {
  process.stderr.write(message.endsWith('\n') ? message : `${message}\n`);
  process.exit(code);
}
function answer(value) {
  save();
  if (value !== undefined) process.stdout.write(typeof value === 'string' ? `${value}\n` : `${JSON.stringify(value, null, 2)}\n`);
  process.exit(0);
}
function notFoundArm(code, message) {
  save();
  fail(3, `ERROR: (${code}) ${message}\nCode: ${code}\nMessage: ${message}`);
}
function httpError(reason, body) {
  save();
  fail(1, `ERROR: ${reason}(${JSON.stringify(body)})`);
}

// --- arguments -----------------------------------------------------------------------------------------------
const words = [];
let i = 0;
while (i < argv.length && !argv[i].startsWith('-')) words.push(argv[i++]);
const opts = {};
const flags = new Set();
while (i < argv.length) {
  const name = argv[i++];
  if (!name.startsWith('-')) fail(2, `fake az: unexpected positional '${name}' in: az ${argv.join(' ')}`);
  const values = [];
  while (i < argv.length && !argv[i].startsWith('-')) values.push(argv[i++]);
  if (values.length === 0) flags.add(name);
  else opts[name] = values;
}
const one = (name) => opts[name]?.[0];
const command = words.join(' ');

if (!flags.has('--only-show-errors') || one('-o') !== 'json') {
  fail(2, `fake az: every call must end with --only-show-errors -o json (got: az ${argv.join(' ')})`);
}

// --- injected failures: { match, remaining, exitCode, stderr } -----------------------------------------------
for (const failure of state.failures ?? []) {
  if (failure.remaining > 0 && argv.join(' ').includes(failure.match)) {
    failure.remaining--;
    save();
    fail(failure.exitCode ?? 1, failure.stderr ?? 'ERROR: injected failure');
  }
}

if (!state.loggedIn) fail(1, "ERROR: Please run 'az login' to setup account.");

const sub = state.subscription;
function requireSubscription() {
  const given = one('--subscription');
  if (given === undefined) fail(2, `fake az: ARM command without --subscription: az ${argv.join(' ')}`);
  if (given !== sub.id && given !== sub.name) fail(1, `ERROR: Subscription '${given}' not found. Check the spelling and casing and try again.`);
}
const rgId = (name) => `/subscriptions/${sub.id}/resourceGroups/${name}`;
function requireGroup(name) {
  const group = state.groups[name];
  if (!group) notFoundArm('ResourceGroupNotFound', `Resource group '${name}' could not be found.`);
  return group;
}
const key = (id) => id.toLowerCase();
const suffixOf = (id) => createHash('sha256').update(key(id)).digest('hex').slice(0, 6);

// --- zip reading (checks the deploy command's zips the way Kudu would unpack them) ---------------------------
function readZip(path) {
  const buf = readFileSync(path);
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) fail(1, `ERROR: ${path} is not a zip file`);
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const files = {};
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) fail(1, `ERROR: ${path}: bad central directory`);
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLength = buf.readUInt16LE(at + 28);
    const extra = buf.readUInt16LE(at + 30);
    const comment = buf.readUInt16LE(at + 32);
    const offset = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLength);
    const dataAt = offset + 30 + buf.readUInt16LE(offset + 26) + buf.readUInt16LE(offset + 28);
    const body = buf.subarray(dataAt, dataAt + size);
    files[name] = (method === 8 ? inflateRawSync(body) : body).toString('utf8');
    at += 46 + nameLength + extra + comment;
  }
  return files;
}

// --- commands ------------------------------------------------------------------------------------------------
switch (command) {
  case 'account show': {
    const given = one('--subscription');
    if (given !== undefined && given !== sub.id && given !== sub.name) {
      const other = (state.otherSubscriptions ?? []).find((s) => s.id === given || s.name === given);
      if (!other) fail(1, `ERROR: Subscription '${given}' not found. Check the spelling and casing and try again.`);
      answer({ ...other, user: state.user, state: 'Enabled', isDefault: false });
    }
    answer({ id: sub.id, name: sub.name, tenantId: sub.tenantId, user: state.user, state: 'Enabled', isDefault: true, environmentName: 'AzureCloud' });
  }
  case 'group show': {
    requireSubscription();
    answer(requireGroup(one('--name')));
  }
  case 'group create': {
    requireSubscription();
    const name = one('--name');
    const group = state.groups[name] ?? { id: rgId(name), name, location: one('--location'), properties: { provisioningState: 'Succeeded' }, tags: null, type: 'Microsoft.Resources/resourceGroups' };
    state.groups[name] = group;
    answer(group);
  }
  case 'ad app list': {
    const m = /^displayName eq '(.*)'$/.exec(one('--filter') ?? '');
    if (!m) fail(2, `fake az: ad app list needs --filter "displayName eq '…'"`);
    answer(state.apps.filter((a) => a.displayName === m[1].replace(/''/g, "'")));
  }
  case 'ad app show': {
    const id = one('--id');
    const app = state.apps.find((a) => a.appId === id || a.id === id);
    if (!app) fail(3, `ERROR: Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
    answer(app);
  }
  case 'ad app create': {
    const app = { id: randomUUID(), appId: randomUUID(), displayName: one('--display-name'), signInAudience: one('--sign-in-audience'), identifierUris: [] };
    // --required-resource-accesses takes the JSON (or @file) of requiredResourceAccess (az ad app create --help).
    if (opts['--required-resource-accesses']) app.requiredResourceAccess = JSON.parse(one('--required-resource-accesses'));
    state.apps.push(app);
    answer(app);
  }
  case 'ad app update': {
    const app = state.apps.find((a) => a.appId === one('--id') || a.id === one('--id'));
    if (!app) fail(3, `ERROR: Resource '${one('--id')}' does not exist or one of its queried reference-property objects are not present.`);
    if (opts['--identifier-uris']) app.identifierUris = opts['--identifier-uris'];
    if (opts['--sign-in-audience']) app.signInAudience = one('--sign-in-audience');
    if (opts['--required-resource-accesses']) app.requiredResourceAccess = JSON.parse(one('--required-resource-accesses'));
    answer(undefined); // az ad app update prints nothing
  }
  // Federated identity credentials of an app (az ad app federated-credential; Graph federatedIdentityCredential:
  // https://learn.microsoft.com/graph/api/resources/federatedidentitycredentials-overview).
  case 'ad app federated-credential list':
  case 'ad app federated-credential create':
  case 'ad app federated-credential update': {
    const app = state.apps.find((a) => a.appId === one('--id') || a.id === one('--id'));
    if (!app) fail(3, `ERROR: Resource '${one('--id')}' does not exist or one of its queried reference-property objects are not present.`);
    app.federatedIdentityCredentials ??= [];
    if (command.endsWith('list')) answer(app.federatedIdentityCredentials);
    const body = JSON.parse(one('--parameters'));
    if (command.endsWith('create')) {
      if (app.federatedIdentityCredentials.some((c) => c.name === body.name)) fail(1, 'ERROR: FederatedIdentityCredential with name ' + body.name + ' already exists.');
      const created = { id: randomUUID(), ...body };
      app.federatedIdentityCredentials.push(created);
      answer(created);
    }
    const existing = app.federatedIdentityCredentials.find((c) => c.name === one('--federated-credential-id') || c.id === one('--federated-credential-id'));
    if (!existing) fail(3, `ERROR: Resource '${one('--federated-credential-id')}' does not exist.`);
    Object.assign(existing, body);
    answer(undefined);
  }
  case 'storage entity insert':
  case 'storage entity merge':
  case 'storage entity show':
  case 'storage entity query': {
    // Azure Table entities (az storage entity; --auth-mode login = the signed-in user's Entra token, no account key).
    if (one('--auth-mode') !== 'login') fail(2, 'fake az: the customers registry is reached with --auth-mode login, never a key');
    if (opts['--account-key'] || opts['--connection-string'] || opts['--sas-token']) fail(2, 'fake az: no key, connection string or SAS for the registry');
    const table = ((state.tables ??= {})[`${one('--account-name')}/${one('--table-name')}`] ??= []);
    if (command.endsWith('query')) {
      const f = one('--filter');
      const m = f ? /^(\w+) eq '(.*)'$/.exec(f) : null;
      if (f && !m) fail(2, `fake az: unsupported --filter ${f}`);
      answer({ items: table.filter((e) => !m || e[m[1]] === m[2].replace(/''/g, "'")), nextMarker: {} });
    }
    if (command.endsWith('show')) {
      const e = table.find((x) => x.PartitionKey === one('--partition-key') && x.RowKey === one('--row-key'));
      if (!e) fail(3, 'ERROR: The specified resource does not exist.');
      answer(e);
    }
    const entity = {};
    for (const pair of opts['--entity'] ?? []) {
      const at = pair.indexOf('=');
      entity[pair.slice(0, at)] = pair.slice(at + 1);
    }
    const existing = table.find((x) => x.PartitionKey === entity.PartitionKey && x.RowKey === entity.RowKey);
    if (command.endsWith('insert')) {
      if (existing) fail(1, 'ERROR: The specified entity already exists.');
      table.push(entity);
      answer({ etag: 'W/"1"' });
    }
    if (!existing) fail(3, 'ERROR: The specified resource does not exist.');
    Object.assign(existing, entity);
    answer({ etag: 'W/"2"' });
  }
  case 'ad sp list': {
    const m = /^appId eq '(.*)'$/.exec(one('--filter') ?? '');
    if (!m) fail(2, `fake az: ad sp list needs --filter "appId eq '…'"`);
    answer(state.servicePrincipals.filter((s) => s.appId === m[1]));
  }
  case 'ad sp create': {
    const app = state.apps.find((a) => a.appId === one('--id'));
    if (!app) fail(3, `ERROR: Resource '${one('--id')}' does not exist or one of its queried reference-property objects are not present.`);
    if (state.servicePrincipals.some((s) => s.appId === app.appId)) {
      fail(1, 'ERROR: Another object with the same value for property servicePrincipalNames already exists.');
    }
    const sp = { id: randomUUID(), appId: app.appId, displayName: app.displayName, appRoles: [], servicePrincipalType: 'Application' };
    state.servicePrincipals.push(sp);
    answer(sp);
  }
  case 'resource list': {
    requireSubscription();
    const group = requireGroup(one('--resource-group'));
    const type = one('--resource-type');
    answer(Object.values(state.resources).filter((r) => r.resourceGroup === group.name && (!type || r.type === type) && !r.type.includes('/secrets')));
  }
  case 'resource show': {
    const id = one('--ids');
    const resource = state.resources[key(id)];
    if (!resource) notFoundArm('ResourceNotFound', `The Resource '${id.split('/providers/')[1]}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);
    answer(resource);
  }
  case 'deployment group list': {
    requireSubscription();
    requireGroup(one('--resource-group'));
    answer(state.deployments.filter((d) => d.resourceGroup === one('--resource-group')));
  }
  case 'deployment group what-if':
  case 'deployment group create': {
    requireSubscription();
    const group = requireGroup(one('--resource-group'));
    if (one('--template-file') !== 'infra/main.bicep' || !existsSync(resolve(process.cwd(), 'infra/main.bicep'))) {
      fail(1, `ERROR: Unable to read --template-file ${one('--template-file')} from ${process.cwd()}`);
    }
    const params = {};
    for (const pair of opts['--parameters'] ?? []) {
      const at = pair.indexOf('=');
      const [k, raw] = [pair.slice(0, at), pair.slice(at + 1)];
      const typed = ['allowedCallerIps', 'allowExternalForwarding', 'createStatusSigningKey', 'logicAppExists'].includes(k);
      params[k] = { type: typed ? (k === 'allowedCallerIps' ? 'Array' : 'Bool') : 'String', value: typed ? JSON.parse(raw) : raw };
    }
    const missing = ['baseName', 'notificationEmail', 'exchangeOrganization', 'helpersAppClientId'].filter((k) => !(k in params));
    if (missing.length) fail(1, `ERROR: Deployment template validation failed: 'The value for the template parameter '${missing[0]}' is not provided.'`);
    const base = params.baseName.value;
    const suffix = suffixOf(group.id);
    const prov = `${group.id}/providers`;
    const logicAppName = `logic-${base}-${suffix}`;
    const helpersName = `func-${base}-${suffix}`;
    const siteIdOf = (name) => `${prov}/Microsoft.Web/sites/${name}`;
    const managed = managedSettings(params, { logicAppName, helpersName, storageAccountName: `st${base}${suffix}` });
    if (command.endsWith('what-if')) {
      // Without --no-pretty-print the CLI prints coloured text and then the JSON as well; the deploy command asks for JSON.
      if (!flags.has('--no-pretty-print')) fail(2, 'fake az: what-if is read as JSON: pass --no-pretty-print');
      const site = siteIdOf(logicAppName);
      const vault = `${prov}/Microsoft.KeyVault/vaults/kv-${base}-${suffix}`;
      let changes;
      if (!state.resources[key(site)]) changes = [{ resourceId: site, changeType: 'Create' }, { resourceId: vault, changeType: 'Create' }];
      else {
        // A drift set by a test stands for a change made by hand outside the settings (e.g. an access restriction).
        changes = [
          state.drift ? { resourceId: site, changeType: 'Modify', delta: [{ path: 'properties.siteConfig.ipSecurityRestrictions', propertyChangeType: 'Modify' }] } : { resourceId: site, changeType: 'NoChange' },
          { resourceId: vault, changeType: 'NoChange' },
        ];
        for (const [name, settings] of [[logicAppName, managed.logicApp], [helpersName, managed.helpers]]) {
          const current = state.sites[name]?.appSettings ?? {};
          const delta = Object.entries(settings)
            .filter(([k, v]) => current[k] !== v)
            .map(([k, v]) => ({ path: `properties.${k}`, propertyChangeType: k in current ? 'Modify' : 'Create', before: current[k], after: v }));
          if (delta.length > 0) changes.push({ resourceId: `${siteIdOf(name)}/config/appsettings`, changeType: 'Modify', delta });
        }
      }
      answer({ status: 'Succeeded', changes });
    }
    const put = (id, type, extra = {}) => {
      const existing = state.resources[key(id)];
      state.resources[key(id)] = { ...(existing ?? {}), id, name: id.split('/').pop(), type, resourceGroup: group.name, ...extra };
      return state.resources[key(id)];
    };
    const principal = (role) => {
      state.principals[role] ??= randomUUID();
      const pid = state.principals[role];
      if (!state.servicePrincipals.some((s) => s.id === pid)) state.servicePrincipals.push({ id: pid, appId: randomUUID(), displayName: role, servicePrincipalType: 'ManagedIdentity', appRoles: [] });
      return pid;
    };
    const vaultId = `${prov}/Microsoft.KeyVault/vaults/kv-${base}-${suffix}`;
    put(vaultId, 'Microsoft.KeyVault/vaults');
    if (params.createStatusSigningKey?.value !== false) {
      // Bicep writes the secret whenever createStatusSigningKey is true: a second write would replace the key.
      put(`${vaultId}/secrets/status-url-signing-key`, 'Microsoft.KeyVault/vaults/secrets', { properties: { attributes: { enabled: true } } });
      state.signingKeyWrites = (state.signingKeyWrites ?? 0) + 1;
    }
    const automationName = `aa-${base}`;
    const logicAppIsNew = !state.resources[key(siteIdOf(logicAppName))];
    put(siteIdOf(logicAppName), 'Microsoft.Web/sites');
    put(siteIdOf(helpersName), 'Microsoft.Web/sites');
    const connectionId = `${prov}/Microsoft.Web/connections/office365`;
    if (!state.resources[key(connectionId)]) put(connectionId, 'Microsoft.Web/connections', { properties: { statuses: [{ status: 'Error', target: 'token' }] } });
    const runbookNames = (state.runbookNames ?? []).slice();
    for (const name of runbookNames) state.runbooks[name] ??= { state: 'New', runtimeEnvironment: 'PowerShell-74' };
    state.sites[logicAppName] ??= {};
    state.sites[helpersName] ??= {};
    const logicApp = state.sites[logicAppName];
    const helpers = state.sites[helpersName];
    if (params.logicAppExists?.value !== true) {
      // siteConfig.appSettings: the whole list is replaced (and on a new site the content share is created with it).
      logicApp.appSettings = { ...managed.logicApp };
      logicApp.siteLevelSettingsWrites = (logicApp.siteLevelSettingsWrites ?? 0) + 1;
    } else if (logicAppIsNew) {
      logicApp.contentShareMissing = true;
    }
    // Microsoft.Web/sites/config 'appsettings' = union(list(<site>/config/appsettings).properties, managed).
    logicApp.appSettings = { ...(logicApp.appSettings ?? {}), ...managed.logicApp };
    helpers.appSettings = { ...(helpers.appSettings ?? {}), ...managed.helpers };
    const outputs = {
      logicAppName: logicAppName,
      logicAppPrincipalId: principal('logicApp'),
      logicAppHostName: `${logicAppName}.azurewebsites.net`,
      helpersName,
      helpersPrincipalId: principal('helpers'),
      helpersHostName: `${helpersName}.azurewebsites.net`,
      automationAccountName: automationName,
      automationPrincipalId: principal('automation'),
      keyVaultName: `kv-${base}-${suffix}`,
      storageAccountName: `st${base}${suffix}`,
      office365ConnectionName: 'office365',
      runtimeEnvironmentName: 'PowerShell-74',
      runbookNames,
    };
    if (params.deploymentMode?.value === 'msp') {
      // modules/msp-identity.bicep: the user-assigned identity, attached to the three apps.
      const uamiId = `${prov}/Microsoft.ManagedIdentity/userAssignedIdentities/id-${base}-msp`;
      const existing = state.resources[key(uamiId)];
      put(uamiId, 'Microsoft.ManagedIdentity/userAssignedIdentities', existing ? {} : { properties: { clientId: randomUUID(), principalId: principal('mspIdentity') } });
      const uami = state.resources[key(uamiId)];
      Object.assign(outputs, {
        deploymentMode: 'msp',
        mspIdentityClientId: uami.properties.clientId,
        mspIdentityPrincipalId: uami.properties.principalId,
        mspAppClientId: params.mspAppClientId?.value ?? '',
        customersTableName: 'customers',
      });
    }
    const deployment = {
      id: `${group.id}/providers/Microsoft.Resources/deployments/${one('--name')}`,
      name: one('--name'),
      resourceGroup: group.name,
      properties: {
        provisioningState: 'Succeeded',
        timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, state.deployments.length)).toISOString(),
        parameters: params,
        outputs: Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, { type: Array.isArray(v) ? 'Array' : 'String', value: v }])),
      },
    };
    state.deployments = state.deployments.filter((d) => d.name !== deployment.name);
    state.deployments.push(deployment);
    answer(deployment);
  }
  // Only the one read the deploy command makes: --query "[?name=='X']" (JMESPath filter on the settings list).
  case 'functionapp config appsettings list': {
    requireSubscription();
    requireGroup(one('--resource-group'));
    const site = state.sites[one('--name')];
    if (!site) notFoundArm('ResourceNotFound', `The Resource 'Microsoft.Web/sites/${one('--name')}' was not found.`);
    const only = /^\[\?name=='([^']+)'\]$/.exec(opts['--query']?.[0] ?? '');
    if (!only) fail(2, 'fake az: appsettings list must filter to one setting (--query "[?name==\'X\']")');
    const settings = site.appSettings ?? {};
    answer(only[1] in settings ? [{ name: only[1], value: settings[only[1]], slotSetting: false }] : []);
  }
  case 'functionapp config appsettings set': {
    requireSubscription();
    requireGroup(one('--resource-group'));
    const site = state.sites[one('--name')];
    if (!site) notFoundArm('ResourceNotFound', `The Resource 'Microsoft.Web/sites/${one('--name')}' was not found.`);
    site.appSettings ??= {};
    for (const pair of opts['--settings'] ?? []) {
      const eq = pair.indexOf('=');
      site.appSettings[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    answer(Object.entries(site.appSettings).map(([name]) => ({ name, slotSetting: false, value: null })));
  }
  case 'ad signed-in-user show': {
    const user = state.signedInUser ?? { id: '7e0a1b2c-0000-4000-8000-00000000beef', userPrincipalName: 'tech@fabrikam-msp.com' };
    answer({ id: user.id, userPrincipalName: user.userPrincipalName });
  }
  case 'functionapp deployment source config-zip':
  case 'logicapp deployment source config-zip': {
    requireSubscription();
    requireGroup(one('--resource-group'));
    const site = state.sites[one('--name')];
    if (!site) notFoundArm('ResourceNotFound', `The Resource 'Microsoft.Web/sites/${one('--name')}' was not found.`);
    const src = resolve(process.cwd(), one('--src'));
    if (!existsSync(src)) fail(1, `ERROR: [Errno 2] No such file or directory: '${one('--src')}'`);
    const files = readZip(src);
    if (!('host.json' in files)) fail(1, 'ERROR: Zip deployment failed: host.json is not at the root of the package.');
    site.files = files;
    site.deployments = (site.deployments ?? 0) + 1;
    answer({ active: true, complete: true, status: 4, status_text: '' });
  }
  case 'tag update': {
    requireSubscription();
    if (one('--operation') !== 'Merge') fail(2, 'fake az: the deploy command must merge tags');
    const group = Object.values(state.groups).find((g) => key(g.id) === key(one('--resource-id')));
    if (!group) notFoundArm('ResourceGroupNotFound', `Resource group could not be found.`);
    group.tags = { ...(group.tags ?? {}) };
    for (const pair of opts['--tags'] ?? []) {
      const at = pair.indexOf('=');
      group.tags[pair.slice(0, at)] = pair.slice(at + 1);
    }
    answer({ id: `${group.id}/providers/Microsoft.Resources/tags/default`, name: 'default', properties: { tags: group.tags } });
  }
  case 'rest':
    rest();
    break;
  default:
    fail(2, `ERROR: '${words.join(' ')}' is misspelled or not recognized by the system (fake az knows only what the deploy command runs).`);
}

function rest() {
  const method = (one('--method') ?? 'get').toLowerCase();
  const url = new URL(one('--url'));
  const body = one('--body');
  const headers = opts['--headers'] ?? [];
  if (url.host === 'management.azure.com') return arm(method, url, body, headers);
  if (url.host === 'graph.microsoft.com') return graph(method, url, body);
  fail(1, `fake az: no answer for ${method} ${url}`);
}

function arm(method, url, body, headers) {
  const path = decodeURIComponent(url.pathname);
  let m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Automation\/automationAccounts\/([^/]+)\/(.*)$/.exec(path);
  if (m) {
    if (url.searchParams.get('api-version') !== '2024-10-23') fail(1, 'fake az: runbook calls use api-version 2024-10-23 (infra/README.md)');
    const rest = m[4];
    let r = /^runbooks\/([^/]+)(\/.*)?$/.exec(rest);
    if (r) {
      const runbook = state.runbooks[r[1]];
      if (!runbook) httpError('Not Found', { code: 'NotFound', message: `The Runbook was not found. Runbook name: ${r[1]}.` });
      const tail = r[2] ?? '';
      if (tail === '' && method === 'get') answer({ name: r[1], properties: { state: runbook.state, runbookType: 'PowerShell', runtimeEnvironment: runbook.runtimeEnvironment } });
      if (tail === '/content' && method === 'get') {
        if (runbook.published === undefined) httpError('Not Found', { code: 'NotFound', message: 'The runbook content was not found.' });
        answer(runbook.published); // text/powershell: az rest prints it as text
      }
      if (tail === '/draft/content' && method === 'get') {
        if (runbook.draft === undefined) httpError('Not Found', { code: 'NotFound', message: 'The runbook draft content was not found.' });
        answer(runbook.draft);
      }
      if (tail === '/draft/content' && method === 'put') {
        if (!headers.includes('Content-Type=text/powershell')) fail(1, 'ERROR: Unsupported Media Type({"message":"content type must be text/powershell"})');
        if (!body?.startsWith('@')) fail(2, 'fake az: the deploy command passes runbook content as @file');
        runbook.draft = readFileSync(resolve(process.cwd(), body.slice(1)), 'utf8');
        runbook.state = runbook.state === 'New' ? 'New' : 'Edit';
        runbook.uploads = (runbook.uploads ?? 0) + 1;
        answer(undefined); // 202 Accepted, empty body
      }
      if (tail === '/publish' && method === 'post') {
        if (runbook.draft === undefined) httpError('Bad Request', { code: 'BadRequest', message: 'The runbook has no draft to publish.' });
        runbook.published = runbook.draft;
        runbook.state = 'Published';
        runbook.publishes = (runbook.publishes ?? 0) + 1;
        answer(undefined); // 202 Accepted, empty body
      }
    }
    r = /^runtimeEnvironments\/([^/]+)\/packages\/([^/]+)$/.exec(rest);
    if (r && method === 'get') answer({ name: r[2], properties: { provisioningState: 'Succeeded', version: '3.5.1' } });
  }
  m = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Web\/sites\/([^/]+)\/hostruntime\/runtime\/webhooks\/workflow\/api\/management\/workflows\/([^/]+)\/triggers\/([^/]+)\/listCallbackUrl$/.exec(path);
  if (m && method === 'post') {
    const site = state.sites[m[1]];
    const workflow = site?.files?.[`${m[2]}/workflow.json`];
    if (!workflow) httpError('Not Found', { error: { code: 'WorkflowNotFound', message: `The workflow '${m[2]}' could not be found.` } });
    const triggers = JSON.parse(workflow).definition?.triggers ?? {};
    if (!(m[3] in triggers)) httpError('Not Found', { error: { code: 'WorkflowTriggerNotFound', message: `The workflow trigger '${m[3]}' could not be found.` } });
    const base = `https://${m[1]}.azurewebsites.net:443/api/${m[2]}/triggers/${m[3]}/invoke`;
    answer({
      value: `${base}?api-version=2022-05-01&sp=%2Ftriggers%2F${m[3]}%2Frun&sv=1.0&sig=${state.webhookSig}`,
      method: 'POST',
      basePath: base,
      queries: { 'api-version': '2022-05-01', sp: `/triggers/${m[3]}/run`, sv: '1.0', sig: state.webhookSig },
    });
  }
  fail(1, `fake az: no answer for ${method} ${url}`);
}

function graph(method, url, body) {
  const path = url.pathname;
  let m = /^\/v1\.0\/servicePrincipals\/([^/]+)\/appRoleAssignments$/.exec(path);
  if (m) {
    const principal = state.servicePrincipals.find((s) => s.id === m[1]);
    if (!principal) httpError('Not Found', { error: { code: 'Request_ResourceNotFound', message: `Resource '${m[1]}' does not exist or one of its queried reference-property objects are not present.` } });
    state.appRoleAssignments ??= [];
    if (method === 'get') answer({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#servicePrincipals(…)/appRoleAssignments', value: state.appRoleAssignments.filter((a) => a.principalId === m[1]) });
    if (method === 'post') {
      const request = JSON.parse(body);
      const resource = state.servicePrincipals.find((s) => s.id === request.resourceId);
      if (request.principalId !== m[1] || !resource || !resource.appRoles.some((r) => r.id === request.appRoleId)) {
        httpError('Bad Request', { error: { code: 'Request_BadRequest', message: 'Invalid value specified for property \'appRoleId\' of resource \'AppRoleAssignment\'.' } });
      }
      if (state.appRoleAssignments.some((a) => a.principalId === m[1] && a.resourceId === request.resourceId && a.appRoleId === request.appRoleId)) {
        httpError('Bad Request', { error: { code: 'Request_BadRequest', message: 'Permission being assigned already exists on the object' } });
      }
      const created = { id: randomUUID(), principalId: m[1], resourceId: request.resourceId, appRoleId: request.appRoleId, principalType: 'ServicePrincipal', resourceDisplayName: resource.displayName };
      state.appRoleAssignments.push(created);
      answer(created);
    }
  }
  // PATCH /applications/{id} merges the given properties; a given collection replaces the old one
  // (https://learn.microsoft.com/graph/api/application-update). A pre-authorisation must name an existing scope
  // (undocumented: Graph answers 400 otherwise, as commonly reported).
  m = /^\/v1\.0\/applications\/([^/]+)$/.exec(path);
  if (m && method === 'patch') {
    const app = state.apps.find((a) => a.id === m[1]);
    if (!app) httpError('Not Found', { error: { code: 'Request_ResourceNotFound', message: `Resource '${m[1]}' does not exist or one of its queried reference-property objects are not present.` } });
    const request = JSON.parse(body);
    const api = { ...(app.api ?? {}), ...(request.api ?? {}) };
    const scopeIds = new Set((api.oauth2PermissionScopes ?? []).map((s) => s.id));
    for (const p of api.preAuthorizedApplications ?? []) {
      if (p.delegatedPermissionIds.some((id) => !scopeIds.has(id))) httpError('Bad Request', { error: { code: 'Request_BadRequest', message: 'Property PreAuthorizedApplication references a scope that does not exist.' } });
    }
    app.api = api;
    answer(undefined); // 204 No Content
  }
  if (path === '/v1.0/roleManagement/directory/roleAssignments') {
    state.roleAssignments ??= [];
    if (method === 'get') {
      const f = /^principalId eq '(.*)'$/.exec(url.searchParams.get('$filter') ?? '');
      answer({ value: state.roleAssignments.filter((a) => !f || a.principalId === f[1]) });
    }
    if (method === 'post') {
      const request = JSON.parse(body);
      if (!state.servicePrincipals.some((s) => s.id === request.principalId)) {
        httpError('Bad Request', { error: { code: 'Request_BadRequest', message: `Resource '${request.principalId}' does not exist or one of its queried reference-property objects are not present.` } });
      }
      if (state.roleAssignments.some((a) => a.principalId === request.principalId && a.roleDefinitionId === request.roleDefinitionId && a.directoryScopeId === request.directoryScopeId)) {
        httpError('Bad Request', { error: { code: 'Request_BadRequest', message: 'A conflicting object with one or more of the specified property values is present in the directory.' } });
      }
      const created = { id: randomUUID(), principalId: request.principalId, roleDefinitionId: request.roleDefinitionId, directoryScopeId: request.directoryScopeId };
      state.roleAssignments.push(created);
      answer(created);
    }
  }
  fail(1, `fake az: no answer for ${method} ${url}`);
}

/** A few of the settings infra/modules/{logic-app,function-app}.bicep manage, derived from the parameters the same way. */
function managedSettings(params, names) {
  const value = (k, fallback) => params[k]?.value ?? fallback;
  const forwarding = value('allowExternalForwarding', false) ? 'true' : 'false';
  return {
    logicApp: {
      APP_KIND: 'workflowApp',
      FUNCTIONS_EXTENSION_VERSION: '~4',
      AzureWebJobsStorage: `DefaultEndpointsProtocol=https;AccountName=${names.storageAccountName};AccountKey=${state.storageKey ?? 'fakeStorageKey0123456789=='};EndpointSuffix=core.windows.net`,
      WEBSITE_CONTENTSHARE: names.logicAppName,
      NOTIFICATION_EMAIL: value('notificationEmail'),
      DEFAULT_USAGE_LOCATION: value('defaultUsageLocation', 'US'),
      ALLOW_EXTERNAL_FORWARDING: forwarding,
    },
    helpers: {
      GRAPH_AUTH_MODE: 'managed-identity',
      DEFAULT_USAGE_LOCATION: value('defaultUsageLocation', 'US'),
      PROTECTED_GROUPS: value('protectedGroups', ''),
      ALLOW_EXTERNAL_FORWARDING: forwarding,
      PUBLIC_BASE_URL: `https://${names.helpersName}.azurewebsites.net`,
    },
  };
}
