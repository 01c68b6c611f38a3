import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ServiceProviderHandler } from '../../../local/runtime/model.js';
import { loadProject, ProjectValidationError } from '../../../local/runtime/project/index.js';

const fixtures = fileURLToPath(new URL('../../fixtures/projects/', import.meta.url));
const automation: ServiceProviderHandler = {
  id: '/serviceProviders/azureAutomation',
  operations: ['createJob'],
  invoke: async () => ({ statusCode: 200, body: null }),
};

async function problemsOf(root: string): Promise<string[]> {
  try {
    await loadProject(root, { serviceProviders: [automation], appSettings: {} });
  } catch (err) {
    if (err instanceof ProjectValidationError) {
      expect(err.message.split('\n').length).toBe(err.problems.length + 1);
      return err.problems.map((p) => (p.action !== undefined ? `${p.file}: action '${p.action}': ${p.message}` : `${p.file}: ${p.message}`));
    }
    throw err;
  }
  throw new Error('expected a ProjectValidationError');
}

describe('loadProject', () => {
  it('loads our layout (workflows/) and resolves parameters and connections', async () => {
    const p = await loadProject(`${fixtures}valid-nested`, { serviceProviders: [automation], appSettings: { HELPERS_BASE_URL: 'http://override:1' } });
    expect(p.workflowsDir).toBe(`${fixtures}valid-nested/workflows`);
    expect([...p.workflows.keys()].sort()).toEqual(['child', 'router']);
    // opts.appSettings override local.settings.json
    expect(p.parameters.helpersBaseUrl).toBe('http://override:1');
    expect(p.parameters.retries).toBe(3);
    expect(p.parameters.o365_auth).toEqual({ type: 'Raw', scheme: 'Key', parameter: 'from-local-settings' });
    const office = (p.connections.managedApiConnections as Record<string, Record<string, unknown>>).office365;
    expect(office?.connectionRuntimeUrl).toBe('http://127.0.0.1:7083/apim/office365');
    expect(office?.authentication).toEqual({ type: 'Raw', scheme: 'Key', parameter: 'from-local-settings' });
    expect((office?.api as { id: string }).id).toBe('/subscriptions/sub-123/providers/Microsoft.Web/locations/westeurope/managedApis/office365');
    const router = p.workflows.get('router');
    expect(router?.triggerName).toBe('manual');
    expect(router?.kind).toBe('Stateful');
    expect(p.workflows.get('child')?.kind).toBe('Stateless');
    expect(router?.version).toMatch(/^[0-9a-f]{32}$/);
    expect(p.host.version).toBe('2.0');
  });

  it('takes process.env over local.settings.json, and caller settings over both', async () => {
    process.env.O365_KEY = 'from-env';
    try {
      const p = await loadProject(`${fixtures}valid-nested`, { serviceProviders: [automation] });
      expect((p.parameters.o365_auth as { parameter: string }).parameter).toBe('from-env');
      const q = await loadProject(`${fixtures}valid-nested`, { serviceProviders: [automation], appSettings: { O365_KEY: 'from-opts' } });
      expect((q.parameters.o365_auth as { parameter: string }).parameter).toBe('from-opts');
    } finally {
      delete process.env.O365_KEY;
    }
  });

  it('loads the VS Code layout (workflow folders at the root)', async () => {
    const p = await loadProject(`${fixtures}valid-root`);
    expect(p.workflowsDir).toBe(`${fixtures}valid-root`);
    expect([...p.workflows.keys()]).toEqual(['hello']);
  });

  it('refuses a ServiceProvider whose handler is not registered', async () => {
    await expect(loadProject(`${fixtures}valid-nested`, { serviceProviders: [] })).rejects.toThrow(
      "workflows/router/workflow.json: action 'Job': service provider '/serviceProviders/azureAutomation' is not implemented by the local runtime",
    );
  });

  it('reports every problem of every file at once, and loads nothing', async () => {
    const problems = await problemsOf(`${fixtures}invalid`);
    const expected = [
      "parameters.json: parameter 'fromMissing' references app setting 'MISSING_PARAM_SETTING', which is not set",
      "parameters.json: parameter 'secret' has type 'securestring', which Logic Apps Standard does not support; use an app setting (Key Vault reference) instead",
      "connections.json: references app setting 'MISSING_CONN_SETTING', which is not set",
      "workflows/bad-trigger/workflow.json: trigger 't': unknown trigger type 'Carrier_Pigeon'",
      "workflows/foo/workflow.json: action 'Weird_fn': duplicate action name 'Weird_fn': action names must be unique across the whole workflow",
      "workflows/foo/workflow.json: action 'Send_mail': unknown action type 'SendMail'",
      "workflows/foo/workflow.json: action 'Weird_fn': unknown expression function 'frobnicate'",
      "workflows/foo/workflow.json: action 'Missing_pred': runAfter names missing action 'Ghost'",
      "workflows/foo/workflow.json: action 'Bad_status': invalid runAfter status 'Completed' for 'Weird_fn' (allowed: Succeeded, Failed, Skipped, TimedOut)",
      "workflows/foo/workflow.json: action 'Init_inside': InitializeVariable must be at the top level of the workflow, not inside a scope, condition or loop",
      "workflows/foo/workflow.json: action 'Outside_pred': runAfter names action 'Send_mail', which is not in the same scope",
      // https://learn.microsoft.com/azure/connectors/connectors-native-reqres#add-response (every action of foo starts at once)
      "workflows/foo/workflow.json: action 'Reply_in_loop': this Response sits inside the For each loop 'Loop'; Azure refuses this (rule \"Response action - not inside For each or Until loops\", https://learn.microsoft.com/azure/connectors/connectors-native-reqres#add-response)",
      "workflows/foo/workflow.json: action 'Reply_in_loop': this Response is in a parallel branch: its container 'Loop' can run at the same time as 'Send_mail', 'Weird_fn', 'Missing_pred' and 11 more; chain them with runAfter; Azure refuses this (rule \"Response action - not in parallel branches\", https://learn.microsoft.com/azure/connectors/connectors-native-reqres#add-response)",
      "workflows/foo/workflow.json: action 'Call_missing': Workflow action points to missing workflow 'no-such-workflow'",
      "workflows/foo/workflow.json: action 'Api_missing': ApiConnection referenceName 'teams' is not in connections.json managedApiConnections",
      "workflows/foo/workflow.json: action 'Sp_conn_missing': ServiceProvider connectionName 'nope' is not in connections.json serviceProviderConnections",
      "workflows/foo/workflow.json: action 'Sp_provider_missing': service provider '/serviceProviders/keyVault' is not implemented by the local runtime",
      "workflows/foo/workflow.json: action 'Sp_operation_missing': operation 'deleteJob' of service provider '/serviceProviders/azureAutomation' is not implemented by the local runtime",
      "workflows/foo/workflow.json: action 'Param_missing': @parameters('notDeclared') is not defined in parameters.json",
      "workflows/foo/workflow.json: action 'Cycle_a': runAfter cycle: Cycle_a -> Cycle_b -> Cycle_a",
      "workflows/foo/workflow.json: action 'Both_modes': Foreach cannot set both operationOptions 'Sequential' and runtimeConfiguration.concurrency",
      'workflows/shape/workflow.json: "kind" must be "Stateful" or "Stateless", found "Stateful-ish"',
      'workflows/shape/workflow.json: a Standard workflow must have exactly one trigger, found 2',
      "workflows/shape/workflow.json: trigger 'two': 'Recurrence' triggers are not supported by the local runtime (it fires Request triggers only); run this workflow in Azure, or start it from a Request trigger locally",
    ];
    for (const e of expected) expect(problems, problems.join("\n")).toContain(e);
    expect(problems.some((p) => p.startsWith('workflows/broken-json/workflow.json: invalid JSON:'))).toBe(true);
    expect(problems).toHaveLength(expected.length + 1);
  });

  it('requires host.json', async () => {
    const problems = await problemsOf(`${fixtures}valid-nested/workflows`);
    expect(problems).toContain('host.json: file not found');
  });
});
